"""Rows of a statutory return dated after the extract date: an error for those rows only.

A return describes the council up to its own date; a row dated after the extract date (an
assessment starting in 2028 in the census at 31 March 2024, a review in 2020 in the 903 for
2017-18) cannot be right. Passed on, it fails the validation check "not after the extract date"
for its whole table, and every KPI reading the table is held back for one row. So the adapter
layer deals with the row alone, one note per file and column with the count and rows (the
validator tools of the DfE and Data to Insight report them the same way: an error on the row):

- an end after the extract date (a 903 episode ceasing on 1 April in the return to 31 March, a
  worker leaving after the census date) had not happened at the extract date: the end is
  cleared and the row kept, open, as it was at that date (so the child is still counted as
  looked after on 31 March);
- any other date after the extract date (a start, an event): the row is left out.

What stays as it is:

- dates that lie ahead by design (review due dates, conference target dates: columns named
  ``due`` or ``target``);
- a child's date of birth (the CIN census gives an unborn child's expected date): validation
  judges it (a date of death after the extract date is an end, and cleared);
- every row of an SSD extract file (this runs on statutory returns only).

A folder dated before the return's own date is a different fault, caught before this
(``reference_dates``): one line says what to rename the folder to, and nothing is left out.
"""

import datetime as dt
from dataclasses import replace

import polars as pl

from pipelines.lib.adapters.base import REPAIRED, ROW_DROPPED, AdaptedTable, AdapterNote
from pipelines.lib.adapters.row_notes import RowNotes
from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.readers import ROW_COLUMN

RULE = "date_after_extract"
# A child's date of birth: the CIN census gives an unborn child's expected date.
KEPT_COLUMNS = frozenset({"pers_dob"})
# Ends of what a row describes: after the extract date, it was still open then.
ENDS = frozenset(
    {
        "pers_death_date",
        "cine_close_date",
        "cina_assessment_auth_date",
        "cppl_cp_plan_end_date",
        "clae_cla_episode_ceased",
        "clap_cla_placement_end_date",
        "lega_legal_status_end_date",
        "miss_missing_episode_end_date",
        "invo_involvement_end_date",
        "period_end",
        "end_date",
    }
)


def _checked_dates(table: str, frame: pl.DataFrame) -> list[str]:
    return [
        c.name
        for c in TABLES_BY_NAME[table].columns
        if c.kind in ("date", "datetime")
        and c.name in frame.columns
        and c.name not in KEPT_COLUMNS
        and "due" not in c.name
        and "target" not in c.name
    ]


class LateRows:
    """Deals with the rows dated after the extract date, table by table, and notes them once
    per file and action: which columns, how many rows each, the first rows, every row."""

    def __init__(self, extract_date: dt.date) -> None:
        self.extract_date = extract_date
        # (file, action) -> column -> rows
        self._found: dict[tuple[str, str], dict[str, list[int]]] = {}

    def drop(self, table: str, pieces: list[AdaptedTable]) -> list[AdaptedTable]:
        """``pieces`` with ends after the extract date cleared and rows with another date after
        it left out."""
        day = pl.lit(self.extract_date.isoformat())
        out = []
        for piece in pieces:
            frame = piece.frame
            late = {
                c: (pl.col(c).str.slice(0, 10) > day).fill_null(False)
                for c in _checked_dates(table, frame)
            }
            flags = frame.select(pl.col(ROW_COLUMN), *[e.alias(c) for c, e in late.items()])
            for column in late:
                rows = flags.filter(pl.col(column))[ROW_COLUMN].to_list()
                if rows:
                    action = REPAIRED if column in ENDS else ROW_DROPPED
                    by_column = self._found.setdefault((piece.source_name, action), {})
                    by_column.setdefault(column, []).extend(rows)
            ends = [c for c in late if c in ENDS]
            others = [e for c, e in late.items() if c not in ENDS]
            frame = frame.with_columns(
                [pl.when(late[c]).then(None).otherwise(pl.col(c)).alias(c) for c in ends]
            )
            if others:
                frame = frame.filter(~pl.any_horizontal(others))
            out.append(AdaptedTable(piece.table, frame, piece.source_file, piece.sheet))
        return out

    def notes(self) -> list[AdapterNote]:
        after = f"after the extract date ({self.extract_date.isoformat()})"
        out = []
        for (source, action), by_column in sorted(self._found.items()):
            done = (
                "cleared, the rows kept as still open at that date"
                if action == REPAIRED
                else "rows left out"
            )
            rows = sorted({r for found in by_column.values() for r in found})
            columns = ", ".join(f"{c} ({len(set(r)):,})" for c, r in sorted(by_column.items()))
            note = RowNotes(RULE, action, "row", f"dates {after} in {columns}: {done}")
            for row in rows:
                note.add(source, row)
            [summary] = note.notes()
            out.append(replace(summary, column=", ".join(sorted(by_column))))
        return out
