"""The DuckDB warehouse: one file, one writer at a time, short connections.

DuckDB allows one writing process per file. Every write goes through ``connect(write=True)``,
which holds an exclusive file lock beside the database for as long as the connection is open,
so concurrent runs (several LAs, the UI and a sensor) queue instead of failing.
"""

import datetime as dt
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from pipelines.lib import locks
from pipelines.lib.contract import LINEAGE_COLUMNS, TABLES, Table

# How long a writer waits for another process's writing connection before giving up.
WRITER_WAIT_S = 600.0

DELIVERY_COLUMN = ("delivery_id", "VARCHAR")

META_DDL = (
    "create schema if not exists meta",
    "create schema if not exists raw",
    "create schema if not exists stg",
    "create schema if not exists ref",
    """
    create table if not exists meta.deliveries (
        la_code varchar not null,
        extract_date date not null,
        delivery_id varchar not null,
        status varchar not null,          -- received, loaded, rejected, superseded
        folder varchar not null,
        n_files integer not null,
        rows_read bigint,
        rows_staged bigint,
        rows_rejected bigint,
        values_cleared bigint,
        message varchar,
        primary key (la_code, extract_date, delivery_id)
    )
    """,
    """
    create table if not exists meta.delivery_files (
        la_code varchar not null,
        extract_date date not null,
        delivery_id varchar not null,
        table_name varchar,              -- null for a file that is not a contract table
        source_file varchar not null,
        file_sha256 varchar not null,
        rows_read bigint,
        dropped_identifier_columns varchar,
        ignored_columns varchar
    )
    """,
    """
    create table if not exists meta.delivery_sources (
        la_code varchar not null,
        extract_date date not null,
        delivery_id varchar not null,
        table_name varchar not null,
        source_format varchar not null,  -- ssd, annex_a, cin_census, ssda903, csww
        source_files varchar not null,   -- the files (and sheets) its rows came from
        rows_read bigint
    )
    """,
    """
    create table if not exists meta.source_columns (
        la_code varchar not null,
        extract_date date not null,
        delivery_id varchar not null,
        table_name varchar not null,     -- a table the delivery took from a statutory return
        source_format varchar not null,
        column_name varchar not null,    -- every contract column of the table
        reason varchar                   -- why the return leaves it blank; null: it fills it
    )
    """,
    """
    create table if not exists meta.source_kpi_gaps (
        la_code varchar not null,
        extract_date date not null,
        delivery_id varchar not null,
        source_format varchar not null,  -- a format one of the delivery's tables came from
        kpi_id varchar not null,         -- a KPI the format cannot serve (adapter NOT_AVAILABLE)
        reason varchar not null
    )
    """,
    """
    create table if not exists meta.adapter_notes (
        la_code varchar not null,
        extract_date date not null,
        delivery_id varchar not null,
        source_format varchar not null,
        source_file varchar not null,
        source_row bigint,               -- spreadsheet row, or line of the XML element
        location varchar,                -- list or sheet, or XML path
        column_name varchar,
        value varchar,
        rule varchar not null,
        action varchar not null,         -- repaired, row_dropped, not_mapped, not_used
        message varchar not null
    )
    """,
    """
    create table if not exists meta.file_errors (
        la_code varchar not null,
        extract_date date,
        delivery_id varchar,
        table_name varchar,
        source_file varchar not null,
        column_name varchar,
        severity varchar not null,       -- error (file unusable) or warning
        message varchar not null
    )
    """,
    """
    create table if not exists stg.quarantine (
        la_code varchar not null,
        extract_date date not null,
        delivery_id varchar not null,
        table_name varchar not null,
        source_file varchar not null,
        file_sha256 varchar not null,
        source_row bigint not null,
        column_name varchar not null,
        value varchar,
        rule varchar not null,
        action varchar not null,         -- row_rejected, value_cleared, duplicate_dropped
        message varchar not null
    )
    """,
    """
    create table if not exists meta.la (
        la_code varchar primary key,
        la_name varchar not null,
        targets varchar[],
        history_start date,              -- where the LA's series begin (la.yaml; optional)
        benchmark_la varchar,            -- area codes of published figures shown beside it
        benchmark_sn varchar
    )
    """,
    """
    create table if not exists meta.la_population (
        la_code varchar not null, mid_year integer not null, population_0_17 integer not null
    )
    """,
    """
    create table if not exists meta.la_roles (
        la_code varchar not null, role_code varchar not null, role varchar not null
    )
    """,
    """
    create table if not exists meta.la_service_areas (
        la_code varchar not null, team_id varchar not null, service_area varchar not null
    )
    """,
    """
    create table if not exists meta.la_target_parameters (
        la_code varchar not null, parameter varchar not null, value double not null
    )
    """,
    """
    create table if not exists meta.la_spc_changes (
        la_code varchar not null, kpi_id varchar not null, change_date date not null
    )
    """,
)


def raw_table_ddl(table: Table) -> str:
    cols = [f"{c.name} varchar" for c in table.columns]
    lineage = [f"{name} {sql_type}" for name, sql_type in (*LINEAGE_COLUMNS, DELIVERY_COLUMN)]
    return f"create table if not exists raw.{table.name} ({', '.join(lineage + cols)})"


def stg_table_ddl(table: Table) -> str:
    cols = [f"{c.name} {c.sql_type}" for c in table.columns]
    lineage = [f"{name} {sql_type}" for name, sql_type in LINEAGE_COLUMNS]
    return f"create table if not exists stg.{table.name} ({', '.join(lineage + cols)})"


