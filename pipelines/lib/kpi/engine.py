"""Compute every KPI for one LA and one extract, at every grain, inside DuckDB.

For an LA and its extract dated E the engine:

1. exposes each contract table as a temporary view named after the table: history tables hold
   the rows of extract E; current-state tables (``ssd_care_leavers``, ``ssd_professionals``) hold
   every extract up to E, with ``extract_date``, so a query can read the one in force at D;
2. builds the periods of every grain ending on or before E (``kpi_periods``) and the distinct
   period ends (``as_at_dates``), and sets ``getvariable('extract_date')`` and ``'la_code'``;
3. runs each KPI's SQL, summed per date (and dimension) into ``kpi_rows``, and aggregates it:
   event rows are summed over each period (over the 12 months to its end for rolling KPIs),
   as-at rows are summed per period end, spans counted at each period end; a shared block is
   materialised the first time a KPI reads it, so blocks no KPI reads cost nothing;
4. writes ``kpi.kpi_values`` (and ``kpi.kpi_values_by_dimension``) for (LA, E) in one transaction,
   and records in ``kpi.kpi_availability`` the KPIs whose tables (or required columns) are absent,
   or that read a column the statutory return a table came from leaves blank (as ingest recorded
   it in ``meta.source_columns``: the engine imports no adapter).
"""

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb

from pipelines.lib.contract import TABLES
from pipelines.lib.kpi import eras
from pipelines.lib.kpi.aggregate import (
    DATE_COLUMNS,
    aggregate_sql,
    build_rows_sql,
    exact_sql,
    value_sql,
)
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.extract_views import kpi_series_start, prepare_extract
from pipelines.lib.kpi.required_columns import missing_columns
from pipelines.lib.kpi.shared_blocks import ensure_shared_blocks, load_shared_views
from pipelines.lib.kpi.source_gaps import read_source_columns, source_gaps
from pipelines.lib.warehouse import current_extract, transaction

GRAINS = ("week", "month", "quarter", "financial_year", "rolling_12m", "ytd")
Progress = Callable[[str], None]

KPI_DDL = (
    "create schema if not exists kpi",
    """
    create table if not exists kpi.kpi_values (
        la_code varchar not null,
        kpi_id varchar not null,
        grain varchar not null,
        period_start date not null,
        period_end date not null,
        numerator double,
        denominator double,
        value double,
        unit varchar not null,
        extract_date date not null
    )
    """,
    """
    create table if not exists kpi.kpi_values_by_dimension (
        la_code varchar not null,
        kpi_id varchar not null,
        grain varchar not null,
        period_start date not null,
        period_end date not null,
        dimension varchar not null,       -- team, service_area
        dimension_value varchar,          -- null: not recorded
        numerator double,
        denominator double,
        value double,
        unit varchar not null,
        extract_date date not null
    )
    """,
    """
    create table if not exists kpi.kpi_availability (
        la_code varchar not null,
        extract_date date not null,
        kpi_id varchar not null,
        available boolean not null,
        reason varchar
    )
    """,
    """
    create table if not exists kpi.kpi_runs (
        la_code varchar not null,
        extract_date date not null,
        definitions_hash varchar not null,
        kpis integer not null,
        rows_written bigint not null,
        delivery_id varchar             -- the delivery of the extract the values came from
    )
    """,
)


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class KpiResult:
    kpi_id: str
    available: bool
    reason: str | None
    rows: int


