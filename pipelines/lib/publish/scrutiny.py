"""The scrutiny export: the figures a public committee paper needs, with disclosure control.

``data/published/<la>/public/scrutiny/<extract date>/`` holds

- ``scrutiny-figures.csv``: one row per KPI (grouped by business area): the latest complete
  month's value with its numerator and denominator, the same month a year earlier, the target in
  force, and the latest England and statistical-neighbour figures the DfE published;
- ``scrutiny-by-team.csv``: for the count and percentage KPIs recorded by team, each team's
  figures for the same two months and the LA total;
- ``scrutiny-figures.xlsx``: both tables formatted for pasting into a paper, and a Notes sheet
  (symbols, the disclosure policy, periods, every KPI's definition and source).

Small numbers are suppressed by ``disclosure`` (``kpi_definitions/disclosure.yaml``): cells hold
``c``, ``z``, ``x`` or ``low`` instead of a number where needed. Only aggregate figures appear:
no child, worker or row identifier. The folder is replaced whole, so a failed run leaves the
previous export in place.
"""

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import xlsxwriter

from pipelines.lib.formatting import round_half_up
from pipelines.lib.kpi import eras
from pipelines.lib.kpi.definitions import AREAS, KpiDefinition
from pipelines.lib.kpi.targets import Plan
from pipelines.lib.paths import public_outputs
from pipelines.lib.publish import cells, figures, folders
from pipelines.lib.publish.disclosure import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    SUPPRESSED,
    SYMBOL_MEANINGS,
    SYMBOLS,
    DisclosurePolicy,
    complement_is_small,
    derived_status,
    format_number,
    load_policy,
    rounded_status,
    suppress_pairs,
    suppress_table,
)
from pipelines.lib.publish.figures import Provenance

FIGURES_CSV = "scrutiny-figures.csv"
BY_TEAM_CSV = "scrutiny-by-team.csv"
WORKBOOK = "scrutiny-figures.xlsx"

UNIT_NAMES = {
    "percent": "%",
    "rate_per_10k": "per 10,000 children",
    "count": "number",
    "weeks": "weeks",
    "days": "days",
    "ratio": "ratio",
}
DIRECTION_WORDS = {"at_least": "at least", "at_most": "at most"}
# Units whose numerator is a length of time, not a count of children (the denominator is).
DURATION_UNITS = ("weeks", "days")
BY_TEAM_UNITS = ("count", "percent")
TOTAL_LABEL = "All teams (LA total)"
NOT_RECORDED_LABEL = "Team not recorded"
PARTS = ("value", "numerator", "denominator")
LATEST, LAST_YEAR = "", "last_year_"


# --- Periods ------------------------------------------------------------------------------------


def _same_month_last_year(period_start: dt.date) -> tuple[dt.date, dt.date]:
    year, month = period_start.year - 1, period_start.month
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def benchmark_year(period_end: dt.date | None) -> str:
    """How DfE figures name their period: ``2024-25`` for the year to 31 March, else the date
    (the workforce census is at 30 September)."""
    if period_end is None:
        return ""
    if (period_end.month, period_end.day) == (3, 31):
        return f"{period_end.year - 1}-{period_end.year % 100:02d}"
    return f"at {period_end.day} {period_end:%b %Y}"


# --- Suppression of one KPI's figures -----------------------------------------------------------


def _primary(
    kpi: KpiDefinition,
    policy: DisclosurePolicy,
    numerator: float | None,
    denominator: float | None,
    value: float | None,
) -> set[str]:
    """The parts of an LA-level figure that are small counts."""
    if policy.is_exempt(kpi.id):
        return set()
    if kpi.denominator == "none":
        return {"value"} if policy.is_small(value) else set()
    small = set()
    if kpi.unit not in DURATION_UNITS and policy.is_small(numerator):
        small.add("numerator")
    # A population is not a count to protect; every other denominator counts children or FTEs.
    if kpi.denominator != "population" and policy.is_small(denominator):
        small.add("denominator")
    if (
        kpi.unit == "percent"
        and "denominator" not in small
        and complement_is_small(numerator, denominator, policy)
    ):
        small.add("numerator")  # the count left out (3 late of 35) would show by subtraction
    return small


