"""KPIs by service area and team: the figures of the current extract, the LA's beside them, team
names from the extract, groups in the papers' order."""

import datetime as dt
from collections.abc import Iterator

import duckdb
import pytest

from pipelines.lib import warehouse
from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.kpi.engine import ensure_kpi_schema
from pipelines.lib.publish.by_service import (
    NOT_RECORDED,
    Cell,
    breakdown,
    group_order,
    group_title,
    team_kpis,
    team_names,
)

LA, OLD, NEW, MAR = "900", dt.date(2024, 3, 24), dt.date(2024, 3, 31), dt.date(2024, 3, 31)


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    warehouse.ensure_schema(connection)
    ensure_kpi_schema(connection)
    for extract in (OLD, NEW):
        connection.execute("insert into kpi.kpi_runs values (?, ?, 'h', 1, 1, null)", [LA, extract])
    connection.execute(
        """insert into stg.ssd_department (la_code, extract_date, source_file, source_row,
               dept_team_id, dept_team_name)
           values (?, ?, 'f', 2, 'T01', 'MASH 1'), (?, ?, 'f', 3, 'T03', null),
                  (?, ?, 'f', 2, 'T01', 'Old name')""",
        [LA, NEW, LA, NEW, LA, OLD],
    )
    rows = [
        # (dimension, value code, numerator, denominator, value, extract)
        ("service_area", "fieldwork", 1668.0, 73.5, 22.693878, NEW),
        ("service_area", "children_in_care", 486.0, 48.1, 10.10395, NEW),
        ("service_area", None, 10.0, 2.0, 5.0, NEW),
        ("service_area", "fieldwork", 1.0, 1.0, 1.0, OLD),  # superseded extract: not read
    ]
    for dimension, code, n, d, v, extract in rows:
        connection.execute(
            """insert into kpi.kpi_values_by_dimension
               values (?, 'caseload_avg', 'month', '2024-03-01', ?, ?, ?, ?, ?, ?, 'ratio', ?)""",
            [LA, MAR, dimension, code, n, d, v, extract],
        )
    connection.execute(
        """insert into kpi.kpi_values
           values (?, 'caseload_avg', 'month', '2024-03-01', ?, 2164, 123.6, 17.508091, 'ratio', ?)""",
        [LA, MAR, NEW],
    )
    yield connection
    connection.close()


def test_breakdown_reads_the_current_extract_with_the_la_beside(
    con: duckdb.DuckDBPyConnection,
) -> None:
    kpi = next(k for k in load_definitions() if k.id == "caseload_avg")
    result = breakdown(con, LA, kpi, "service_area", MAR)
    assert result.la == Cell(2164, 123.6, 17.508091)
    assert result.groups == {
        "fieldwork": Cell(1668.0, 73.5, 22.693878),
        "children_in_care": Cell(486.0, 48.1, 10.10395),
        None: Cell(10.0, 2.0, 5.0),
    }
    assert group_order("service_area", list(result.groups), {}) == [
        "fieldwork", "children_in_care", None
    ]  # fmt: skip


def test_team_names_from_the_current_extract(con: duckdb.DuckDBPyConnection) -> None:
    names = team_names(con, LA)
    assert names == {"T01": "MASH 1", "T03": "T03"}  # a team without a name keeps its id
    assert group_title("team", "T01", names) == "MASH 1"
    assert group_title("team", None, names) == NOT_RECORDED
    assert group_title("service_area", "fieldwork", names).startswith("Fieldwork")
    assert group_order("team", ["T03", "T01", None], names) == ["T01", "T03", None]


def test_team_kpis_are_those_recorded_by_team() -> None:
    ids = {k.id for k in team_kpis(load_definitions())}
    assert {"caseload_avg", "agency_rate_pct", "assessments_45wd_pct"} <= ids
    assert "cla_open" not in ids
