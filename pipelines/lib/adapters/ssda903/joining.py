"""Joining every 903 file of one extract folder: which row of each table is kept.

A row the same file repeats exactly is dropped; an episode (CHILD + DECOM), review or missing
episode repeated with other values in one return keeps its first row; a row of a child repeated
in a later return is replaced by the later one. Episodes that cannot be placed in a period of
care (no CHILD, a DECOM or DEC that is not a date) are set apart for staging to judge.
"""

import datetime as dt
from collections import defaultdict
from pathlib import Path

from pipelines.lib.adapters.base import ROW_DROPPED, AdapterNote
from pipelines.lib.adapters.repeats import ExactRepeats
from pipelines.lib.adapters.row_notes import RowNotes
from pipelines.lib.adapters.ssda903.dates import iso_text, parse_903_date
from pipelines.lib.adapters.ssda903.episodes import Episode
from pipelines.lib.adapters.ssda903.reading import Source
from pipelines.lib.adapters.ssda903.repairs import as_text, episode_note
from pipelines.lib.adapters.ssda903.spec import NOUNS

# One kept row: (return year, file, source row, values).
Row = tuple[int, Path, int, dict[str, str | None]]


class Returns:
    """Every source's rows, the latest return winning, and the notes on what was left out."""

    def __init__(self, notes: list[AdapterNote]) -> None:
        self.notes = notes
        self.episodes: list[Episode] = []
        self.bad_episodes: list[Episode] = []
        # table -> key -> (year, path, row, values); the latest return wins.
        self.keyed: dict[str, dict[tuple[str | None, ...], Row]] = defaultdict(dict)
        self.unkeyed: dict[str, list[Row]] = defaultdict(list)
        self.repeats = ExactRepeats(NOUNS)
        # Rows left out by a rule, noted once per file (see the package's docstring).
        self.left_out = {
            "repeated_key": RowNotes(
                "903_repeated_key",
                ROW_DROPPED,
                "row",
                "same child and date as an earlier row of the same return but other values "
                "(e.g. REVIEW_CODE, MIS_END, PLACE), left out: the earlier row is used",
            ),
            "review_without_episode": RowNotes(
                "903_review_without_episode",
                ROW_DROPPED,
                "review",
                "review of a child with no episode in the return, left out: the review belongs "
                "to no period of care (the DfE portal checks a child's other tables only once "
                "their episodes are loaded, rule EPI)",
                column="CHILD",
            ),
        }

    def add(self, src: Source, year: int) -> None:
        """A source's rows, as of the return ``year`` (a ``YEAR`` column overrides it)."""
        for row, values in src.rows:
            if self.repeats.is_repeat(src.path, src.table, row, values):
                continue
            row_year = year
            if values.get("YEAR") and str(values["YEAR"]).isdigit():
                row_year = int(str(values["YEAR"]))
            if src.table == "episodes":
                ep = Episode(
                    child=values.get("CHILD"),
                    la=values.get("LA") or "",
                    year=row_year,
                    path=src.path,
                    row=row,
                    values=values,
                    decom=parse_903_date(values.get("DECOM")),
                    dec=parse_903_date(values.get("DEC")),
                    rec=values.get("REC"),
                    rpc=values.get("REASON_PLACE_CHANGE"),
                )
                ok = ep.child is not None and ep.decom is not None
                ok = ok and (values.get("DEC") is None or ep.dec is not None)
                (self.episodes if ok else self.bad_episodes).append(ep)
            else:
                self._keep(src.table, row_year, src.path, row, values)

    def _keep(
        self, table: str, year: int, path: Path, row: int, values: dict[str, str | None]
    ) -> None:
        child = values.get("CHILD")
        key: tuple[str | None, ...] | None
        if table in ("header", "oc3", "uasc"):
            key = (child,)
        elif table == "oc2":
            # Each year's OC2 is that year's checks: a later return adds to it, never replaces.
            key = (child, str(year))
        elif table == "reviews":
            key = (child, iso_text(values.get("REVIEW")))
        elif table == "missing":
            key = (child, iso_text(values.get("MIS_START")), values.get("MISSING"))
        else:
            key = None
        if key is None or child is None:
            self.unkeyed[table].append((year, path, row, values))
            return
        seen = self.keyed[table].get(key)
        if seen is None:
            self.keyed[table][key] = (year, path, row, values)
            return
        if seen[0] == year:
            if table in ("header", "oc3"):
                # Two different rows of one child: both kept, for staging to reject (the child's
                # id is the return's own, and which row is right cannot be told).
                self.unkeyed[table].append((year, path, row, values))
            else:
                # A second review (or missing episode) of the child on the same day: the contract
                # row holds nothing the first does not, or clashes with it.
                self.left_out["repeated_key"].add(path, row)
            return
        old, new = (
            (seen, (year, path, row, values))
            if seen[0] < year
            else ((year, path, row, values), seen)
        )
        self.keyed[table][key] = new
        if old[3] != new[3]:
            self.notes.append(
                AdapterNote(
                    str(old[1]),
                    "903_superseded",
                    f"{table} row of child {child} from the {old[0]} return replaced by the "
                    f"{new[0]} return's row ({new[1].name} row {new[2]})",
                    ROW_DROPPED,
                    old[2],
                    column="CHILD",
                    value=child,
                )
            )

    def rows(self, table: str) -> list[Row]:
        """The kept rows of a 903 table, in file and row order."""
        rows = list(self.keyed[table].values()) + self.unkeyed[table]
        return sorted(rows, key=lambda r: (str(r[1]), r[2]))

    def dedupe_episodes(self) -> list[Episode]:
        """One episode per LA, CHILD and DECOM: the latest return's."""
        best: dict[tuple[str, str | None, dt.date | None], Episode] = {}
        for ep in self.episodes:
            key = (ep.la, ep.child, ep.decom)
            seen = best.get(key)
            if seen is None:
                best[key] = ep
                continue
            if seen.year == ep.year:
                # Same return, same CHILD + DECOM (the 903's key), other values: the first is used.
                self.left_out["repeated_key"].add(ep.path, ep.row)
                continue
            old, new = (seen, ep) if seen.year < ep.year else (ep, seen)
            best[key] = new
            self.notes.append(
                episode_note(
                    old,
                    "903_superseded",
                    f"episode of child {old.child} from DECOM {as_text(old.decom)} in the "
                    f"{old.year} return replaced by the {new.year} return's "
                    f"({new.path.name} row {new.row}): "
                    f"DEC {as_text(old.dec)} -> {as_text(new.dec)}",
                    ROW_DROPPED,
                    "DECOM",
                    old.get("DECOM"),
                )
            )
        return list(best.values())