def _component_decimals(value: float, policy: DisclosurePolicy) -> int:
    # Numerators and denominators are whole counts, except FTEs and lengths of time.
    return 0 if float(value).is_integer() else policy.other_decimals


def _measure(
    kpi: KpiDefinition,
    policy: DisclosurePolicy,
    prefix: str,
    *,
    present: bool,
    missing: str = NOT_AVAILABLE,
    numerator: float | None,
    denominator: float | None,
    value: float | None,
    suppress: set[str],
) -> dict[str, Any]:
    """A figure's value, numerator and denominator as published: rounded, with a status each;
    a number with a status (suppressed, not applicable...) is dropped, so it cannot leak."""
    if not present:
        numbers: dict[str, float | None] = dict.fromkeys(PARTS)
        statuses: dict[str, str | None] = dict.fromkeys(PARTS, missing)
    elif kpi.denominator == "none":
        # The value is itself the count (or the FTE): there is no numerator or denominator.
        numbers = {"value": value, "numerator": None, "denominator": None}
        statuses = {"value": None, "numerator": NOT_APPLICABLE, "denominator": NOT_APPLICABLE}
        if suppress & {"value", "numerator"}:
            statuses["value"] = SUPPRESSED
        elif value is None:
            statuses["value"] = NOT_AVAILABLE
    else:
        numbers = {"value": value, "numerator": numerator, "denominator": denominator}
        statuses = {}
        for part in ("numerator", "denominator"):
            if part in suppress:
                statuses[part] = SUPPRESSED
            elif numbers[part] is None:
                statuses[part] = NOT_AVAILABLE
            else:
                statuses[part] = None
        if (
            statuses["denominator"] == SUPPRESSED
            and kpi.unit in DURATION_UNITS
            and statuses["numerator"] is None
        ):
            # A total length of time over a suppressed number of cases goes with it.
            statuses["numerator"] = SUPPRESSED
        if value is None:
            statuses["value"] = NOT_APPLICABLE if denominator == 0 else NOT_AVAILABLE
        else:
            statuses["value"] = SUPPRESSED if "value" in suppress else None
        statuses["value"] = derived_status(
            statuses["value"], [statuses["numerator"], statuses["denominator"]]
        )
    row: dict[str, Any] = {}
    for part in PARTS:
        number, status = numbers[part], statuses[part]
        if number is not None and status is None:
            decimals = (
                policy.decimals(kpi.unit)
                if part == "value"
                else _component_decimals(number, policy)
            )
            status = rounded_status(number, status, decimals)
            number = round_half_up(number, decimals) + 0.0 if status is None else None
        row[f"{prefix}{part}"] = number if status is None else None
        row[f"{prefix}{part}_status"] = status
    return row


# --- The tables ---------------------------------------------------------------------------------


MEASURE_SCHEMA = {
    **{f"{prefix}{name}": dtype for prefix in (LATEST, LAST_YEAR)
       for name, dtype in (("period_start", pl.Date), ("period_end", pl.Date))},
    **{f"{prefix}{part}{suffix}": (pl.Float64 if not suffix else pl.String)
       for prefix in (LATEST, LAST_YEAR) for part in PARTS for suffix in ("", "_status")},
}  # fmt: skip
FIGURES_SCHEMA: dict[str, Any] = {
    "kpi_id": pl.String,
    "area": pl.String,
    "label": pl.String,
    "unit": pl.String,
    **MEASURE_SCHEMA,
    "target_value": pl.Float64,
    "target_value_status": pl.String,
    "target_direction": pl.String,
    "target_due_date": pl.Date,
    "england_value": pl.Float64,
    "england_value_status": pl.String,
    "england_period_end": pl.Date,
    "sn_value": pl.Float64,
    "sn_value_status": pl.String,
    "sn_period_end": pl.Date,
}
BY_TEAM_SCHEMA: dict[str, Any] = {
    "kpi_id": pl.String,
    "area": pl.String,
    "label": pl.String,
    "unit": pl.String,
    "team": pl.String,
    "is_total": pl.Boolean,
    **MEASURE_SCHEMA,
}