# Each LA's current extract: its newest loaded one. The one definition of "current": the
# ``current`` views and ``current_extract`` read it.
CURRENT_EXTRACTS = """
        select la_code, max(extract_date) as extract_date
        from meta.deliveries where status = 'loaded' group by la_code
"""


def current_extract(con: duckdb.DuckDBPyConnection, la_code: str) -> dt.date | None:
    """The LA's current extract (its newest loaded one); None before its first load."""
    row = con.execute(
        f"select extract_date from ({CURRENT_EXTRACTS}) where la_code = ?", [la_code]
    ).fetchone()
    return row[0] if row else None


def current_view_ddl(table: Table) -> str:
    """``current.<table>``: each LA's rows from its current extract."""
    return f"""
    create or replace view current.{table.name} as
    select t.* from stg.{table.name} t
    join ({CURRENT_EXTRACTS}) latest using (la_code, extract_date)
    """


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every schema, table and view the warehouse needs (idempotent)."""
    for ddl in META_DDL:
        con.execute(ddl)
    con.execute("create schema if not exists current")
    for table in TABLES:
        con.execute(raw_table_ddl(table))
        con.execute(stg_table_ddl(table))
        con.execute(current_view_ddl(table))


@contextmanager
def connect(
    path: Path, *, write: bool = False, timeout_s: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection. Writers hold an exclusive lock file for their whole life; one
    that has to wait for another says which process holds it (see ``locks``), and gives up
    after ``timeout_s`` (default ``CSC_LOCK_TIMEOUT_SECONDS``, else 10 minutes)."""
    timeout_s = locks.timeout_seconds(WRITER_WAIT_S) if timeout_s is None else timeout_s
    if not write:
        if not path.exists():
            raise FileNotFoundError(
                f"{path}: no warehouse yet. Run `csc-kpis run` (or `make demo`) first."
            )
        con = _open_with_retry(path, read_only=True, timeout_s=timeout_s)
        try:
            yield con
        finally:
            con.close()
        return
    path.parent.mkdir(parents=True, exist_ok=True)  # a reader never creates anything
    lock_path = path.with_name(path.name + ".lock")
    with locks.hold(lock_path, f"the warehouse {path}", "writing to the warehouse",
                    timeout_s=timeout_s):  # fmt: skip
        con = _open_with_retry(path, read_only=False, timeout_s=timeout_s)
        try:
            yield con
        finally:
            con.close()


# DuckDB takes up to 80% of the machine's memory. CSC_DUCKDB_MEMORY_LIMIT (e.g. "3GB") caps it
# for an installation that shares its machine: big joins then spill beside the warehouse. Not
# capped by default: some operators cannot spill, and at scale 50 a 2 GB cap stopped the KPI
# engine with an out-of-memory error instead of running slower.
MEMORY_LIMIT_ENV = "CSC_DUCKDB_MEMORY_LIMIT"


def _open_with_retry(path: Path, *, read_only: bool, timeout_s: float) -> duckdb.DuckDBPyConnection:
    # A reader can meet a writer's lock (DuckDB refuses while another process writes): wait.
    deadline = time.monotonic() + timeout_s
    config: dict[str, str | bool | int | float | list[str]] = {
        "temp_directory": str(path.parent / ".duckdb_spill")
    }
    if os.environ.get(MEMORY_LIMIT_ENV):
        config["memory_limit"] = os.environ[MEMORY_LIMIT_ENV]
    next_report = time.monotonic()
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.IOException as exc:
            # Only another process's lock is worth waiting for (a full disk is not).
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
        if time.monotonic() >= next_report:
            holder = locks.holder(path.with_name(path.name + ".lock"))
            locks.stderr(f"Waiting for the warehouse {path}: in use by {holder}")
            next_report = time.monotonic() + locks.report_seconds()
        time.sleep(0.2)


# Rows converted and inserted at a time by insert_frame.
INSERT_ROWS = 250_000


def insert_frame(
    con: duckdb.DuckDBPyConnection,
    target: str,
    frame: pl.DataFrame,
    constants: Mapping[str, object] | None = None,
) -> None:
    """Insert a Polars frame by column name, so its column order never matters.

    ``constants`` (column -> value) fill columns that hold the same value on every row, such as
    a file's lineage, in the insert itself: no copy of the frame is made to carry them."""
    if frame.is_empty():
        return
    extra = dict(constants or {})
    cols = ", ".join([*frame.columns, *extra])
    values = ", ".join([*frame.columns, *("?" for _ in extra)])
    # A slice at a time: DuckDB reads Arrow, and converting a whole large table at once would
    # hold a second copy of it in memory.
    for part in frame.iter_slices(INSERT_ROWS):
        con.register("_incoming", part.to_arrow())
        try:
            con.execute(
                f"insert into {target} ({cols}) select {values} from _incoming",
                list(extra.values()),
            )
        finally:
            con.unregister("_incoming")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: readers never see half of a load.

    Used inside another ``transaction`` of the same connection, it is part of that one: it
    commits, or rolls back, with it."""
    if id(con) in _OPEN_TRANSACTIONS:
        yield con
        return
    con.execute("begin transaction")
    _OPEN_TRANSACTIONS.add(id(con))
    try:
        yield con
    except BaseException:
        _OPEN_TRANSACTIONS.discard(id(con))
        con.execute("rollback")
        raise
    _OPEN_TRANSACTIONS.discard(id(con))
    con.execute("commit")


# Connections inside ``transaction`` (by id; removed when it ends, so a reused id is harmless).
_OPEN_TRANSACTIONS: set[int] = set()
