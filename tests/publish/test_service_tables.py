"""The board report's teams and services: the workforce by service area and the KPIs by team,
from a small warehouse whose figures are written below (every expected cell worked out by hand
from them), and the three renderings carrying them."""

import dataclasses
import datetime as dt
from collections.abc import Iterator

import duckdb
import pytest
from openpyxl import Workbook

from pipelines.lib import warehouse
from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.kpi.engine import ensure_kpi_schema
from pipelines.lib.publish.board.content import BoardContent
from pipelines.lib.publish.board.render_docx import render_docx
from pipelines.lib.publish.board.render_html import render_html
from pipelines.lib.publish.board.render_xlsx import render_xlsx
from pipelines.lib.publish.board.service_tables import (
    SECTION_TITLE,
    ServiceTables,
    add_xlsx_sheet,
    read_service_tables,
    text_rows,
)

LA, EXTRACT = "900", dt.date(2024, 3, 31)
MARCH = EXTRACT
AREAS = {"T01": "front_door", "T07": "fieldwork", "T08": "fieldwork", "T15": "children_in_care"}
NAMES = {"T01": "MASH 1", "T07": "Safeguarding Team 1", "T08": "Safeguarding Team 2",
         "T15": "Children in Care Team 1", "T99": "Projects"}  # fmt: skip
# (kpi, unit, {group: (numerator, denominator)} by team, by service area (None: no service
# area) and "LA"). T99 is in the extract but not in la.yaml service_areas.
FIGURES = [
    ("agency_rate_pct", "percent",
     {"T01": (1, 6), "T07": (1, 10), "T08": (0, 8), "T15": (4, 12.5), "T99": (0, 2)},
     {"front_door": (1, 6), "fieldwork": (1, 18), "children_in_care": (4, 12.5), None: (0, 2)},
     (6, 38.5)),
    # A headcount: no row for a group with nobody counted (T08, no service area).
    ("agency_headcount", "count", {"T01": (1, None), "T07": (1, None), "T15": (4, None)},
     {"front_door": (1, None), "fieldwork": (1, None), "children_in_care": (4, None)},
     (6, None)),
    # No case holder in the front door: no row for T01 or front_door.
    ("caseload_avg", "ratio", {"T07": (228, 10), "T08": (130, 8), "T15": (130, 12.5)},
     {"fieldwork": (358, 18), "children_in_care": (130, 12.5)}, (488, 30.5)),
    ("vacancy_rate_pct", "percent",
     {"T01": (0, 5), "T07": (2, 11), "T08": (0, 6), "T15": (0, 8.5), "T99": (0, 2)},
     {"front_door": (0, 5), "fieldwork": (2, 17), "children_in_care": (0, 8.5), None: (0, 2)},
     (2, 32.5)),
    # A rate per the area's 50,000 children, recorded by team (the engine divides each team's
    # referrals by the whole population): T15 and T99 referred no child, so have no row.
    ("referral_rate_per_10k", "rate_per_10k",
     {"T01": (420, 50_000), "T07": (30, 50_000), "T08": (12, 50_000)},
     {"front_door": (420, 50_000), "fieldwork": (42, 50_000)}, (462, 50_000)),
]  # fmt: skip


REFERRALS = "Referrals in the 12 months to the month end: number (the LA: per 10,000 children)"