# (kpi_id, LATEST or LAST_YEAR) -> the LA-total parts a by-team table had to suppress.
Forced = dict[tuple[str, str], set[str]]


def _ordered(definitions: Sequence[KpiDefinition]) -> list[KpiDefinition]:
    """By business area (the service's order), then as defined."""
    return sorted(definitions, key=lambda k: AREAS.index(k.area) if k.area in AREAS else len(AREAS))


def _team_rows(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    kpi: KpiDefinition,
    policy: DisclosurePolicy,
    figure: dict[str, Any],
    forced: Forced,
) -> list[dict[str, Any]]:
    """One KPI's team rows and LA total for the latest month and the same month last year, with
    primary and secondary suppression down each column (the LA total is the column total)."""
    start, end = figure["period_start"], figure["period_end"]
    ly_start, ly_end = _same_month_last_year(start)
    has_last_year = figure["last_year_period_end"] is not None
    found = con.execute(
        """select period_end, dimension_value, numerator, denominator, value
           from kpi.kpi_values_by_dimension
           where la_code = ? and extract_date = ? and kpi_id = ? and dimension = 'team'
             and grain = ? and period_end in (?, ?)""",
        [la_code, extract_date, kpi.id, figures.REPORT_GRAIN, end, ly_end],
    ).fetchall()
    cells = {(team, period): (n or 0.0, d or 0.0, v) for period, team, n, d, v in found}
    teams: list[str | None] = sorted({team for team, _ in cells if team is not None})
    if any(cells[key][0] or cells[key][1] for key in cells if key[0] is None):
        teams.append(None)  # children with no team recorded: part of the total
    if not teams:
        return []
    totals = {
        end: (figure["numerator"], figure["denominator"], figure["value"]),
        ly_end: (
            figure["last_year_numerator"],
            figure["last_year_denominator"],
            figure["last_year_value"],
        ),
    }
    periods = (end, ly_end)
    count = kpi.unit == "count"
    # Columns that add up to the LA total: counts, or a percentage's numerator and denominator.
    parts = ("numerator",) if count else ("numerator", "denominator")
    columns = [(period, part) for period in periods for part in parts]
    position = {"numerator": 0, "denominator": 1}
    grid: list[list[float | None]] = [
        [cells.get((team, p), (0.0, 0.0, None))[position[part]] for p, part in columns]
        for team in teams
    ]
    grid.append([totals[p][position[part]] for p, part in columns])
    exempt_total = policy.is_exempt(kpi.id)
    exempt = [[False] * len(columns) for _ in teams] + [[exempt_total] * len(columns)]
    suppress_grid = suppress_pairs if kpi.unit == "percent" else suppress_table
    flags = suppress_grid(grid, policy, total_row=-1, exempt=exempt)

    def suppress(row: int, period: dt.date) -> set[str]:
        hidden = {part for (p, part), flag in zip(columns, flags[row], strict=True)
                  if p == period and flag}  # fmt: skip
        return {"value"} if count and hidden else hidden

    rows = []
    for index, team in enumerate([*teams, TOTAL_LABEL]):
        is_total = index == len(teams)
        row: dict[str, Any] = {
            "kpi_id": kpi.id,
            "area": kpi.area,
            "label": kpi.label,
            "unit": kpi.unit,
            "team": NOT_RECORDED_LABEL if team is None else team,
            "is_total": is_total,
            "period_start": start,
            "period_end": end,
            "last_year_period_start": ly_start,
            "last_year_period_end": ly_end,
        }
        for prefix, period, present in ((LATEST, end, True), (LAST_YEAR, ly_end, has_last_year)):
            n, d, v = totals[period] if is_total else cells.get((team, period), (0.0, 0.0, None))
            if not is_total and v is None and count:
                v = n  # a team with nothing in the month has no row: its count is 0
            hidden = suppress(index, period)
            if is_total and hidden:
                forced.setdefault((kpi.id, prefix), set()).update(hidden)
            row |= _measure(kpi, policy, prefix, present=present, numerator=n, denominator=d,
                            value=v, suppress=hidden)  # fmt: skip
        rows.append(row)
    return rows


