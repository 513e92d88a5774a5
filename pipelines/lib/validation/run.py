"""Validate an LA's current extract and its KPI outputs; keep the results in the warehouse."""

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import replace

import duckdb
import polars as pl

from pipelines.lib.contract import TABLES
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.validation.gx import EXAMPLES, CheckResult, SuiteResult, run_suite
from pipelines.lib.validation.rejected import rejected_share_results
from pipelines.lib.validation.suites import (
    cross_table_columns,
    kpi_output_checks,
    prepare,
    prepare_kpi_values,
)
from pipelines.lib.warehouse import transaction

RESULTS_DDL = """
create table if not exists meta.validation_results (
    la_code varchar not null,
    extract_date date not null,
    layer varchar not null,              -- stg (a staged table) or kpi (a KPI's values)
    asset varchar not null,              -- table name or KPI id
    check_description varchar not null,
    column_name varchar,
    severity varchar not null,           -- error or warning
    success boolean not null,
    element_count bigint,
    unexpected_count bigint,
    unexpected_percent double,
    examples varchar                     -- JSON: row numbers and columns (values only when safe)
)
"""


def ensure_results_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(RESULTS_DDL)


def validate_staged(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> dict[str, SuiteResult]:
    """Every staged table of one extract against its suite; results stored and returned.

    One table is in memory at a time (its contract columns and row numbers, not the lineage
    repeated on every row), beside the few columns of other tables its cross-table checks read:
    at England's volumes every table at once did not fit in 4 GB."""

    def read(table: str, columns: Sequence[str]) -> pl.DataFrame:
        return con.execute(
            f"select {', '.join(columns)} from stg.{table} where la_code = ? and extract_date = ?",
            [la_code, extract_date],
        ).pl()

    references = {
        name: read(name, sorted(columns)) for name, columns in cross_table_columns().items()
    }
    results = {}
    for table in TABLES:
        frame = read(table.name, ["source_row", *table.column_names])
        if frame.is_empty():
            continue
        prepared, checks = prepare(table, references | {table.name: frame}, extract_date)
        results[table.name] = run_suite(f"stg_{table.name}", prepared, checks)
        del frame, prepared
    for name, check in rejected_share_results(con, la_code, extract_date).items():
        results.setdefault(name, SuiteResult(f"stg_{name}", [])).results.append(check)
    _store(con, la_code, extract_date, "stg", results)
    return results


def validate_kpis(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    definitions: Sequence[KpiDefinition],
) -> dict[str, SuiteResult]:
    """Each KPI's values from one extract against the output suite."""
    values = con.execute(
        "select * from kpi.kpi_values where la_code = ? and extract_date = ?",
        [la_code, extract_date],
    ).pl()
    if values.is_empty():
        return {}
    units = {k.id: (k.unit, k.denominator) for k in definitions}
    frame = prepare_kpi_values(values, units)
    # One GX run for every KPI of the extract; its failing rows are then shared out by KPI.
    overall = run_suite("kpi_outputs", frame, kpi_output_checks(), examples_per_check=None)
    kpi_of_row = dict(zip(frame["source_row"].to_list(), frame["kpi_id"].to_list(), strict=True))
    rows_per_kpi = frame.group_by("kpi_id").len()
    counts = dict(zip(rows_per_kpi["kpi_id"], rows_per_kpi["len"], strict=True))
    results = {}
    for kpi_id in sorted(set(frame["kpi_id"])):
        per_check = []
        for check in overall.results:
            mine = [e for e in check.examples if kpi_of_row.get(e.get("row")) == kpi_id]
            per_check.append(
                replace(
                    check,
                    success=not mine,
                    element_count=counts[kpi_id],
                    unexpected_count=len(mine),
                    unexpected_percent=100.0 * len(mine) / counts[kpi_id],
                    examples=mine[:EXAMPLES],
                )
            )
        results[kpi_id] = SuiteResult(f"kpi_{kpi_id}", per_check)
    _store(con, la_code, extract_date, "kpi", results)
    return results


def _store(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    layer: str,
    results: dict[str, SuiteResult],
) -> None:
    ensure_results_table(con)
    rows = [
        [la_code, extract_date, layer, asset, r.description, r.column, r.severity, r.success,
         r.element_count, r.unexpected_count, r.unexpected_percent, json.dumps(r.examples)]
        for asset, suite in results.items()
        for r in suite.results
    ]  # fmt: skip
    with transaction(con):
        con.execute(
            """delete from meta.validation_results
               where la_code = ? and extract_date = ? and layer = ?""",
            [la_code, extract_date, layer],
        )
        if rows:
            con.executemany(
                f"insert into meta.validation_results values ({', '.join('?' * 12)})", rows
            )


def load_results(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date, layer: str
) -> dict[str, SuiteResult]:
    """Results stored by an earlier run for the same extract (validation is not repeated)."""
    ensure_results_table(con)
    rows = con.execute(
        """select asset, check_description, column_name, severity, success, element_count,
                  unexpected_count, unexpected_percent, examples
           from meta.validation_results where la_code = ? and extract_date = ? and layer = ?
           order by asset""",
        [la_code, extract_date, layer],
    ).fetchall()
    results: dict[str, SuiteResult] = {}
    for asset, description, column, severity, success, count, unexpected, percent, examples in rows:
        results.setdefault(asset, SuiteResult(f"{layer}_{asset}", [])).results.append(
            CheckResult(description, column, severity, success, count, unexpected, percent,
                        json.loads(examples or "[]"))
        )  # fmt: skip
    return results


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    """For readers on a read-only connection, which cannot create a table to read it empty."""
    found = con.execute(
        """select count(*) from information_schema.tables
           where table_schema = ? and table_name = ?""",
        [schema, name],
    ).fetchone()
    return bool(found and found[0])


def latest_validated(con: duckdb.DuckDBPyConnection, la_code: str) -> dt.date | None:
    """The date of the LA's newest extract with validation results."""
    if not table_exists(con, "meta", "validation_results"):
        return None
    row = con.execute(
        "select max(extract_date) from meta.validation_results where la_code = ?", [la_code]
    ).fetchone()
    return row[0] if row else None


def blocking_failure_lines(con: duckdb.DuckDBPyConnection, la_code: str) -> list[str]:
    """The blocking expectations that failed on the LA's latest validated extract."""
    if not table_exists(con, "meta", "validation_results"):
        return []
    rows = con.execute(
        """select layer, asset, check_description, unexpected_count, element_count, examples
           from meta.validation_results
           where la_code = ? and not success and severity = 'error'
             and extract_date = (select max(extract_date) from meta.validation_results
                                 where la_code = ?)
           order by layer desc, asset""",
        [la_code, la_code],
    ).fetchall()
    lines = []
    for layer, asset, description, unexpected, total, examples in rows:
        rows_named = ", ".join(
            f"row {e['row']}" for e in json.loads(examples or "[]") if "row" in e
        )
        lines.append(
            f"{layer}/{asset}: {description}: {unexpected:,} of {total:,} rows"
            + (f" (e.g. {rows_named})" if rows_named else "")
        )
    return lines
