"""The whole pipeline on generated demo extracts (small scale), through the command line."""

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines import cli
from pipelines.lib.kpi.definitions import load_definitions
from pipelines.synthetic import generate_la
from tests.conftest import DEMO_SCALE as SCALE
from tests.conftest import copy_demo
from tests.lib.test_ingest import snapshot


@pytest.fixture(scope="module")
def demo(demo_data: Path) -> Path:
    return demo_data


def query(root: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(root / "warehouse" / "csc.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_both_demo_las_are_staged_and_every_kpi_computed(demo: Path) -> None:
    statuses = query(
        demo,
        "select la_code, status, count(*) from meta.deliveries group by all order by all",
    )
    # The four weekly extracts of each LA arrive together: the newest is loaded, the three
    # older ones (full histories it contains) are recorded as superseded, unread.
    assert statuses == [
        ("991", "loaded", 1),
        ("991", "superseded", 3),
        ("992", "loaded", 1),
        ("992", "superseded", 3),
    ]
    assert query(demo, "select count(*) from stg.quarantine") == [(0,)]
    people = query(
        demo, "select la_code, count(*) > 0 from current.ssd_person group by 1 order by 1"
    )
    assert people == [("991", True), ("992", True)]
    unavailable = query(
        demo,
        """select la_code, kpi_id, reason from kpi.kpi_availability
           where not available and extract_date in (select max(extract_date) from kpi.kpi_runs group by la_code)""",
    )
    # Every KPI is computed for both, except those whose events cannot exist in the LA's era:
    # the county (2011) has no single assessments (they began in 2013-14), the city (2024) no
    # initial or core assessments (they ended then): not applicable, never 0.
    assert sorted((la, kpi) for la, kpi, _ in unavailable) == [
        ("991", "assessments_45wd_pct"),
        ("991", "assessments_completed"),
        ("991", "assessments_open_over_45wd"),
        ("992", "core_assessments_35wd_pct"),
        ("992", "initial_assessments_7wd_pct"),
    ]
    assert all(reason.startswith("not applicable: ") for _, _, reason in unavailable)


def test_kpis_come_from_the_newest_extract_only(demo: Path) -> None:
    runs = query(demo, "select la_code, extract_date::varchar from kpi.kpi_runs order by 1")
    assert runs == [("991", "2011-09-25"), ("992", "2024-03-31")]


def test_series_begin_at_the_history_start(demo: Path) -> None:
    first = query(
        demo,
        "select la_code, min(period_end)::varchar from kpi.kpi_values where grain = 'month' group by 1 order by 1",
    )
    assert first == [("991", "2008-04-30"), ("992", "2021-04-30")]


def test_no_direct_identifier_reaches_the_warehouse(demo: Path) -> None:
    inbox = demo / "inbox" / "992" / "2024-03-31"
    people = pl.read_csv(inbox / "ssd_person.csv", infer_schema=False)
    columns = {r[0] for r in query(demo, "select column_name from information_schema.columns")}
    for identifier in ("pers_forename", "pers_surname", "pers_common_child_id", "pers_upn", "pers_postcode",
                       "prof_professional_name", "prof_social_worker_registration_no"):  # fmt: skip
        assert identifier not in columns
    surnames = set(people["pers_surname"].drop_nulls().to_list())
    stored = {r[0] for r in query(demo, "select distinct pers_ethnicity from stg.ssd_person")}
    assert not surnames & stored


def test_the_demo_stories_show_in_the_kpis(demo: Path) -> None:
    def value(la: str, kpi: str, period_end: str) -> float:
        rows = query(
            demo,
            """select value from kpi.kpi_values where la_code = ? and kpi_id = ? and grain = 'quarter'
               and period_end = ? and extract_date = (select max(extract_date) from kpi.kpi_runs where la_code = ?)""",
            [la, kpi, dt.date.fromisoformat(period_end), la],
        )
        assert rows and rows[0][0] is not None, (la, kpi, period_end)
        return float(rows[0][0])

    # City: the front-door backlog before the 2022 notice, then recovery; agency staff falling.
    assert (
        value("992", "contact_decision_1wd_pct", "2022-12-31")
        < value("992", "contact_decision_1wd_pct", "2024-03-31") - 15
    )
    assert (
        value("992", "agency_rate_pct", "2021-06-30")
        > value("992", "agency_rate_pct", "2024-03-31") + 5
    )
    assert value("992", "cp_plan_duration_weeks", "2024-03-31") < value(
        "992", "cp_plan_duration_weeks", "2021-12-31"
    )
    # County: initial assessments improve after the 2010 notice.
    assert (
        value("991", "initial_assessments_7wd_pct", "2011-06-30")
        > value("991", "initial_assessments_7wd_pct", "2010-06-30") + 10
    )


def test_status_flags_the_planted_slow_objectives(demo: Path) -> None:
    slow = {
        r[0]
        for r in query(
            demo,
            """select kpi_id from kpi.kpi_status where la_code = '992' and is_current_target
               and slow_to_progress and as_at_date = (select max(as_at_date) from kpi.kpi_status where la_code = '992')""",
        )
    }
    assert {"rhi_72h_pct", "care_leavers_21plus_pa_pct"} <= slow


def test_spc_and_benchmarks_are_built(demo: Path) -> None:
    assert query(
        demo,
        "select count(distinct kpi_id) > 50 from kpi.kpi_spc where la_code = '992' and grain = 'week'",
    ) == [(True,)]
    assert query(demo, "select count(*) > 150 from ref.benchmarks") == [(True,)]
    assert query(demo, "select count(*) from ref.kpi_catalogue") == [(len(load_definitions()),)]


def test_export_kpis_has_exactly_the_catalogue_columns(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "kpis.csv"
    assert (
        cli.main(
            [
                "export",
                "kpis",
                "--format",
                "csv",
                "--out",
                str(out),
                "--data-dir",
                str(demo),
                "--grain",
                "month",
            ]
        )
        == 0
    )
    text = out.read_text().splitlines()
    assert (
        text[0]
        == "la_code,kpi_id,grain,period_start,period_end,numerator,denominator,value,unit,extract_date"
    )
    frame = pl.read_csv(out, infer_schema=False)
    assert set(frame["grain"]) == {"month"}
    assert frame.select(["la_code", "kpi_id", "period_end"]).is_duplicated().sum() == 0
    counts = frame.filter(pl.col("unit") == "count")
    assert counts["denominator"].null_count() == counts.height  # blank for counts
    pct = frame.filter((pl.col("unit") == "percent") & pl.col("value").is_not_null())
    values = pct["value"].cast(pl.Float64)
    assert values.min() >= 0 and values.max() <= 100


def test_running_again_changes_no_row(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = copy_demo(demo, tmp_path, monkeypatch)
    before = snapshot(copy / "warehouse" / "csc.duckdb")
    assert cli.main(["run", "--inbox", str(copy / "inbox"), "--data-dir", str(copy)]) == 0
    assert snapshot(copy / "warehouse" / "csc.duckdb") == before


def test_a_dirty_extract_is_reported_and_the_good_one_kept(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = copy_demo(demo, tmp_path, monkeypatch)
    # A week later the city delivers a broken extract (written by the generator's --dirty).
    dirty = tmp_path / "dirty"
    [extract] = generate_la("992", dt.date(2021, 4, 1), dt.date(2024, 4, 7), dirty, scale=SCALE,
                            dirty=True, profile="city", n_extracts=1)  # fmt: skip
    shutil.copytree(extract.path, copy / "inbox" / "992" / extract.extract_date.isoformat())
    capsys.readouterr()
    assert (
        cli.main(["run", "--inbox", str(copy / "inbox"), "--data-dir", str(copy), "--la", "992"])
        == 1
    )
    printed = capsys.readouterr().out
    # Every injected defect is reported with its file, spreadsheet row and column.
    for defect in extract.defects:
        if defect["kind"] == "xlsx_leading_blank_rows":
            continue  # not a defect of the data: the workbook is read, checked below
        where = f"{defect['file']} row {defect['row']}" if defect["row"] else defect["file"]
        if defect["column"]:
            where += f", column '{defect['column']}'"
        assert where in printed, defect
    workbook = query(
        copy,
        """select rows_read from meta.delivery_files
           where la_code = '992' and extract_date = '2024-04-07' and source_file = 'ext_vacancies.xlsx'""",
    )
    assert workbook and workbook[0][0] > 0
    assert "REJECTED" in printed
    current = query(
        copy,
        "select distinct extract_date::varchar from current.ssd_contacts where la_code = '992'",
    )
    assert current == [("2024-03-31",)]
    rejected = query(
        copy,
        "select status from meta.deliveries where la_code = '992' and extract_date = '2024-04-07'",
    )
    assert rejected == [("rejected",)]
    assert query(copy, "select count(*) > 5 from stg.quarantine where la_code = '992'") == [(True,)]


@pytest.mark.slow
def test_the_full_demo_twice_changes_no_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("DAGSTER_HOME", "CSC_DATA_DIR", "CSC_INBOX"):
        monkeypatch.setenv(key, str(tmp_path / "unused"))
    assert cli.main(["demo", "--data-dir", str(tmp_path / "data")]) == 0
    before = snapshot(tmp_path / "data" / "warehouse" / "csc.duckdb")
    assert cli.main(["demo", "--data-dir", str(tmp_path / "data")]) == 0
    assert snapshot(tmp_path / "data" / "warehouse" / "csc.duckdb") == before
