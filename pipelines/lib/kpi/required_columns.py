"""Optional contract columns a KPI cannot do without (the YAML's ``requires_columns``).

An optional column the extract lacks is loaded as blanks, so a KPI reading it would still run:
without ``ext_lado_referrals.resolved_date`` every allegation looks unresolved and the KPI reads
0%, a figure nobody should act on. A KPI that declares the column is instead "not available",
with the reason, when the column is absent from the delivery or blank in every row of the
extract (the staging tables keep an absent optional column as blanks, so the two look alike).
"""

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import duckdb

from pipelines.lib.contract import TABLES_BY_NAME

if TYPE_CHECKING:  # definitions.py reads parse_required_column from here
    from pipelines.lib.kpi.definitions import KpiDefinition


def parse_required_column(entry: str) -> tuple[str, str]:
    """``"table.column"`` -> (table, column); ValueError naming what is wrong."""
    table, dot, column = entry.partition(".")
    if not dot or not table or not column:
        raise ValueError(f"'{entry}' is not written as table.column")
    if table not in TABLES_BY_NAME:
        raise ValueError(f"'{entry}': table '{table}' is not in the extract contract")
    if column not in TABLES_BY_NAME[table].column_names:
        raise ValueError(f"'{entry}': {table} has no column '{column}' in the extract contract")
    return table, column


def missing_columns(
    con: duckdb.DuckDBPyConnection,
    kpi: "KpiDefinition",
    la_code: str,
    extract_date: dt.date,
    said: Sequence[str] = (),
    known: dict[str, bool] | None = None,
) -> list[str]:
    """Why the extract cannot serve ``kpi`` for want of a column it requires (empty: it can).

    A column whose table ``said`` (the reasons found so far) names already is not looked at: an
    absent table, or a return that does not give the column, has been explained. ``known`` keeps
    each column's answer for the extract (several KPIs read one column)."""
    seen = {} if known is None else known
    reasons = []
    for entry in kpi.requires_columns:
        table, column = parse_required_column(entry)
        if any(table in reason for reason in said):
            continue
        if entry not in seen:
            # One non-blank value is enough (counting them would read the whole column).
            row = con.execute(
                f"""select 1 from stg.{table}
                    where la_code = ? and extract_date = ? and {column} is not null limit 1""",
                [la_code, extract_date],
            ).fetchone()
            seen[entry] = row is not None
        if not seen[entry]:
            reasons.append(f"the extract has no {entry} (absent, or blank in every row)")
    return reasons
