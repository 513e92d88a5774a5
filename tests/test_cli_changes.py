"""`csc-kpis change`: the sentences for an LA's targets, and for two months chosen, read from the
warehouse; mistakes exit 2 with one line and write nothing."""

import datetime as dt
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.lib import warehouse
from pipelines.lib.kpi.engine import ensure_kpi_schema

EXTRACT = dt.date(2024, 3, 31)
# cp_share_of_open_cases_pct has a local_plan_2022 target with a baseline date of 2022-10-31.
VALUES = [
    ("cp_share_of_open_cases_pct", "2022-10-31", 15.882968),
    ("cp_share_of_open_cases_pct", "2023-01-31", 16.04),
    ("cp_share_of_open_cases_pct", "2024-03-31", 7.463742),
]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    db = tmp_path / "warehouse" / "csc.duckdb"
    db.parent.mkdir(parents=True)
    with warehouse.connect(db, write=True) as con:
        warehouse.ensure_schema(con)
        ensure_kpi_schema(con)
        con.execute(
            "insert into meta.la values ('900', 'Test', ['local_plan_2022'], null, null, null)"
        )
        con.execute(
            """insert into meta.deliveries values
               ('900', ?, 'd1', 'loaded', 'f', 1, 1, 1, 0, 0, null)""",
            [EXTRACT],
        )
        con.execute("insert into kpi.kpi_runs values ('900', ?, 'h', 1, 1, 'd1')", [EXTRACT])
        for kpi_id, end, value in VALUES:
            con.execute(
                """insert into kpi.kpi_values
                   values ('900', ?, 'month', ?, ?, null, null, ?, 'percent', ?)""",
                [kpi_id, end, end, value, EXTRACT],
            )
    return tmp_path


def test_baseline_to_latest_month(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["change", "--la", "900", "--kpi", "cp_share_of_open_cases_pct"]
    assert main([*args, "--data-dir", str(data_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "LA 900, KPIs computed from the extract of 31 March 2024:",
        "Share of open cases on a child protection plan: from 15.9% at the end of October 2022 "
        "(the baseline) to 7.5% at the end of March 2024, down 8.4 points, an improvement.",
    ]


def test_two_months_chosen(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["change", "--la", "900", "--from", "2023-01", "--to", "2024-03"]
    assert main([*args, "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert (
        "Share of open cases on a child protection plan: from 16.0% at the end of January 2023 "
        "to 7.5% at the end of March 2024, down 8.5 points, an improvement." in out
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--from", "2023-01"], "give both --from and --to"),
        (["--from", "2024-01", "--to", "2023-01"], "--to is before --from"),
        (["--kpi", "no_such_kpi"], "no KPI 'no_such_kpi'"),
    ],
)
def test_mistakes_exit_2_with_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert main(["change", "--la", "900", *extra, "--data-dir", str(data_dir)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