def ensure_kpi_schema(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in KPI_DDL:
        con.execute(ddl)


def definitions_hash(definitions: Sequence[KpiDefinition]) -> str:
    digest = hashlib.sha256()
    for view in load_shared_views():
        digest.update(view.name.encode())
        digest.update(view.sql.encode())
    for kpi in sorted(definitions, key=lambda k: k.id):
        digest.update(kpi.id.encode())
        digest.update(kpi.sql.encode())
        digest.update(repr((kpi.kind, kpi.shape, kpi.unit, kpi.denominator, kpi.tables,
                            kpi.optional_tables, kpi.any_of_tables, kpi.requires_columns,
                            kpi.dimensions, kpi.per_extract,
                            sorted(kpi.parameters.items()))).encode())  # fmt: skip
    return digest.hexdigest()[:16]


def _present_tables(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> dict[str, str | None]:
    """Table -> None when it has rows in the extract, else why it is absent."""
    delivered = {
        row[0]
        for row in con.execute(
            """select f.table_name
               from meta.delivery_files f
               join meta.deliveries d using (la_code, extract_date, delivery_id)
               where f.la_code = ? and f.extract_date = ? and d.status = 'loaded'
                 and f.table_name is not null
               union
               select s.table_name
               from meta.delivery_sources s
               join meta.deliveries d using (la_code, extract_date, delivery_id)
               where s.la_code = ? and s.extract_date = ? and d.status = 'loaded'""",
            [la_code, extract_date, la_code, extract_date],
        ).fetchall()
    }
    status: dict[str, str | None] = {}
    for table in TABLES:
        # One row is enough to know the table has some (counting them read the whole table).
        row = con.execute(
            f"select 1 from stg.{table.name} where la_code = ? and extract_date = ? limit 1",
            [la_code, extract_date],
        ).fetchone()
        if row:
            status[table.name] = None
        elif table.name in delivered:
            status[table.name] = f"{table.name} has no usable rows in the extract of {extract_date}"
        else:
            status[table.name] = f"{table.name} is absent from the extract of {extract_date}"
    return status


def compute_kpi(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiDefinition,
    la_code: str,
    extract_date: dt.date,
    series_from: dt.date,
    blocks: set[str] | None = None,
) -> int:
    """Run one KPI (the views and periods must be prepared) and insert its rows for the periods
    ending on or after ``series_from``; returns the rows its SQL gave. ``blocks`` holds the
    shared blocks already materialised for this extract (the ones the KPI reads are added)."""
    for name, value in kpi.parameters.items():
        con.execute(f"set variable {name} = ?", [value])
    ensure_shared_blocks(con, kpi.sql, set() if blocks is None else blocks)
    types = {r[0]: r[1] for r in con.execute(f"describe {kpi.sql}\n").fetchall()}
    missing = {*DATE_COLUMNS[kpi.shape], "numerator", "denominator", *kpi.dimensions} - set(types)
    if missing:
        raise ValueError(f"{kpi.path}: the SQL must return column(s) {', '.join(sorted(missing))}")
    kpi = exact_sql(kpi, types)
    con.execute(f"create or replace temp table kpi_rows as {build_rows_sql(kpi)}")
    if "team" in kpi.dimensions:
        # Teams roll up to service areas through la.yaml `service_areas`.
        con.execute(
            """create or replace temp table kpi_rows as
               select r.*, s.service_area from kpi_rows r
               left join la_service_areas s on s.team_id = r.team"""
        )
    value = value_sql(kpi)
    con.execute(
        f"""
        insert into new_kpi_values
        select ?, ?, grain, period_start, period_end, round(n, 6), round(den, 6), {value}, ?, ?
        from ({aggregate_sql(kpi, None)})
        where period_end >= ?
        """,
        [la_code, kpi.id, kpi.unit, extract_date, series_from],
    )
    dimensions = [*kpi.dimensions, *(["service_area"] if "team" in kpi.dimensions else [])]
    for dimension in dimensions:
        con.execute(
            f"""
            insert into new_kpi_values_by_dimension
            select ?, ?, grain, period_start, period_end, ?, dimension_value,
                   round(n, 6), round(den, 6), {value}, ?, ?
            from ({aggregate_sql(kpi, dimension)})
            where period_end >= ?
            """,
            [la_code, kpi.id, dimension, kpi.unit, extract_date, series_from],
        )
    rows = con.execute("select sum(source_rows) from kpi_rows").fetchone()
    return int(rows[0]) if rows and rows[0] is not None else 0


def compute_extract(
    con: duckdb.DuckDBPyConnection,
    definitions: Sequence[KpiDefinition],
    la_code: str,
    extract_date: dt.date,
    progress: Progress = _quiet,
) -> list[KpiResult]:
    """Every KPI for one LA and extract, replacing what that extract published before."""
    # Row order never matters to a KPI: without keeping it DuckDB need not hold large
    # intermediate results in order. The connection's own setting is put back afterwards.
    row = con.execute("select current_setting('preserve_insertion_order')").fetchone()
    con.execute("set preserve_insertion_order = false")
    try:
        return _compute_extract(con, definitions, la_code, extract_date, progress)
    finally:
        con.execute(f"set preserve_insertion_order = {bool(row and row[0])}")


def _compute_extract(
    con: duckdb.DuckDBPyConnection,
    definitions: Sequence[KpiDefinition],
    la_code: str,
    extract_date: dt.date,
    progress: Progress,
) -> list[KpiResult]:
    ensure_kpi_schema(con)
    present = _present_tables(con, la_code, extract_date)
    sources = read_source_columns(con, la_code, extract_date)
    results: list[KpiResult] = []
    # The KPIs are computed into temp tables outside any transaction (one transaction around
    # all of them held every intermediate result until the end: at scale 50 it ran out of a
    # 2 GB memory cap), then swapped in at once.
    for table in ("kpi_values", "kpi_values_by_dimension"):
        con.execute(f"create or replace temp table new_{table} as from kpi.{table} limit 0")
    floor = prepare_extract(con, la_code, extract_date)
    blocks: set[str] = set()
    first_dates: dict[str, dt.date | None] = {}
    columns_found: dict[str, bool] = {}
    for kpi in definitions:
        reasons = [why for t in kpi.tables if (why := present[t])]
        reasons += source_gaps(kpi, sources)
        reasons += missing_columns(con, kpi, la_code, extract_date, reasons, columns_found)
        if kpi.any_of_tables and all(present[t] for t in kpi.any_of_tables):
            reasons.append(f"none of {', '.join(kpi.any_of_tables)} has rows in the extract")
        series_from = None if reasons else kpi_series_start(con, kpi, floor, first_dates)
        if series_from is not None and kpi.per_extract:
            # One value per extract: at the latest period end on or before it.
            series_from = con.execute("select max(as_at_date) from as_at_dates").fetchone()[0]  # type: ignore[index]
        # Events that cannot exist in the extract's span: not applicable (even when the
        # tables are absent too), never a 0 (kpi/eras.py).
        outside = eras.not_applicable(kpi, series_from or floor, extract_date)
        if outside:
            results.append(KpiResult(kpi.id, False, outside, 0))
            continue
        if series_from is None:
            reason = "; ".join(reasons) or "its tables hold no dated rows"
            results.append(
                KpiResult(kpi.id, False, f"not available from this extract: {reason}", 0)
            )
            continue
        rows = compute_kpi(con, kpi, la_code, extract_date, series_from, blocks)
        eras.drop_outside(con, kpi, ["new_kpi_values", "new_kpi_values_by_dimension"])
        results.append(KpiResult(kpi.id, True, None, rows))
    with transaction(con):
        for table in ("kpi_values", "kpi_values_by_dimension", "kpi_availability", "kpi_runs"):
            con.execute(
                f"delete from kpi.{table} where la_code = ? and extract_date = ?",
                [la_code, extract_date],
            )
        con.execute("insert into kpi.kpi_values from new_kpi_values")
        con.execute("insert into kpi.kpi_values_by_dimension from new_kpi_values_by_dimension")
        con.executemany(
            "insert into kpi.kpi_availability values (?, ?, ?, ?, ?)",
            [[la_code, extract_date, r.kpi_id, r.available, r.reason] for r in results],
        )
        written = con.execute(
            "select count(*) from kpi.kpi_values where la_code = ? and extract_date = ?",
            [la_code, extract_date],
        ).fetchone()
        con.execute(
            "insert into kpi.kpi_runs values (?, ?, ?, ?, ?, ?)",
            [
                la_code,
                extract_date,
                definitions_hash(definitions),
                len(definitions),
                written[0] if written else 0,
                _loaded_delivery(con, la_code, extract_date),
            ],
        )
    available = sum(r.available for r in results)
    progress(f"{la_code} {extract_date}: {available} of {len(results)} KPIs computed")
    return results


def _loaded_delivery(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> str | None:
    row = con.execute(
        """select delivery_id from meta.deliveries
           where la_code = ? and extract_date = ? and status = 'loaded'""",
        [la_code, extract_date],
    ).fetchone()
    return row[0] if row else None


def pending_extracts(
    con: duckdb.DuckDBPyConnection, la_code: str, definitions: Sequence[KpiDefinition]
) -> list[dt.date]:
    """The LA's newest loaded extract, unless its KPIs were computed from that very delivery
    with these definitions (a corrected re-delivery for the same date is computed again).

    Values are published from the newest extract of each run and kept with their extract date, so
    a figure reported to a board can be reproduced. Extracts that arrived together with a newer
    one published nothing, so they are not computed (and re-running changes nothing)."""
    ensure_kpi_schema(con)
    newest = current_extract(con, la_code)
    if newest is None:
        return []
    done = con.execute(
        """select count(*) from kpi.kpi_runs
           where la_code = ? and extract_date = ? and definitions_hash = ?
             and delivery_id is not distinct from ?""",
        [
            la_code,
            newest,
            definitions_hash(definitions),
            _loaded_delivery(con, la_code, newest),
        ],
    ).fetchone()
    return [] if done and done[0] else [newest]
