"""The contract tables from the joined 903 rows: episodes and their periods of care,
placements, legal statuses, people, reviews, missing episodes, care leavers and social worker
involvements (UASC status and OC2 checks in ``outcomes``), with ids made from what the 903 has
(see the package's docstring)."""

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

from pipelines.lib.adapters.base import AdaptedTable, text_frame
from pipelines.lib.adapters.ids import MadeIds
from pipelines.lib.adapters.ssda903.dates import iso_text, parse_903_date
from pipelines.lib.adapters.ssda903.episodes import (
    Episode,
    Period,
    episode_runs,
    period_at,
    periods_of_care,
)
from pipelines.lib.adapters.ssda903.joining import Returns
from pipelines.lib.adapters.ssda903.outcomes import health_rows, uasc_rows
from pipelines.lib.adapters.ssda903.repairs import blank_marker, fix_episodes
from pipelines.lib.adapters.ssda903.spec import COLUMNS, LEGAL_CHANGE, PLACEMENT_CHANGE, ROLE

# Rows of each contract table, by the file they came from.
Tables = dict[tuple[str, Path], list[dict[str, object]]]


def contract_tables(returns: Returns) -> list[AdaptedTable]:
    """The contract tables of the joined returns; the returns' notes gain the fixes and what was
    left out."""
    return _Rows(returns).build()