def _value(unit: str, n: float, d: float | None) -> float:
    if d is None:
        return n
    return {"percent": 100, "rate_per_10k": 10_000}.get(unit, 1) * n / d


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    warehouse.ensure_schema(connection)
    ensure_kpi_schema(connection)
    connection.execute("insert into kpi.kpi_runs values (?, ?, 'h', 1, 1, null)", [LA, EXTRACT])
    for team, name in NAMES.items():
        connection.execute(
            """insert into stg.ssd_department (la_code, extract_date, source_file, source_row,
                   dept_team_id, dept_team_name) values (?, ?, 'f', 2, ?, ?)""",
            [LA, EXTRACT, team, name],
        )
    for team, area in AREAS.items():
        connection.execute("insert into meta.la_service_areas values (?, ?, ?)", [LA, team, area])
    for kpi, unit, teams, services, (la_n, la_d) in FIGURES:
        for dimension, groups in (("team", teams), ("service_area", services)):
            for code, (n, d) in groups.items():
                connection.execute(
                    """insert into kpi.kpi_values_by_dimension values
                       (?, ?, 'month', '2024-03-01', ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [LA, kpi, MARCH, dimension, code, n, d, _value(unit, n, d), unit, EXTRACT],
                )
        connection.execute(
            "insert into kpi.kpi_values values (?, ?, 'month', '2024-03-01', ?, ?, ?, ?, ?, ?)",
            [LA, kpi, MARCH, la_n, la_d, _value(unit, la_n, la_d), unit, EXTRACT],
        )
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def service(con: duckdb.DuckDBPyConnection) -> ServiceTables:
    found = read_service_tables(con, LA, EXTRACT, MARCH, load_definitions())
    assert found is not None
    return found


def _texts(rows: list[list[tuple[str, str | None]]]) -> list[list[str]]:
    return [[text for text, _ in row] for row in rows]


def test_workforce_by_service_area(service: ServiceTables) -> None:
    grid = service.workforce
    assert grid is not None
    assert grid.caption == "Workforce by service area at the end of March 2024"
    assert grid.header == ("Service area", "Average caseload (children per FTE)",
                           "Agency share (% of FTE)", "Agency social workers (headcount)",
                           "Social worker FTE", "Vacancy rate (% of FTE)")  # fmt: skip
    # Caseload 358 / 18 = 19.89 -> 19.9; agency 1 / 18 = 5.56% -> 5.6%; 4 / 12.5 = 32.0%;
    # vacancies 2 / 17 = 11.76% -> 11.8%; the LA 488 / 30.5 = 16.0, 6 / 38.5 = 15.58% -> 15.6%,
    # 2 / 32.5 = 6.15% -> 6.2%. FTE is the agency share's denominator. The front door and the
    # teams of no service area have social workers in post (6.0 and 2.0 FTE) but no caseload row:
    # no case holders, said in the cell and why under the table; nobody counted in a headcount
    # with an LA figure is 0.
    assert _texts(text_rows(grid)) == [
        ["Front door (MASH)", "no case holders", "16.7%", "1", "6.0", "0.0%"],
        ["Fieldwork (children in need and protection)", "19.9", "5.6%", "1", "18.0", "11.8%"],
        ["Children in care", "10.4", "32.0%", "4", "12.5", "0.0%"],
        ["No service area", "no case holders", "0.0%", "0", "2.0", "0.0%"],
        ["The LA", "16.0", "15.6%", "6", "38.5", "6.2%"],
    ]
    assert "No service area: teams that la.yaml service_areas does not list" in grid.note
    assert grid.note.endswith(
        "No case holders (Front door (MASH), No service area): social workers are in post, but "
        "none held a case at the month end. A case is a child allocated to a named social worker "
        "(an involvement whose role la.yaml maps to ALLOCATED_SOCIAL_WORKER), as the DfE's "
        "caseload counts it; contacts screened at the front door by duty workers are not "
        "allocations, nor are care leavers' personal advisers, so a front door or a leaving-care "
        "team usually has no case holder."
    )


def test_kpis_by_team_a_table_per_service_area_with_team_names(service: ServiceTables) -> None:
    captions = [g.caption for g in service.by_team]
    assert captions == [
        "KPIs by team: Front door (MASH), March 2024",
        "KPIs by team: Fieldwork (children in need and protection), March 2024",
        "KPIs by team: Children in care, March 2024",
        "KPIs by team: No service area, March 2024",
    ]
    fieldwork = service.by_team[1]
    assert fieldwork.header == ("KPI", "Safeguarding Team 1", "Safeguarding Team 2",
                                "Whole service", "The LA")  # fmt: skip
    rows = {row[0]: row[1:] for row in _texts(text_rows(fieldwork))}
    # Caseload T08 130 / 8 = 16.25 -> 16.3 (half up); T08 has no agency worker: 0. Referrals:
    # the teams' and the service's numbers (30, 12, 30 + 12 = 42), not 6.0 and 2.4 "per 10,000"
    # of the area's children; the LA's rate 10,000 x 462 / 50,000 = 92.4.
    assert rows == {
        "Agency social workers in post (headcount)": ["1", "0", "1", "6"],
        "Agency social workers (% of FTE)": ["10.0%", "0.0%", "5.6%", "15.6%"],
        "Average caseload per social worker FTE": ["22.8", "16.3", "19.9", "16.0"],
        "Social worker vacancy rate (% of FTE)": ["18.2%", "0.0%", "11.8%", "6.2%"],
        REFERRALS: ["30", "12", "42", "92.4 per 10,000"],
    }
    assert (
        "Referrals per 10,000 children is a rate for the whole area: a team or service area has "
        "no child population of its own, so its cells show the number (referrals in the 12 "
        "months to the month end, the rate's numerator) and only the LA's cell is the rate."
    ) in fieldwork.note
    # The front door has no caseload figure: the KPI is left out of its table.
    front_door = {row[0]: row[1:] for row in _texts(text_rows(service.by_team[0]))}
    assert "Average caseload per social worker FTE" not in front_door
    assert front_door[REFERRALS] == ["420", "420", "92.4 per 10,000"]
    # Children in care recorded no referral: no row, and no note about the rate.
    cic = service.by_team[2]
    assert not any(r.title.startswith("Referrals") for r in cic.rows)
    assert "rate for the whole area" not in cic.note
    # A team the extract names but la.yaml does not place, under "No service area".
    assert service.by_team[3].header == ("KPI", "Projects", "Whole service", "The LA")


def test_workbook_cells_are_numbers_in_the_units_format(service: ServiceTables) -> None:
    workbook = Workbook()
    add_xlsx_sheet(workbook, service, "Monthly report for March 2024")
    sheet = workbook[SECTION_TITLE]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    caption = next(r for r in values if str(r[0]).startswith("Workforce by service area"))
    header = values[values.index(caption) + 1]
    assert header[2] == "Agency share (% of FTE)"
    assert any(str(r[0]).startswith("A blank") for r in values)
    # The front door's caseload stays an empty cell (every figure a number); the note says why.
    front_door = next(r for r in sheet.iter_rows() if r[0].value == "Front door (MASH)")
    assert front_door[1].value is None
    assert any(str(r[0]).startswith("A blank") and "No case holders (Front door" in str(r[0])
               for r in values)  # fmt: skip
    row = next(r for r in sheet.iter_rows() if r[0].value == "Children in care")
    assert (row[2].value, row[2].number_format) == (32.0, '0.0"%"')
    assert (row[3].value, row[3].number_format) == (4, "#,##0")
    # The referrals row: the teams' numbers as counts, the LA's rate in its own format.
    referrals = [r for r in sheet.iter_rows() if str(r[0].value).startswith("Referrals")]
    fieldwork = referrals[1]
    assert [(c.value, c.number_format) for c in fieldwork[1:4]] == [(30, "#,##0"), (12, "#,##0"),
                                                                    (42, "#,##0")]  # fmt: skip
    assert (fieldwork[4].value, fieldwork[4].number_format) == (pytest.approx(92.4), "0.0")


def test_no_tables_without_a_kpi_recorded_by_team(con: duckdb.DuckDBPyConnection) -> None:
    no_team = [k for k in load_definitions() if "team" not in k.dimensions]
    assert read_service_tables(con, LA, EXTRACT, MARCH, no_team) is None


def test_the_page_document_and_workbook_carry_the_tables(service: ServiceTables) -> None:
    content = BoardContent(
        la_code=LA, la_name="Test LA", cadence="monthly", title="Improvement board report",
        period_text="Monthly report for March 2024", period_end=MARCH, extract_date=EXTRACT,
        plans=(), areas=(), history_months=(), footer="Test footer",
    )  # fmt: skip
    assert "Teams and services" not in render_html(content)  # nothing when not read
    content = dataclasses.replace(content, service=service)
    page = render_html(content)
    assert '<a href="#by-service">Teams and services</a>' in page
    assert "<caption>Workforce by service area at the end of March 2024</caption>" in page
    assert '<th scope="col">Safeguarding Team 2</th>' in page
    document = render_docx(content)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "KPIs by team: Children in care, March 2024" in headings
    assert any(t.rows[0].cells[1].text == "Safeguarding Team 1" for t in document.tables)
    book = render_xlsx(content)
    sheet = book["Teams and services"]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "Workforce by service area at the end of March 2024" in values
    assert 32.0 in values and "32.0%" not in values