def _figure_row(
    kpi: KpiDefinition, policy: DisclosurePolicy, raw: dict[str, Any], forced: Forced
) -> dict[str, Any]:
    start = raw["period_start"]
    ly_start, ly_end = _same_month_last_year(start) if start else (None, None)
    row: dict[str, Any] = {
        "kpi_id": kpi.id,
        "area": kpi.area,
        "label": kpi.label,
        "unit": kpi.unit,
        "period_start": start,
        "period_end": raw["period_end"],
        "last_year_period_start": ly_start,
        "last_year_period_end": ly_end,
    }
    has_now = bool(raw["available"]) and raw["period_end"] is not None
    # A KPI whose events cannot exist in the extract's era is z (not applicable), not x.
    missing = NOT_APPLICABLE if eras.is_not_applicable(raw["unavailable_reason"]) else NOT_AVAILABLE
    has_last_year = has_now and raw["last_year_period_end"] is not None
    for prefix, present in ((LATEST, has_now), (LAST_YEAR, has_last_year)):
        numbers = {part: raw[f"{prefix}{part}"] for part in PARTS}
        suppress = _primary(kpi, policy, **numbers) | forced.get((kpi.id, prefix), set())
        row |= _measure(kpi, policy, prefix, present=present, suppress=suppress, missing=missing,
                        **numbers)  # fmt: skip
    if raw["plan_id"] is None:
        row |= {"target_value": None, "target_value_status": NOT_APPLICABLE,
                "target_direction": None, "target_due_date": None}  # fmt: skip
    else:
        target = raw["target_value"]
        row |= {
            "target_value": None
            if target is None
            else round_half_up(target, policy.decimals(kpi.unit)),
            "target_value_status": None if target is not None else NOT_AVAILABLE,
            "target_direction": DIRECTION_WORDS.get(raw["direction"], raw["direction"]),
            "target_due_date": raw["due_date"],
        }
    # Published benchmarks are shown as published: never suppressed or rounded again.
    for name, value, period in (("england", raw["england_value"], raw["england_period_end"]),
                                ("sn", raw["sn_value"], raw["sn_period_end"])):  # fmt: skip
        row |= {
            f"{name}_value": value,
            f"{name}_value_status": None if value is not None else NOT_AVAILABLE,
            f"{name}_period_end": period if value is not None else None,
        }
    return row


def scrutiny_tables(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
    policy: DisclosurePolicy,
) -> dict[str, pl.DataFrame]:
    """The export's tables, disclosure control applied: ``figures`` (one row per KPI, by area)
    and ``by_team``. Each published figure has a number column and a ``<column>_status`` column
    (``suppressed``, ``not_applicable``, ``not_available``, ``rounds_to_zero`` or null when
    shown); a number is null whenever it has a status. Numbers are rounded as published.

    Raises ``figures.NotPublishable`` when a blocking check of the extract (or of a KPI shown)
    failed."""
    figures.check_publishable(con, la_code, extract_date, [k.id for k in definitions])
    ordered = _ordered(definitions)
    raw_rows = {
        r["kpi_id"]: r
        for r in figures.kpi_figures(
            con, la_code, extract_date, ordered, figures.la_plans(con, la_code, plans)
        ).iter_rows(named=True)
    }
    forced: Forced = {}
    team_rows: list[dict[str, Any]] = []
    for kpi in ordered:
        raw = raw_rows[kpi.id]
        if (
            "team" in kpi.dimensions
            and kpi.unit in BY_TEAM_UNITS
            and (kpi.unit == "count" or kpi.denominator == "sum")
            and raw["available"]
            and raw["period_end"] is not None
        ):
            team_rows += _team_rows(con, la_code, extract_date, kpi, policy, raw, forced)
    # After the team tables: a total they had to suppress is suppressed here too.
    figure_rows = [_figure_row(kpi, policy, raw_rows[kpi.id], forced) for kpi in ordered]
    return {
        "figures": pl.DataFrame(figure_rows, schema=FIGURES_SCHEMA),
        "by_team": pl.DataFrame(team_rows, schema=BY_TEAM_SCHEMA),
    }


