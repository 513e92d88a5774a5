"""Links between one extract's staged tables: a row naming a row of another table that the
extract does not hold is an orphan. It is kept (the KPIs that read it do not need its partner)
but flagged in the quarantine table, so data quality can be reported and fixed at source. The
links themselves are part of the contract (``contract/references.py``).
"""

import polars as pl

from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.contract.references import REFERENCES
from pipelines.lib.readers import ROW_COLUMN

FLAG = "row_flagged"


def reference_columns(table: str) -> list[str]:
    """The columns of ``table`` that ``reference_issues`` looks at (links from it or to it):
    all it needs to keep of a staged table once the rest is written away."""
    names = {c for t, c, _, _ in REFERENCES if t == table}
    names |= {c for _, _, t, c in REFERENCES if t == table}
    return [c.name for c in TABLES_BY_NAME[table].columns if c.name in names]


def reference_issues(
    staged: dict[str, pl.DataFrame], only: str | None = None
) -> dict[str, pl.DataFrame]:
    """Orphan references among one extract's staged tables, as issues per table (with
    ``only``, just the links from that table).

    A link is checked only when both tables are in the extract: an absent table is reported as
    not available by the KPIs that need it, not as thousands of orphans."""
    found: dict[str, list[pl.DataFrame]] = {}
    for table, column, target, target_column in REFERENCES:
        if only is not None and table != only:
            continue
        if table not in staged or target not in staged or staged[target].is_empty():
            continue
        keys = staged[target][target_column].drop_nulls().unique().implode()
        orphans = staged[table].filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(keys))
        if orphans.is_empty():
            continue
        found.setdefault(table, []).append(
            orphans.select(
                pl.col(ROW_COLUMN).alias("source_row"),
                pl.lit(column).alias("column_name"),
                pl.col(column).cast(pl.String).alias("value"),
                pl.lit("orphan_reference").alias("rule"),
                pl.lit(FLAG).alias("action"),
                pl.lit(f"is not in {target}.{target_column}; the row is kept and flagged").alias(
                    "message"
                ),
            )
        )
    return {table: pl.concat(frames) for table, frames in found.items()}
