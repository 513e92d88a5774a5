"""Benchmarks as at the period they sit beside, on a hand-made ``ref.benchmarks``.

England agency rate published for periods ending 30 Sep 2023 (17.9), 30 Sep 2024 (15.5) and
30 Sep 2025 (13.0); the LA's statistical neighbours (SN892) for 30 Sep 2024 only (12.0); another
LA's neighbours (SN891) for 30 Sep 2023 (99.0), never to be shown. Worked by hand:

- Mar 2024 (a period ending 31 Mar 2024): England Sep 2023 17.9 (not the 2025 13.0); no SN yet.
- Sep 2024 (ending on the day a period ends): England Sep 2024 15.5 and SN 12.0.
- Aug 2011: none at all (nothing had been published for a period that early).
"""

import datetime as dt

import duckdb
import polars as pl
import pytest

from pipelines.lib.publish.benchmarks import PublishedBenchmark, benchmark_as_at, benchmarks_as_at

D = dt.date
KPI = "agency_rate_pct"


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema ref; create schema meta")
    con.execute("create table meta.la (la_code varchar, benchmark_sn varchar)")
    con.execute("insert into meta.la values ('992', 'SN892')")
    con.execute(
        """create table ref.benchmarks (kpi_id varchar, area_type varchar, area_code varchar,
                                        period_end date, value double)"""
    )
    con.executemany(
        "insert into ref.benchmarks values (?, ?, ?, ?, ?)",
        [
            [KPI, "england", "E92000001", D(2023, 9, 30), 17.9],
            [KPI, "england", "E92000001", D(2024, 9, 30), 15.5],
            [KPI, "england", "E92000001", D(2025, 9, 30), 13.0],
            [KPI, "statistical_neighbours_median", "SN892", D(2024, 9, 30), 12.0],
            [KPI, "statistical_neighbours_median", "SN891", D(2023, 9, 30), 99.0],
            [KPI, "local_authority", "E06000018", D(2023, 9, 30), 55.0],
        ],
    )
    return con


def test_the_latest_benchmark_whose_period_ends_by_the_figures(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert benchmark_as_at(con, "992", KPI, D(2024, 3, 31)) == [
        PublishedBenchmark("England", 17.9, D(2023, 9, 30))
    ]
    assert benchmark_as_at(con, "992", KPI, D(2024, 9, 30)) == [
        PublishedBenchmark("England", 15.5, D(2024, 9, 30)),
        PublishedBenchmark("Statistical neighbours", 12.0, D(2024, 9, 30)),
    ]
    assert benchmark_as_at(con, "992", KPI, D(2011, 8, 31)) == []
    assert benchmark_as_at(con, "992", KPI, D(2026, 1, 31))[0].value == 13.0


def test_one_row_per_kpi_and_none_for_no_period(con: duckdb.DuckDBPyConnection) -> None:
    periods = pl.DataFrame(
        {"kpi_id": [KPI, "other_pct"], "period_end": [D(2024, 10, 31), None]},
        schema={"kpi_id": pl.String, "period_end": pl.Date},
    )
    frame = benchmarks_as_at(con, "992", periods).sort("kpi_id")
    assert frame.to_dicts() == [
        {"kpi_id": KPI, "england_value": 15.5, "england_period_end": D(2024, 9, 30),
         "sn_code": "SN892", "sn_value": 12.0, "sn_period_end": D(2024, 9, 30)},
        {"kpi_id": "other_pct", "england_value": None, "england_period_end": None,
         "sn_code": None, "sn_value": None, "sn_period_end": None},
    ]  # fmt: skip


def test_re_running_after_newer_benchmarks_arrive_gives_the_same_answer(
    con: duckdb.DuckDBPyConnection,
) -> None:
    before = benchmark_as_at(con, "992", KPI, D(2024, 3, 31))
    con.execute(
        "insert into ref.benchmarks values (?, 'england', 'E92000001', '2026-09-30', 11.0)", [KPI]
    )
    assert benchmark_as_at(con, "992", KPI, D(2024, 3, 31)) == before


def test_a_chart_draws_a_benchmark_only_beside_points_from_its_own_period_on() -> None:
    """Weeks ending 24 Mar, 31 Mar, 7 Apr 2024; England's figure for the year to 31 Mar 2024
    starts at the week ending 31 Mar (not 24 Mar); a benchmark for a later period than every
    point is not drawn at all."""
    from pipelines.lib.charts.xmr import Benchmark, benchmark_rows

    days = [D(2024, 3, 24), D(2024, 3, 31), D(2024, 4, 7)]
    rows = benchmark_rows(
        days,
        [Benchmark("England", 78.5, D(2024, 3, 31)), Benchmark("Later", 1.0, D(2024, 6, 30))],
    )
    assert [(r["period_end"], r["key"]) for r in rows] == [
        ("2024-03-31", "England"),
        ("2024-04-07", "England"),
    ]
    assert rows[0]["label"] == "England (Mar 2024): 78.5"
