"""The board report's service and team views: the workforce by service area at the reported
month end (caseload, agency share and headcount, social worker FTE, vacancy rate) and each KPI
recorded by team, a table per service area with its teams by name, the service and the LA beside.

Read from the engine's figures by team and service area (``by_service``), as plain data the
renderers lay out: text cells for the page and the document, typed cells for the workbook. The
figures are internal and not suppressed, as the rest of the report.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import duckdb
from openpyxl import Workbook

from pipelines.lib import formatting
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.publish import by_service
from pipelines.lib.publish.xlsx_tables import Formatted, TableSheet

# (KPI, the part of its figure shown, column heading). Social worker FTE is the agency share's
# denominator: employed plus agency FTE in post, as sw_fte counts it, which has no team.
WORKFORCE_COLUMNS = (
    ("caseload_avg", "value", "Average caseload (children per FTE)"),
    ("agency_rate_pct", "value", "Agency share (% of FTE)"),
    ("agency_headcount", "value", "Agency social workers (headcount)"),
    ("agency_rate_pct", "denominator", "Social worker FTE"),
    ("vacancy_rate_pct", "value", "Vacancy rate (% of FTE)"),
)
BLANK_NOTE = (
    "A blank: no figure for that group at the month end (no social worker holding cases, no "
    "social worker in post, or no event in the month). {no_service}"
)
NO_SERVICE_NOTE = f"{by_service.NO_SERVICE}: {by_service.NO_SERVICE_ABOUT}."

NO_CASE_HOLDER = "no case holders"
NO_CASE_HOLDER_NOTE = (
    "No case holders ({services}): social workers are in post, but none held a case at the "
    "month end. A case is a child allocated to a named social worker (an involvement whose role "
    "la.yaml maps to ALLOCATED_SOCIAL_WORKER), as the DfE's caseload counts it; contacts "
    "screened at the front door by duty workers are not allocations, nor are care leavers' "
    "personal advisers, so a front door or a leaving-care team usually has no case holder."
)


class Cell(NamedTuple):
    value: float | None
    unit: str
    blank: str = ""  # what the page and the document say when there is no value


@dataclass(frozen=True)
class Row:
    title: str
    cells: tuple[Cell, ...]
    is_total: bool = False  # the service area's or the LA's own row or column


@dataclass(frozen=True)
class Grid:
    """A table of figures: a caption, its header, rows of (value, unit) cells, a note."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    note: str


@dataclass(frozen=True)
class ServiceTables:
    period_end: dt.date
    workforce: Grid | None  # None: no workforce KPI recorded by team in this extract
    by_team: tuple[Grid, ...]


def _value(
    cell: by_service.Cell | None, kpi: KpiDefinition, part: str, la_known: bool
) -> float | None:
    """A group's figure; a count with no row is 0 when the LA has a figure (nothing counted)."""
    counted = part == "numerator" or (kpi.unit == "count" and part == "value")
    if cell is None:
        return 0.0 if counted and la_known else None
    return {"value": cell.value, "numerator": cell.numerator, "denominator": cell.denominator}[part]


def _unit(kpi: KpiDefinition, part: str) -> str:
    return kpi.unit if part == "value" else "ratio"  # an FTE: one decimal place


