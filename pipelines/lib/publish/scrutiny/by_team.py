"""The scrutiny export's table by team and service area: for each count or percentage KPI
recorded by team, each team (by its name in the extract), each service area of la.yaml with its
teams, and the LA, for the latest month and the same month last year.

Teams add up to their service area and service areas to the LA, so the disclosure policy's
secondary suppression runs over those nested totals (``suppression.suppress_pairs`` and
``suppress_table`` with row groups): a suppressed team cannot be worked out from its service
area, nor a service area from the LA. Workforce figures (agency share and headcount, vacancies)
count social workers, not children, and follow the same rule: a team's 1 to 5 agency FTE would
name its agency workers; a service area, adding several teams, is shown more often.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.publish import by_service, figures
from pipelines.lib.publish.disclosure import DisclosurePolicy
from pipelines.lib.publish.scrutiny.measures import (
    LAST_YEAR,
    LATEST,
    MEASURE_SCHEMA,
    measure,
    same_month_last_year,
)
from pipelines.lib.publish.suppression import suppress_pairs, suppress_table

TEAM, SERVICE, LA = "team", "service area", "LA"
TOTAL_LABEL = "All teams (LA total)"
SERVICE_TOTAL = "All teams in the service area"
ALL_SERVICES = "All service areas"
NO_SERVICE = "No service area"

BY_TEAM_SCHEMA: dict[str, Any] = {
    "kpi_id": pl.String,
    "area": pl.String,
    "label": pl.String,
    "unit": pl.String,
    "level": pl.String,
    "service_area": pl.String,
    "team": pl.String,
    "is_total": pl.Boolean,
    **MEASURE_SCHEMA,
}

# (kpi_id, LATEST or LAST_YEAR) -> the LA-total parts a by-team table had to suppress.
Forced = dict[tuple[str, str], set[str]]


@dataclass(frozen=True)
class Place:
    """One row of a KPI's block: a team, a service area's total or the LA's."""

    level: str
    service: str | None  # service-area code (None: no service area)
    team: str | None  # team id (None: not recorded); unused for totals


@dataclass(frozen=True)
class Layout:
    places: list[Place]
    groups: list[tuple[list[int], int]]  # (member rows, total row), for the nested totals


def layout(teams: list[str | None], area_of: dict[str, str], names: dict[str, str]) -> Layout:
    """Rows in the papers' order: each service area's teams (by name) then its total, teams with
    no service area, the LA last. Without service areas in la.yaml, the teams and the LA."""
    places: list[Place] = []
    groups: list[tuple[list[int], int]] = []
    ordered = by_service.group_order(TEAM, teams, names)
    if not area_of:
        places = [Place(TEAM, None, t) for t in ordered]
        groups.append((list(range(len(places))), len(places)))
        return Layout([*places, Place(LA, None, None)], groups)
    service_of = {t: area_of.get(t) if t is not None else None for t in ordered}
    codes = by_service.group_order("service_area", list(dict.fromkeys(service_of.values())), {})
    service_rows: list[int] = []
    team_indexes: list[int] = []
    for code in codes:
        members = [t for t in ordered if service_of[t] == code]
        first = len(places)
        places += [Place(TEAM, code, t) for t in members]
        team_indexes += range(first, len(places))
        groups.append((list(range(first, len(places))), len(places)))
        service_rows.append(len(places))
        places.append(Place(SERVICE, code, None))
    total = len(places)
    groups += [(service_rows, total), (team_indexes, total)]
    return Layout([*places, Place(LA, None, None)], groups)


def _titles(place: Place, names: dict[str, str], with_services: bool) -> tuple[str | None, str]:
    service = by_service.SERVICE_AREA_TITLES.get(place.service or "", place.service or NO_SERVICE)
    if place.level == LA:
        return (ALL_SERVICES if with_services else None), TOTAL_LABEL
    if place.level == SERVICE:
        return service, SERVICE_TOTAL
    return (service if with_services else None), by_service.group_title(TEAM, place.team, names)


