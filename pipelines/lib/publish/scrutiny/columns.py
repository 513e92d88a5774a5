"""The scrutiny export's columns, and its tables as the CSV files publish them: text cells, a
symbol in place of a number that is not shown, ISO dates, numbers at published precision."""

from collections.abc import Sequence
from typing import Any

import polars as pl

from pipelines.lib import formatting
from pipelines.lib.publish import figures
from pipelines.lib.publish.disclosure import SYMBOLS, DisclosurePolicy
from pipelines.lib.publish.scrutiny.measures import component_decimals

UNIT_NAMES = {
    "percent": "%",
    "rate_per_10k": "per 10,000 children",
    "count": "number",
    "weeks": "weeks",
    "days": "days",
    "ratio": "ratio",
}

# (header in the CSV, header in the workbook, column, kind, column whose status a blank takes)
Column = tuple[str, str, str, str, str | None]
_MEASURE_COLUMNS: list[Column] = [
    ("period_start", "Month from", "period_start", "month", "value_status"),
    ("period_end", "Month", "period_end", "month", "value_status"),
    ("value", "Value", "value", "measure", None),
    ("numerator", "Numerator", "numerator", "component", None),
    ("denominator", "Denominator", "denominator", "component", None),
    ("last_year_period_start", "Last year from", "last_year_period_start", "month",
     "last_year_value_status"),
    ("last_year_period_end", "Same month last year", "last_year_period_end", "month",
     "last_year_value_status"),
    ("last_year_value", "Value last year", "last_year_value", "measure", None),
    ("last_year_numerator", "Numerator last year", "last_year_numerator", "component", None),
    ("last_year_denominator", "Denominator last year", "last_year_denominator", "component",
     None),
]  # fmt: skip
FIGURES_COLUMNS: list[Column] = [
    ("area", "Area", "area", "area", None),
    ("kpi_id", "KPI id", "kpi_id", "text", None),
    ("kpi", "KPI", "label", "label", None),
    ("unit", "Unit", "unit", "unit", None),
    *_MEASURE_COLUMNS,
    ("target", "Target", "target_value", "target", None),
    ("target_direction", "Target direction", "target_direction", "text", "target_value_status"),
    ("target_due_date", "Target due", "target_due_date", "day", "target_value_status"),
    ("england", "England", "england_value", "published", None),
    ("england_period_end", "England year", "england_period_end", "year", "england_value_status"),
    ("statistical_neighbours_median", "Statistical neighbours (median)", "sn_value", "published",
     None),
    ("statistical_neighbours_period_end", "Statistical neighbours year", "sn_period_end", "year",
     "sn_value_status"),
]  # fmt: skip
BY_TEAM_COLUMNS: list[Column] = [
    ("area", "Area", "area", "area", None),
    ("kpi_id", "KPI id", "kpi_id", "text", None),
    ("kpi", "KPI", "label", "label", None),
    ("unit", "Unit", "unit", "unit", None),
    ("level", "Level", "level", "text", None),
    ("service_area", "Service area", "service_area", "text", None),
    ("team", "Team", "team", "text", None),
    *_MEASURE_COLUMNS,
]
# The workbook leaves out what a paper does not need (the CSV keeps it for analysts).
XLSX_SKIP = {"kpi_id", "period_start", "last_year_period_start"}


def symbol(row: dict[str, Any], column: Column) -> str:
    """What an empty cell shows: the symbol of its own status, or of the figure it belongs to."""
    _, _, name, kind, status_of = column
    status = row.get(f"{name}_status") or (row.get(status_of) if status_of else None)
    return SYMBOLS[status] if status else ("x" if kind in ("month", "year") else "")


def cell_text(row: dict[str, Any], column: Column, policy: DisclosurePolicy) -> str:
    """A cell as written in the CSV: a symbol, an ISO date or a number at published precision."""
    _, _, name, kind, _ = column
    value = row[name]
    if value is None:
        return symbol(row, column)
    if kind == "area":
        return figures.AREA_TITLES.get(value, value)
    if kind in ("month", "day", "year"):
        return value.isoformat()
    if kind == "measure" or kind == "target":
        return formatting.csv_number(value, policy.decimals(row["unit"]))
    if kind == "component":
        return formatting.csv_number(value, component_decimals(value, policy))
    if kind == "published":
        return formatting.published_number(value)
    return str(value)


def csv_frame(
    table: pl.DataFrame, columns: Sequence[Column], policy: DisclosurePolicy
) -> pl.DataFrame:
    """A table as published in a CSV: text cells, symbols in place of numbers, ISO dates."""
    rows = [[cell_text(row, c, policy) for c in columns] for row in table.iter_rows(named=True)]
    return pl.DataFrame(rows, schema=[c[0] for c in columns], orient="row")