def _workforce(
    breakdowns: dict[str, by_service.Breakdown], services: Sequence[str | None], month: str
) -> Grid | None:
    columns = [(kpi_id, part, h) for kpi_id, part, h in WORKFORCE_COLUMNS if kpi_id in breakdowns]
    if not columns:
        return None
    rows, without_case_holders = [], []
    for code in [*services, "la"]:
        cells = []
        for kpi_id, part, _ in columns:
            b = breakdowns[kpi_id]
            la_known = b.la is not None and b.la.value is not None
            cell = b.la if code == "la" else b.groups.get(code)
            value = _value(cell, b.kpi, part, la_known)
            blank = ""
            if kpi_id == "caseload_avg" and value is None and _fte_in_post(breakdowns, code):
                blank = NO_CASE_HOLDER
                without_case_holders.append(by_service.service_title(code))
            cells.append(Cell(value, _unit(b.kpi, part), blank))
        title = by_service.LA_TITLE if code == "la" else by_service.service_title(code)
        rows.append(Row(title, tuple(cells), is_total=code == "la"))
    note = BLANK_NOTE.format(no_service=NO_SERVICE_NOTE if None in services else "").strip()
    if without_case_holders:
        note += " " + NO_CASE_HOLDER_NOTE.format(services=", ".join(without_case_holders))
    return Grid(
        f"Workforce by service area at the end of {month}",
        ("Service area", *(h for _, _, h in columns)),
        tuple(rows),
        note,
    )


def _fte_in_post(breakdowns: dict[str, by_service.Breakdown], code: str | None) -> bool:
    """Whether the group has social workers in post (the agency share's denominator, FTE)."""
    agency = breakdowns.get("agency_rate_pct")
    cell = None if agency is None else agency.la if code == "la" else agency.groups.get(code)
    return cell is not None and bool(cell.denominator)


def population_rate(kpi: KpiDefinition) -> bool:
    """A rate per the area's child population (per 10,000): a team or a service area has no
    population of its own, so its share of the area's rate means nothing; its count does."""
    return kpi.denominator == "population"


# What a rate's count covers, by the KPI's kind (as the rate counts it).
COUNTED_WHEN = {
    "flow": "in the month",
    "rolling": "in the 12 months to the month end",
    "snapshot": "at the month end",
}


def _counted(kpi: KpiDefinition) -> tuple[str, str]:
    """(``Referrals``, ``per 10,000 children``) from ``Referrals per 10,000 children``: what the
    rate counts, and per what."""
    counted, per, rest = kpi.label.partition(" per ")
    return counted, f"per {rest}" if per else "as a rate"


def count_title(kpi: KpiDefinition) -> str:
    """The row of a rate per population: the teams' counts, the LA's rate."""
    counted, per = _counted(kpi)
    return f"{counted} {COUNTED_WHEN[kpi.kind]}: number (the LA: {per})"


def count_note(kpi: KpiDefinition) -> str:
    return (
        f"{kpi.label} is a rate for the whole area: a team or service area has no child "
        f"population of its own, so its cells show the number ({_counted(kpi)[0].lower()} "
        f"{COUNTED_WHEN[kpi.kind]}, the rate's numerator) and only the LA's cell is the rate."
    )


def _team_grid(
    title: str,
    code: str | None,
    teams: Sequence[str | None],
    names: dict[str, str],
    by_team: Sequence[tuple[by_service.Breakdown, by_service.Breakdown]],
    month: str,
) -> Grid:
    """One service area's table: a row per KPI, a column per team, the service and the LA. A
    rate per population shows the teams' and the service's counts (``population_rate``)."""
    rows, counted = [], []
    for team_figures, service_figures in by_team:
        if code not in service_figures.groups:
            continue  # nothing recorded in the service's teams: not a figure of theirs
        kpi = team_figures.kpi
        la_known = team_figures.la is not None and team_figures.la.value is not None
        part, unit = ("numerator", "count") if population_rate(kpi) else ("value", kpi.unit)
        cells = [Cell(_value(team_figures.groups.get(t), kpi, part, la_known), unit) for t in teams]
        cells.append(Cell(_value(service_figures.groups.get(code), kpi, part, la_known), unit))
        cells.append(Cell(team_figures.la.value if team_figures.la else None, kpi.unit))
        rows.append(Row(count_title(kpi) if part == "numerator" else kpi.label, tuple(cells)))
        if part == "numerator":
            counted.append(kpi)
    header = (
        "KPI",
        *(by_service.group_title("team", t, names) for t in teams),
        by_service.WHOLE_SERVICE,
        by_service.LA_TITLE,
    )
    return Grid(
        f"KPIs by team: {title}, {month}",
        header,
        tuple(rows),
        "Flows count the month's events; snapshots are at the month end. A KPI with nothing "
        "recorded in the service's teams in the month is left out. "
        + "".join(f"{count_note(kpi)} " for kpi in counted)
        + BLANK_NOTE.format(no_service=NO_SERVICE_NOTE if code is None else "").strip(),
    )