# --- Rendering ----------------------------------------------------------------------------------

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
    ("team", "Team", "team", "text", None),
    *_MEASURE_COLUMNS,
]
# The workbook leaves out what a paper does not need (the CSV keeps it for analysts).
_XLSX_SKIP = {"kpi_id", "period_start", "last_year_period_start"}


def _published_number(value: float) -> str:
    # As published: up to 6 decimals, no trailing zeros (8.55 stays 8.55, 3.0 becomes 3).
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _symbol(row: dict[str, Any], column: Column) -> str:
    """What an empty cell shows: the symbol of its own status, or of the figure it belongs to."""
    _, _, name, kind, status_of = column
    status = row.get(f"{name}_status") or (row.get(status_of) if status_of else None)
    return SYMBOLS[status] if status else ("x" if kind in ("month", "year") else "")


def _text(row: dict[str, Any], column: Column, policy: DisclosurePolicy) -> str:
    """A cell as written in the CSV: a symbol, an ISO date or a number at published precision."""
    _, _, name, kind, _ = column
    value = row[name]
    if value is None:
        return _symbol(row, column)
    if kind == "area":
        return figures.AREA_TITLES.get(value, value)
    if kind in ("month", "day", "year"):
        return value.isoformat()
    if kind == "measure" or kind == "target":
        return format_number(value, policy.decimals(row["unit"]))
    if kind == "component":
        return format_number(value, _component_decimals(value, policy))
    if kind == "published":
        return _published_number(value)
    return str(value)


def csv_frame(
    table: pl.DataFrame, columns: Sequence[Column], policy: DisclosurePolicy
) -> pl.DataFrame:
    """A table as published in a CSV: text cells, symbols in place of numbers, ISO dates."""
    rows = [[_text(row, c, policy) for c in columns] for row in table.iter_rows(named=True)]
    return pl.DataFrame(rows, schema=[c[0] for c in columns], orient="row")