class _Rows:
    """One adapt's contract rows; ids are made unique across them (``MadeIds``)."""

    def __init__(self, returns: Returns) -> None:
        self.returns = returns
        self.ids = MadeIds()

    def build(self) -> list[AdaptedTable]:
        returns = self.returns
        tables: Tables = defaultdict(list)
        episodes = fix_episodes(returns.dedupe_episodes(), returns.notes)
        by_child: dict[str | None, list[Episode]] = defaultdict(list)
        for ep in episodes:
            by_child[ep.child].append(ep)
        child_periods: dict[str | None, list[Period]] = {}
        for child, eps in by_child.items():
            eps.sort(key=lambda e: (e.decom or dt.date.min, e.year))
            child_periods[child] = periods_of_care(eps)
            for period in child_periods[child]:
                period.cla_id = self.ids.make("cla", child, period.start.isoformat()) or ""
                self._period_rows(period, tables)
        for ep in returns.bad_episodes:
            # Rows the staging must judge (a blank CHILD, a DECOM or DEC that is not a date):
            # passed on as delivered, without a period of care.
            tables[("ssd_cla_episodes", ep.path)].append(self._episode_row(ep, None, None))
        self._person_rows(tables)
        self._review_rows(tables, child_periods)
        self._missing_rows(tables)
        self._care_leaver_rows(tables)
        self._involvement_rows(tables)
        first_decom = {c: periods[0].start for c, periods in child_periods.items() if periods}
        returns.notes.extend(uasc_rows(returns, tables, self.ids.make, first_decom))
        returns.notes.extend(health_rows(returns, tables, self.ids.make))
        returns.notes.extend(returns.repeats.notes())
        for rule in returns.left_out.values():
            returns.notes.extend(rule.notes())
        return [
            AdaptedTable(table, text_frame(rows, COLUMNS[table]), path)
            for (table, path), rows in sorted(
                tables.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))
            )
        ]

    def _episode_row(
        self, ep: Episode, period: Period | None, entered: str | None
    ) -> dict[str, object]:
        decom = ep.decom.isoformat() if ep.decom else iso_text(ep.get("DECOM"))
        return {
            "source_row": ep.row,
            "clae_cla_episode_id": self.ids.make("episode", ep.child, decom),
            "clae_person_id": ep.child,
            "clae_cla_episode_start_date": decom,
            "clae_cla_episode_start_reason": ep.get("RNE"),
            "clae_cla_primary_need_code": ep.get("CIN"),
            "clae_cla_episode_ceased": ep.dec.isoformat() if ep.dec else iso_text(ep.get("DEC")),
            "clae_cla_episode_ceased_reason": blank_marker(ep.rec),
            "clae_cla_id": period.cla_id if period else None,
            "clae_entered_care_date": entered,
        }

    def _period_rows(self, period: Period, tables: Tables) -> None:
        first = period.episodes[0]
        entered = period.start.isoformat() if first.get("RNE") == "S" else None
        for ep in period.episodes:
            tables[("ssd_cla_episodes", ep.path)].append(self._episode_row(ep, period, entered))
        for run in episode_runs(period.episodes, PLACEMENT_CHANGE, ("PLACE", "PLACE_PROVIDER")):
            head, tail = run[0], run[-1]
            assert head.decom is not None
            tables[("ssd_cla_placement", head.path)].append(
                {
                    "source_row": head.row,
                    "clap_cla_placement_id": self.ids.make(
                        "placement", head.child, head.decom.isoformat()
                    ),
                    "clap_cla_id": period.cla_id,
                    "clap_person_id": head.child,
                    "clap_cla_placement_start_date": head.decom.isoformat(),
                    "clap_cla_placement_end_date": tail.dec.isoformat() if tail.dec else None,
                    "clap_cla_placement_type": head.get("PLACE"),
                    "clap_cla_placement_provider": head.get("PLACE_PROVIDER"),
                    # Recorded on the episode that ends the placement.
                    "clap_cla_placement_change_reason": blank_marker(tail.rpc),
                }
            )
        for run in episode_runs(period.episodes, LEGAL_CHANGE, ("LS",)):
            head, tail = run[0], run[-1]
            assert head.decom is not None
            tables[("ssd_legal_status", head.path)].append(
                {
                    "source_row": head.row,
                    "lega_legal_status_id": self.ids.make(
                        "legal_status", head.child, head.decom.isoformat()
                    ),
                    "lega_person_id": head.child,
                    "lega_legal_status": head.get("LS"),
                    "lega_legal_status_start_date": head.decom.isoformat(),
                    "lega_legal_status_end_date": tail.dec.isoformat() if tail.dec else None,
                }
            )

    def _person_rows(self, tables: Tables) -> None:
        for _, path, row, v in self.returns.rows("header"):
            tables[("ssd_person", path)].append(
                {
                    "source_row": row,
                    "pers_person_id": v.get("CHILD"),
                    "pers_sex": {"1": "M", "2": "F"}.get(v.get("SEX") or "", v.get("SEX")),
                    "pers_ethnicity": v.get("ETHNIC"),
                    "pers_dob": iso_text(v.get("DOB")),
                }
            )

    def _review_rows(
        self,
        tables: Tables,
        child_periods: dict[str | None, list[Period]],
    ) -> None:
        for _, path, row, v in self.returns.rows("reviews"):
            child, held = v.get("CHILD"), parse_903_date(v.get("REVIEW"))
            cla_id = period_at(child_periods.get(child, []), held)
            if cla_id is None and child:
                self.returns.left_out["review_without_episode"].add(path, row)
                continue
            review = iso_text(v.get("REVIEW"))
            tables[("ssd_cla_reviews", path)].append(
                {
                    "source_row": row,
                    "clar_cla_review_id": self.ids.make("review", child, review),
                    "clar_cla_id": cla_id,
                    "clar_cla_review_date": review,
                    # The 903 lists reviews held: none was cancelled.
                    "clar_cla_review_cancelled": "N",
                }
            )

    def _missing_rows(self, tables: Tables) -> None:
        for _, path, row, v in self.returns.rows("missing"):
            child, start, kind = v.get("CHILD"), iso_text(v.get("MIS_START")), v.get("MISSING")
            key = (child, start, *([kind] if kind else []))
            tables[("ssd_missing", path)].append(
                {
                    "source_row": row,
                    "miss_table_id": self.ids.make("missing", *key),
                    "miss_person_id": child,
                    "miss_missing_episode_start_date": start,
                    "miss_missing_episode_type": kind,
                    "miss_missing_episode_end_date": iso_text(v.get("MIS_END")),
                }
            )

    def _care_leaver_rows(self, tables: Tables) -> None:
        for _, path, row, v in self.returns.rows("oc3"):
            accom, suitable = split_accommodation(v.get("ACCOM"))
            tables[("ssd_care_leavers", path)].append(
                {
                    "source_row": row,
                    "clea_table_id": v.get("CHILD"),
                    "clea_person_id": v.get("CHILD"),
                    "clea_care_leaver_in_touch": v.get("IN_TOUCH"),
                    "clea_care_leaver_accommodation": accom,
                    "clea_care_leaver_accom_suitable": suitable,
                    "clea_care_leaver_activity": v.get("ACTIV"),
                }
            )

    def _involvement_rows(self, tables: Tables) -> None:
        for _, path, row, v in self.returns.rows("sw_episodes"):
            child, worker, start = v.get("CHILD"), v.get("SW_ID"), iso_text(v.get("SW_DECOM"))
            tables[("ssd_involvements", path)].append(
                {
                    "source_row": row,
                    "invo_involvements_id": self.ids.make("involvement", child, worker, start),
                    "invo_professional_id": worker,
                    "invo_professional_role_id": ROLE,
                    "invo_involvement_start_date": start,
                    "invo_involvement_end_date": iso_text(v.get("SW_DEC")),
                    "invo_worker_change_reason": v.get("SW_REASON"),
                    "invo_person_id": child,
                }
            )


def split_accommodation(value: str | None) -> tuple[str | None, str | None]:
    """OC3 ACCOM (``B1``: letter + 1 suitable / 2 unsuitable; ``0`` not known) as the contract's
    accommodation letter and suitability code. Anything else is passed on whole for staging."""
    if value is None:
        return None, None
    text = value.strip().upper()
    if re.fullmatch(r"[A-Z][12]", text):
        return text[0], text[1]
    return text, None
