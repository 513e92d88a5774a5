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
from pipelines.lib.publish.disclosure import NOT_APPLICABLE, NOT_AVAILABLE, DisclosurePolicy
from pipelines.lib.publish.scrutiny import by_team
from pipelines.lib.publish.scrutiny.by_team import BY_TEAM_SCHEMA, Forced
from pipelines.lib.publish.scrutiny.measures import (
    LAST_YEAR,
    LATEST,
    MEASURE_SCHEMA,
    PARTS,
    measure,
    primary_suppression,
    same_month_last_year,
)

BY_TEAM_UNITS = ("count", "percent")

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


def ordered(definitions: Sequence[KpiDefinition]) -> list[KpiDefinition]:
    """By business area (the service's order), then as defined."""
    return sorted(definitions, key=lambda k: AREAS.index(k.area) if k.area in AREAS else len(AREAS))


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
            team_rows += by_team.team_rows(con, la_code, extract_date, kpi, policy, raw, forced)
    # After the team tables: a total they had to suppress is suppressed here too.
    figure_rows = [_figure_row(kpi, policy, raw_rows[kpi.id], forced) for kpi in kpis]
    return {
        "figures": pl.DataFrame(figure_rows, schema=FIGURES_SCHEMA),
        "by_team": pl.DataFrame(team_rows, schema=BY_TEAM_SCHEMA),
    }