class _Sheet:
    """Writes one workbook sheet: formats cached, column widths measured as cells are written."""

    def __init__(self, book: xlsxwriter.Workbook, name: str, policy: DisclosurePolicy) -> None:
        self.book, self.sheet, self.policy = book, book.add_worksheet(name), policy
        self.widths: dict[int, int] = {}
        self._formats: dict[tuple[Any, ...], Any] = {}
        self.sheet.set_landscape()
        self.sheet.set_paper(9)  # A4
        self.sheet.fit_to_pages(1, 0)

    def fmt(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.book.add_format({"valign": "top", **props})
        return self._formats[key]

    def note(self, row: int, text: str, **props: Any) -> None:
        # Not measured: a long note runs across the empty cells to its right.
        self.sheet.write_string(row, 0, text, self.fmt(**props))

    def text(self, row: int, col: int, text: str, **props: Any) -> None:
        self.sheet.write_string(row, col, text, self.fmt(**props))
        self.widths[col] = max(self.widths.get(col, 0), len(text) + 2)

    def title(self, lines: Iterable[str]) -> int:
        row = 0
        for index, line in enumerate(lines):
            self.sheet.write_string(row, 0, line, self.fmt(bold=True, font_size=14)
                                    if index == 0 else self.fmt(italic=True))  # fmt: skip
            row += 1
        return row + 1

    def table(self, start: int, table: pl.DataFrame, columns: Sequence[Column]) -> int:
        """Header and rows from ``start``; returns the next free row."""
        for col, column in enumerate(columns):
            self.text(
                start, col, column[1], bold=True, bottom=1, text_wrap=True, bg_color="#E7EEF6"
            )
            if column[3] not in ("text", "label"):
                self.widths[col] = min(self.widths[col], 18)  # long headers wrap
        # The header and the area and KPI columns stay in view.
        self.sheet.freeze_panes(start + 1, 2)
        row = start + 1
        for record in table.iter_rows(named=True):
            bold = bool(record.get("is_total"))
            for col, column in enumerate(columns):
                self._cell(row, col, record, column, bold)
            row += 1
        return row

    def _cell(self, row: int, col: int, record: dict[str, Any], column: Column, bold: bool) -> None:
        _, _, name, kind, _ = column
        value = record[name]
        extra = {"bold": True} if bold else {}
        if value is None:
            self.text(row, col, _symbol(record, column), align="right", **extra)
        elif kind in ("month", "day"):
            pattern = "mmm yyyy" if kind == "month" else "d mmm yyyy"
            self.sheet.write_datetime(row, col, value, self.fmt(num_format=pattern, **extra))
            self.widths[col] = max(self.widths.get(col, 0), 12)
        elif kind == "year":
            self.text(row, col, benchmark_year(value), align="right", **extra)
        elif kind in ("measure", "target", "component", "published"):
            if kind == "component":
                decimals = _component_decimals(value, self.policy)
            elif kind == "published":
                shown = _published_number(value)
                decimals = len(shown.partition(".")[2])
            else:
                decimals = self.policy.decimals(record["unit"])
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            self.sheet.write_number(row, col, value, self.fmt(num_format=pattern, **extra))
            self.widths[col] = max(self.widths.get(col, 0), len(f"{value:,.{decimals}f}") + 2)
        elif kind == "area":
            self.text(row, col, figures.AREA_TITLES.get(value, value), **extra)
        elif kind == "unit":
            self.text(row, col, UNIT_NAMES.get(value, value), **extra)
        elif kind == "label":
            self.text(row, col, value, text_wrap=True, **extra)
        else:
            self.text(row, col, str(value), **extra)

    def finish(self, max_width: int = 50) -> None:
        for col, width in self.widths.items():
            self.sheet.set_column(col, col, min(max(width, 6), max_width))


def _main_period(table: pl.DataFrame) -> dt.date | None:
    months = Counter(d for d in table["period_end"].to_list() if d is not None)
    return months.most_common(1)[0][0] if months else None


def write_workbook(
    path: Path,
    tables: dict[str, pl.DataFrame],
    definitions: Sequence[KpiDefinition],
    la_plans: Sequence[Plan],
    provenance: Provenance,
    policy: DisclosurePolicy,
) -> None:
    """The formatted workbook: sheets Figures, By team and Notes."""
    month = _main_period(tables["figures"])
    when = f"{month:%B %Y}" if month else "no complete month"
    heading = f"{provenance.la_name} ({provenance.la_code})"
    control = ("Statistical disclosure control applied: small numbers are shown as c. The Notes "
               "sheet explains every symbol.")  # fmt: skip
    book = xlsxwriter.Workbook(str(path))
    try:
        book.set_properties(
            {"title": f"Scrutiny figures: {heading}", "comments": provenance.footer()}
        )
        for name, key, columns, subtitle in (
            ("Figures", "figures", FIGURES_COLUMNS,
             f"Latest complete month: {when}, with the same month last year, the target and the "
             "latest published England and statistical-neighbour figures."),
            ("By team", "by_team", BY_TEAM_COLUMNS,
             f"By team: {when} and the same month last year. The LA total includes children "
             "whose team was not recorded."),
        ):  # fmt: skip
            sheet = _Sheet(book, name, policy)
            shown = [c for c in columns if c[0] not in _XLSX_SKIP]
            start = sheet.title([f"Scrutiny figures: {heading}", subtitle, control])
            if tables[key].is_empty():
                sheet.note(start, "No KPI recorded by team in this extract.")
                end = start + 1
            else:
                end = sheet.table(start, tables[key], shown)
            sheet.note(end + 1, provenance.footer(), italic=True)
            sheet.finish()
        _notes_sheet(book, tables, definitions, la_plans, provenance, policy, when)
    finally:
        book.close()


def _notes_sheet(
    book: xlsxwriter.Workbook,
    tables: dict[str, pl.DataFrame],
    definitions: Sequence[KpiDefinition],
    la_plans: Sequence[Plan],
    provenance: Provenance,
    policy: DisclosurePolicy,
    when: str,
) -> None:
    sheet = _Sheet(book, "Notes", policy)
    row = sheet.title([f"Notes: scrutiny figures for {provenance.la_name} ({provenance.la_code})"])
    row -= 1  # each heading starts with its own blank row
    wrap = {"text_wrap": True}

    def heading(text: str) -> None:
        nonlocal row
        row += 1
        sheet.sheet.write_string(row, 0, text, sheet.fmt(bold=True, font_size=12))
        row += 1

    def pair(first: str, second: str, third: str = "", **props: Any) -> None:
        nonlocal row
        sheet.sheet.write_string(row, 0, first, sheet.fmt(**wrap, **props))
        sheet.sheet.write_string(row, 1, second, sheet.fmt(**wrap, **props))
        if third:
            sheet.sheet.write_string(row, 2, third, sheet.fmt(**wrap, **props))
        row += 1

    heading("Symbols")
    pair("Symbol", "Meaning", bold=True)
    for symbol, meaning in SYMBOL_MEANINGS.items():
        pair(symbol, meaning)
    heading("Disclosure control")
    for number, line in enumerate(policy.describe(), start=1):
        pair(str(number), line)
    heading("Periods")
    plans = "; ".join(f"{p.title} ({p.set_by}, {p.issued:%B %Y})" for p in la_plans)
    for name, text in (
        ("Month", f"The latest complete calendar month on or before the extract date "
                  f"({provenance.extract_date:%d %B %Y}): {when}, unless the Month column says "
                  "otherwise. Snapshot figures are at the last day of the month; flows count the "
                  "whole month; rolling figures cover the 12 months to its end."),
        ("Same month last year", "The same calendar month a year earlier, from the same extract "
                                 "(past months can change when records are corrected)."),
        ("Target", "The target in force at the extract date (the next one due, else the last) "
                   f"from the plan(s) the LA follows: {plans or 'none'}. z: no target is set."),
        ("England, statistical neighbours",
         "The latest figure the DfE published: years to 31 March for children's social care "
         "statistics (2024-25 = the year to 31 March 2025), at 30 September for the social work "
         "workforce census. Statistical neighbours (median): the median of the published "
         "figures of the LA's 10 statistical neighbours (DfE model of May 2025). Shown as "
         "published, for a period that can differ from the LA's month. x: no published figure."),
        ("By team", "Each team's figures for the same months. Team rows add up to the LA total "
                    "(with any children whose team was not recorded)."),
    ):  # fmt: skip
        pair(name, text)
    heading("Definitions")
    pair("KPI", "Definition", "Source", bold=True)
    shown = set(tables["figures"]["kpi_id"].to_list())
    for kpi in _ordered(definitions):
        if kpi.id in shown:
            unit = UNIT_NAMES.get(kpi.unit, kpi.unit)
            pair(f"{kpi.label} ({kpi.id})", f"{kpi.description} Unit: {unit}.", kpi.source)
    row += 1
    sheet.sheet.write_string(row, 0, provenance.footer(), sheet.fmt(italic=True))
    sheet.sheet.set_column(0, 0, 36)
    sheet.sheet.set_column(1, 1, 90)
    sheet.sheet.set_column(2, 2, 50)
    sheet.sheet.set_landscape()


def write_scrutiny(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
    published_dir: Path,
    provenance: Provenance,
    policy: DisclosurePolicy | None = None,
) -> list[Path]:
    """Write the scrutiny export of one extract to
    ``published_dir/<la>/public/scrutiny/<extract date>/`` and return its files.

    The folder is written beside its final place and swapped in whole, so a run that fails
    leaves the previous export untouched. Raises ``figures.NotPublishable`` (nothing written)
    when a blocking check of the extract failed; the caller writes the "not published" page.
    ``policy`` defaults to ``kpi_definitions/disclosure.yaml``."""
    policy = policy or load_policy()
    tables = scrutiny_tables(con, la_code, extract_date, definitions, plans, policy)
    target = public_outputs(published_dir, la_code) / "scrutiny" / extract_date.isoformat()
    with folders.replacing(target) as staging:
        cells.write_csv(
            csv_frame(tables["figures"], FIGURES_COLUMNS, policy), staging / FIGURES_CSV
        )
        cells.write_csv(
            csv_frame(tables["by_team"], BY_TEAM_COLUMNS, policy), staging / BY_TEAM_CSV
        )
        write_workbook(
            staging / WORKBOOK,
            tables,
            definitions,
            figures.la_plans(con, la_code, plans),
            provenance,
            policy,
        )
    return [target / name for name in (FIGURES_CSV, BY_TEAM_CSV, WORKBOOK)]