def team_rows(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    kpi: KpiDefinition,
    policy: DisclosurePolicy,
    figure: dict[str, Any],
    forced: Forced,
) -> list[dict[str, Any]]:
    """One KPI's rows by team and service area and its LA total, for the latest month and the
    same month last year, with primary and secondary suppression down each column over the
    nested totals."""
    start, end = figure["period_start"], figure["period_end"]
    ly_start, ly_end = same_month_last_year(start)
    has_last_year = figure["last_year_period_end"] is not None
    found = con.execute(
        """select dimension, period_end, dimension_value, numerator, denominator, value
           from kpi.kpi_values_by_dimension
           where la_code = ? and extract_date = ? and kpi_id = ?
             and dimension in ('team', 'service_area') and grain = ? and period_end in (?, ?)""",
        [la_code, extract_date, kpi.id, figures.REPORT_GRAIN, end, ly_end],
    ).fetchall()
    cells = {(dim, code, p): (n or 0.0, d or 0.0, v) for dim, p, code, n, d, v in found}
    teams: list[str | None] = sorted({c for dim, c, _ in cells if dim == TEAM and c is not None})
    if any(cells[k][0] or cells[k][1] for k in cells if k[0] == TEAM and k[1] is None):
        teams.append(None)  # children with no team recorded: part of the total
    if not teams:
        return []
    area_of = by_service.service_areas(con, la_code)
    names = by_service.team_names(con, la_code, extract_date)
    plan = layout(teams, area_of, names)
    totals = {
        end: (figure["numerator"], figure["denominator"], figure["value"]),
        ly_end: (
            figure["last_year_numerator"],
            figure["last_year_denominator"],
            figure["last_year_value"],
        ),
    }

    def figures_of(place: Place, period: dt.date) -> tuple[Any, Any, Any]:
        if place.level == LA:
            return totals[period]
        key = ("team", place.team) if place.level == TEAM else ("service_area", place.service)
        return cells.get((*key, period), (0.0, 0.0, None))

    periods = (end, ly_end)
    count = kpi.unit == "count"
    # Columns that add up to the LA total: counts, or a percentage's numerator and denominator.
    parts = ("numerator",) if count else ("numerator", "denominator")
    columns = [(period, part) for period in periods for part in parts]
    position = {"numerator": 0, "denominator": 1}
    grid = [[figures_of(place, p)[position[part]] for p, part in columns] for place in plan.places]
    exempt = [[place.level == LA and policy.is_exempt(kpi.id)] * len(columns)
              for place in plan.places]  # fmt: skip
    suppress_grid = suppress_pairs if kpi.unit == "percent" else suppress_table
    flags = suppress_grid(grid, policy, groups=plan.groups, exempt=exempt)

    def suppress(row: int, period: dt.date) -> set[str]:
        hidden = {part for (p, part), flag in zip(columns, flags[row], strict=True)
                  if p == period and flag}  # fmt: skip
        return {"value"} if count and hidden else hidden

    rows = []
    for index, place in enumerate(plan.places):
        service_title, team_title = _titles(place, names, bool(area_of))
        row: dict[str, Any] = {
            "kpi_id": kpi.id,
            "area": kpi.area,
            "label": kpi.label,
            "unit": kpi.unit,
            "level": place.level,
            "service_area": service_title,
            "team": team_title,
            "is_total": place.level != TEAM,
            "period_start": start,
            "period_end": end,
            "last_year_period_start": ly_start,
            "last_year_period_end": ly_end,
        }
        for prefix, period, present in ((LATEST, end, True), (LAST_YEAR, ly_end, has_last_year)):
            n, d, v = figures_of(place, period)
            if place.level != LA and v is None and count:
                v = n  # a group with nothing in the month has no row: its count is 0
            hidden = suppress(index, period)
            if place.level == LA and hidden:
                forced.setdefault((kpi.id, prefix), set()).update(hidden)
            row |= measure(kpi, policy, prefix, present=present, numerator=n, denominator=d,
                            value=v, suppress=hidden)  # fmt: skip
        rows.append(row)
    return rows


def suppression_notes(table: pl.DataFrame, policy: DisclosurePolicy) -> list[str]:
    """What the table by team suppresses and why, for the workbook's notes: the rule, then each
    KPI with the figures it suppresses at each level (latest month and last year together)."""
    top = policy.threshold - 1
    lines = [
        "Teams are named as in the council's extract. Each service area's row adds up its teams "
        "(la.yaml service_areas); the LA total adds up every team, with any children or staff "
        "whose team was not recorded.",
        f"A team's or service area's count from 1 to {top} is shown as c, and so is a "
        "percentage whose numerator, or the count it leaves out, is that small. Agency social "
        "workers, FTEs and vacancies count staff, not children, and are suppressed the same way: "
        "a team holds a handful of workers, so a small number would identify them. A further "
        "figure is c where a suppressed one could otherwise be worked out from its service "
        "area's or the LA's total.",
    ]
    if table.is_empty():
        return lines
    for kpi_id in table["kpi_id"].unique(maintain_order=True):
        rows = table.filter(pl.col("kpi_id") == kpi_id).to_dicts()
        counts = []
        for level, word in ((TEAM, "team"), (SERVICE, "service-area"), (LA, "LA")):
            at = [r for r in rows if r["level"] == level]
            # Figures of both months, less a month with no figure at all (x).
            shown = [r[f"{p}value_status"] for r in at for p in (LATEST, LAST_YEAR)]
            shown = [status for status in shown if status != "not_available"]
            hidden = shown.count("suppressed")
            if at and hidden:
                counts.append(f"{hidden} of {len(shown)} {word} figures")
        if counts:
            lines.append(
                f"{rows[0]['label']}: {', '.join(counts)} suppressed (c), the latest month and "
                "the same month last year together."
            )
        else:
            lines.append(f"{rows[0]['label']}: nothing suppressed.")
    return lines
