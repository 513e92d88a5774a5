"""Published benchmarks as at a period: the one rule every output uses to put an England or
statistical-neighbour figure beside the LA's.

Beside a figure for a period ending on P, the benchmark shown is the latest published one
(``ref.benchmarks``, from ``kpi_definitions/benchmarks.csv``) whose own period ends on or before
P, labelled with its own period; none when none had been published for a period that early. So
an August 2011 report shows no 2025 England figure, a March 2024 report shows the 2023 figure
and not the 2025 one, and re-running a report later (after newer benchmarks are added) shows
exactly what it showed before.
"""

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl

ENGLAND = "E92000001"
# (name shown, ref.benchmarks area_type, column prefix in the shared figures)
KINDS = (
    ("England", "england", "england"),
    ("Statistical neighbours", "statistical_neighbours_median", "sn"),
)
AS_AT_SCHEMA = {
    "kpi_id": pl.String,
    "england_value": pl.Float64,
    "england_period_end": pl.Date,
    "sn_code": pl.String,
    "sn_value": pl.Float64,
    "sn_period_end": pl.Date,
}


@dataclass(frozen=True)
class PublishedBenchmark:
    name: str  # "England" or "Statistical neighbours"
    value: float
    period_end: dt.date

    @property
    def period_text(self) -> str:
        return f"{self.period_end:%b %Y}"


def area_codes(con: duckdb.DuckDBPyConnection, la_code: str) -> dict[str, str | None]:
    """The benchmark area of each kind for an LA: England, and its statistical neighbours
    (la.yaml ``benchmarks``)."""
    row = con.execute("select benchmark_sn from meta.la where la_code = ?", [la_code]).fetchone()
    return {"england": ENGLAND, "statistical_neighbours_median": row[0] if row else None}


def benchmarks_as_at(
    con: duckdb.DuckDBPyConnection, la_code: str, periods: pl.DataFrame
) -> pl.DataFrame:
    """For each (``kpi_id``, ``period_end``) of ``periods``, the latest England and
    statistical-neighbour benchmark whose period ends on or before ``period_end`` (null when
    none had been; a null ``period_end`` gets none). One row per KPI, ``AS_AT_SCHEMA``."""
    codes = area_codes(con, la_code)
    con.register("_bench_periods", periods.select("kpi_id", "period_end").to_arrow())
    try:
        frame = con.execute(
            """
            with picked as (
                select p.kpi_id, b.area_type, b.area_code, b.value, b.period_end
                from _bench_periods p
                join ref.benchmarks b
                  on b.kpi_id = p.kpi_id and b.period_end <= p.period_end
                where b.area_type = 'england' and b.area_code = $england
                   or b.area_type = 'statistical_neighbours_median' and b.area_code = $sn
                qualify row_number() over (
                    partition by p.kpi_id, b.area_type order by b.period_end desc
                ) = 1
            )
            select p.kpi_id,
                   e.value as england_value, e.period_end as england_period_end,
                   n.area_code as sn_code, n.value as sn_value, n.period_end as sn_period_end
            from (select distinct kpi_id from _bench_periods) p
            left join picked e on e.kpi_id = p.kpi_id and e.area_type = 'england'
            left join picked n on n.kpi_id = p.kpi_id
                              and n.area_type = 'statistical_neighbours_median'
            """,
            {"england": codes["england"], "sn": codes["statistical_neighbours_median"]},
        ).pl()
    finally:
        con.unregister("_bench_periods")
    return frame.select([pl.col(c).cast(t) for c, t in AS_AT_SCHEMA.items()])


def benchmark_as_at(
    con: duckdb.DuckDBPyConnection, la_code: str, kpi_id: str, period_end: dt.date
) -> list[PublishedBenchmark]:
    """The benchmarks to show beside KPI ``kpi_id``'s figure for the period ending
    ``period_end`` (England first), each with its own period."""
    periods = pl.DataFrame(
        {"kpi_id": [kpi_id], "period_end": [period_end]},
        schema={"kpi_id": pl.String, "period_end": pl.Date},
    )
    row = benchmarks_as_at(con, la_code, periods).row(0, named=True)
    return [
        PublishedBenchmark(name, row[f"{prefix}_value"], row[f"{prefix}_period_end"])
        for name, _, prefix in KINDS
        if row[f"{prefix}_value"] is not None
    ]
