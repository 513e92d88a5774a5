"""KPIs by service area and by team, read from the engine's tables, with team names from the
extract (the papers name teams, never codes).

A KPI recorded by team (``dimensions: [team]``) has a value per team and, through la.yaml
``service_areas``, per service area (``kpi.kpi_values_by_dimension``). The board report shows the
workforce by service (caseload, agency share and FTE, vacancies, headcount); the clinic pack a
page per service area and per team. The LA's own figure stands beside each. Figures here are
not suppressed: they are for internal meetings; public outputs apply the disclosure policy.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.outputs import newest_extract

# la.yaml service-area codes as headings, in the order a service is read (front door first).
SERVICE_AREA_TITLES = {
    "front_door": "Front door (MASH)",
    "assessment": "Assessment",
    "fieldwork": "Fieldwork (children in need and protection)",
    "children_in_care": "Children in care",
    "care_leavers": "Care leavers",
    "disability": "Disabled children",
    "other": "Other teams",
}
NOT_RECORDED = "Team not recorded"
# Headings the board and the clinic share.
NO_SERVICE = "No service area"
LA_TITLE = "The LA"
WHOLE_SERVICE = "Whole service"
NO_SERVICE_ABOUT = "teams that la.yaml service_areas does not list, and records with no team"


@dataclass(frozen=True)
class Cell:
    """One KPI figure for a group (a service area, a team or the LA) at a period end."""

    numerator: float | None
    denominator: float | None
    value: float | None


@dataclass(frozen=True)
class Breakdown:
    """A KPI's figures by group at one period end, and the LA's beside them."""

    kpi: KpiDefinition
    period_end: dt.date
    la: Cell | None
    groups: dict[str | None, Cell]  # group code (None: not recorded) -> figures


def team_names(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date | None = None
) -> dict[str, str]:
    """Team id -> team name, from ``ssd_department`` of the LA's extract (default: its current
    one; a team without a name keeps its id)."""
    rows = con.execute(
        """select dept_team_id, max(dept_team_name) from stg.ssd_department
           where la_code = ? and extract_date = ? and dept_team_id is not null
           group by 1""",
        [la_code, extract_date or newest_extract(con, la_code)],
    ).fetchall()
    return {team: name or team for team, name in rows}


def service_areas(con: duckdb.DuckDBPyConnection, la_code: str) -> dict[str, str]:
    """Team id -> service-area code, from the LA's la.yaml ``service_areas``."""
    rows = con.execute(
        "select team_id, service_area from meta.la_service_areas where la_code = ?", [la_code]
    ).fetchall()
    return dict(rows)


def group_title(dimension: str, code: str | None, names: dict[str, str]) -> str:
    """How a group is headed in a paper: a service area's title, a team's name."""
    if code is None:
        return NOT_RECORDED
    if dimension == "service_area":
        return SERVICE_AREA_TITLES.get(code, code)
    return names.get(code, code)


def service_title(code: str | None) -> str:
    """A service area's heading (``NO_SERVICE`` for teams la.yaml does not place)."""
    return NO_SERVICE if code is None else group_title("service_area", code, {})


def group_order(
    dimension: str, codes: Sequence[str | None], names: dict[str, str]
) -> list[str | None]:
    """Service areas in the order of ``SERVICE_AREA_TITLES``; teams by name; not recorded last."""
    known = list(SERVICE_AREA_TITLES)

    def key(code: str | None) -> tuple[int, int, str]:
        if code is None:
            return (1, 0, "")
        if dimension == "service_area":
            return (0, known.index(code) if code in known else len(known), code)
        return (0, 0, group_title(dimension, code, names).lower())

    return sorted(codes, key=key)


def breakdown(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    kpi: KpiDefinition,
    dimension: str,
    period_end: dt.date,
    grain: str = "month",
    extract_date: dt.date | None = None,
) -> Breakdown:
    """A KPI's figures by ``dimension`` (``service_area`` or ``team``) and for the LA, at one
    period end of the LA's extract (default: its current one)."""
    extract = extract_date or newest_extract(con, la_code)
    rows = con.execute(
        """select dimension_value, numerator, denominator, value
           from kpi.kpi_values_by_dimension
           where la_code = ? and kpi_id = ? and dimension = ? and grain = ? and period_end = ?
             and extract_date = ?""",
        [la_code, kpi.id, dimension, grain, period_end, extract],
    ).fetchall()
    total = con.execute(
        """select numerator, denominator, value from kpi.kpi_values where la_code = ?
           and kpi_id = ? and grain = ? and period_end = ? and extract_date = ?""",
        [la_code, kpi.id, grain, period_end, extract],
    ).fetchone()
    groups = {code: Cell(n, d, v) for code, n, d, v in rows}
    return Breakdown(kpi, period_end, Cell(*total) if total else None, groups)


def team_kpis(definitions: Sequence[KpiDefinition]) -> list[KpiDefinition]:
    """The KPIs recorded by team (and so by service area)."""
    return [k for k in definitions if "team" in k.dimensions]
