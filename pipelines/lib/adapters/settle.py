"""The last step of every adapter's output: exact repeats dropped, made ids made unique.

Each adapter builds ids from a row's own values (child + date); the 903 adapter makes them unique
as it builds them (``ids.MadeIds``), the others may not (two Annex A placements of one child
starting on one day, two CIN assessments of one referral with one start date). Staging judges
repeats only within one file or sheet, so a repeat across two sheets or years would reach
validation as a duplicate id and block every KPI reading the table. So, per table over all its
pieces, in file order:

- a row whose every contract column equals an earlier row's is dropped (``duplicate_dropped``,
  one note per file with the count and rows: ``repeats``);
- a row whose made id equals an earlier row's (other values differ) gets ``<id>#2``, ``#3``...
  (``made_id_repeated``, one note per file), unless other rows link to that id (a referral, a
  plan, a period of care): renaming would break the link, so staging judges those as it would in
  an extract. A child's own id (``ssd_person``) is the return's, never renamed.
"""

import polars as pl

from pipelines.lib.adapters.base import REPAIRED, ROW_DROPPED, AdaptedTable, AdapterNote
from pipelines.lib.adapters.ids import MadeIds
from pipelines.lib.adapters.repeats import RULE as DUPLICATE_RULE
from pipelines.lib.adapters.row_notes import RowNotes
from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.contract.references import REFERENCES
from pipelines.lib.readers import ROW_COLUMN

# Ids other rows link to, and the child's own id: kept as the adapter made them.
KEPT_IDS = frozenset({(target, column) for _, _, target, column in REFERENCES}) | {
    ("ssd_person", "pers_person_id")
}


def settle(table: str, pieces: list[AdaptedTable]) -> tuple[list[AdaptedTable], list[AdapterNote]]:
    """``pieces`` of one table without exact repeats and, where safe, with unique ids."""
    key = TABLES_BY_NAME[table].key
    columns = sorted({c for p in pieces for c in p.frame.columns if c != ROW_COLUMN})
    dropped = RowNotes(
        DUPLICATE_RULE,
        ROW_DROPPED,
        "row",
        "exact repeat of an earlier row, dropped (the earlier row is kept)",
    )
    renamed = RowNotes(
        "made_id_repeated",
        REPAIRED,
        "row",
        f"same {key} as an earlier row (the same child and date) but other values: given "
        f"{key}#2, #3... so that both are kept",
        column=key,
    )
    seen: set[tuple[object, ...]] = set()
    ids = MadeIds()
    at = columns.index(key) if key in columns and (table, key) not in KEPT_IDS else None
    out: list[AdaptedTable] = []
    for piece in pieces:
        frame = piece.frame
        present = [pl.col(c) if c in frame.columns else pl.lit(None).alias(c) for c in columns]
        keep: list[bool] = []
        made_ids: list[str | None] = []
        for source_row, values in zip(frame[ROW_COLUMN], frame.select(present).rows(), strict=True):
            if values in seen:
                dropped.add(piece.source_name, source_row)
                keep.append(False)
                continue
            seen.add(values)
            keep.append(True)
            if at is not None:
                made = ids.make(table, values[at])
                if made is not None and made != values[at]:
                    renamed.add(piece.source_name, source_row)
                made_ids.append(made)
        frame = frame.filter(pl.Series(keep, dtype=pl.Boolean))
        if at is not None and key is not None:
            frame = frame.with_columns(pl.Series(key, made_ids, dtype=pl.String))
        out.append(AdaptedTable(piece.table, frame, piece.source_file, piece.sheet))
    return out, dropped.notes() + renamed.notes()