def read_service_tables(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    period_end: dt.date,
    definitions: Sequence[KpiDefinition],
) -> ServiceTables | None:
    """The service and team tables of one extract at the month end ``period_end``; None when
    no KPI recorded by team has a figure for the LA then."""
    month = f"{period_end:%B %Y}"
    # KPIs recorded by team with an LA figure at the month end (others are not applicable or
    # not available from this extract, and the report says so elsewhere).
    every = [
        by_service.breakdown(con, la_code, k, "team", period_end, "month", extract_date)
        for k in by_service.team_kpis(definitions)
    ]
    team_figures = {b.kpi.id: b for b in every if b.la is not None and b.la.value is not None}
    if not team_figures:
        return None
    kpis = [b.kpi for b in team_figures.values()]
    service_figures = {
        k.id: by_service.breakdown(
            con, la_code, k, "service_area", period_end, "month", extract_date
        )
        for k in kpis
    }
    area_of = by_service.service_areas(con, la_code)
    names = by_service.team_names(con, la_code, extract_date)
    seen_teams = {t for b in team_figures.values() for t in b.groups}
    has_no_service = any(None in b.groups for b in service_figures.values())
    services: list[str | None] = by_service.group_order(
        "service_area", sorted(set(area_of.values())), {}
    )
    if has_no_service:
        services.append(None)
    workforce = _workforce(
        {k: b for k, b in service_figures.items() if k in {c[0] for c in WORKFORCE_COLUMNS}},
        services,
        month,
    )
    pairs = [(team_figures[k.id], service_figures[k.id]) for k in kpis]
    # A table per service area, of its teams with a figure (a team la.yaml lists with nothing
    # recorded, such as a directorate's own code, would be an empty column).
    tables = []
    for code in services:
        members = [t for t in seen_teams if (area_of.get(t) if t is not None else None) == code]
        teams = by_service.group_order("team", members, names)
        grid = _team_grid(by_service.service_title(code), code, teams, names, pairs, month)
        if teams and grid.rows:
            tables.append(grid)
    return ServiceTables(period_end, workforce, tuple(tables))


SECTION_TITLE = "Teams and services"


def grids(service: ServiceTables) -> list[Grid]:
    """The tables in reading order: the workforce by service, then a table per service area."""
    return [g for g in (service.workforce, *service.by_team) if g is not None]


def text_rows(grid: Grid) -> list[list[tuple[str, str | None]]]:
    """The grid as the page and the document show it: each figure by the one formatting rule, a
    blank with its reason where one is known."""
    return [[(row.title, None), *((_text(c), None) for c in row.cells)] for row in grid.rows]


def _text(cell: Cell) -> str:
    return formatting.value_text(cell.value, cell.unit, empty=cell.blank)


def add_xlsx_sheet(workbook: Workbook, service: ServiceTables, period_text: str) -> None:
    """The grids on a sheet of their own, each a table: the group's name, then each figure a
    number in its unit's format (a row's cells may differ in unit, so each says its own). A
    blank stays empty, every figure a number: the note under the table says why."""
    sheet = TableSheet(workbook, SECTION_TITLE)
    sheet.lines([period_text], title=SECTION_TITLE)
    for g in grids(service):
        sheet.heading(g.caption)
        rows = [
            [row.title, *(Formatted(c.value, formatting.xlsx_format(c.unit)) for c in row.cells)]
            for row in g.rows
        ]
        sheet.table(g.header, rows, ("label", *["number"] * (len(g.header) - 1)))
        sheet.lines([g.note])
    sheet.finish()
