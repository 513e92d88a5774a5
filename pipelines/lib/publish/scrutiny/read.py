"""The scrutiny export's read step: the export's tables from the warehouse, disclosure control
applied, as frames of numbers and statuses (``measures.py``); nothing here lays anything out."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

import duckdb
import polars as pl

from pipelines.lib import formatting
from pipelines.lib.kpi import eras
from pipelines.lib.kpi.definitions import AREAS, KpiDefinition
from pipelines.lib.kpi.targets import Plan
from pipelines.lib.publish import figures
from pipelines.lib.publish.disclosure import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    DisclosurePolicy,
    suppress_pairs,
    suppress_table,
)
from pipelines.lib.publish.scrutiny.measures import (
    LAST_YEAR,
    LATEST,
    PARTS,
    measure,
    primary_suppression,
    same_month_last_year,
)

BY_TEAM_UNITS = ("count", "percent")
TOTAL_LABEL = "All teams (LA total)"
NOT_RECORDED_LABEL = "Team not recorded"

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


def ordered(definitions: Sequence[KpiDefinition]) -> list[KpiDefinition]:
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
    ly_start, ly_end = same_month_last_year(start)
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
            row |= measure(kpi, policy, prefix, present=present, numerator=n, denominator=d,
                            value=v, suppress=hidden)  # fmt: skip
        rows.append(row)
    return rows


def _figure_row(
    kpi: KpiDefinition, policy: DisclosurePolicy, raw: dict[str, Any], forced: Forced
) -> dict[str, Any]:
    start = raw["period_start"]
    ly_start, ly_end = same_month_last_year(start) if start else (None, None)
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
        suppress = primary_suppression(kpi, policy, **numbers) | forced.get((kpi.id, prefix), set())
        row |= measure(kpi, policy, prefix, present=present, suppress=suppress, missing=missing,
                        **numbers)  # fmt: skip
    if raw["plan_id"] is None:
        row |= {"target_value": None, "target_value_status": NOT_APPLICABLE,
                "target_direction": None, "target_due_date": None}  # fmt: skip
    else:
        target = raw["target_value"]
        row |= {
            "target_value": None
            if target is None
            else formatting.round_half_up(target, policy.decimals(kpi.unit)),
            "target_value_status": None if target is not None else NOT_AVAILABLE,
            "target_direction": formatting.bound_word(raw["direction"])
            if raw["direction"]
            else None,
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
    kpis = ordered(definitions)
    raw_rows = {
        r["kpi_id"]: r
        for r in figures.kpi_figures(
            con, la_code, extract_date, kpis, figures.la_plans(con, la_code, plans)
        ).iter_rows(named=True)
    }
    forced: Forced = {}
    team_rows: list[dict[str, Any]] = []
    for kpi in kpis:
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
    figure_rows = [_figure_row(kpi, policy, raw_rows[kpi.id], forced) for kpi in kpis]
    return {
        "figures": pl.DataFrame(figure_rows, schema=FIGURES_SCHEMA),
        "by_team": pl.DataFrame(team_rows, schema=BY_TEAM_SCHEMA),
    }
