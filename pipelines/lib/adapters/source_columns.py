"""What a statutory return fills of the extract contract, recorded in the warehouse when the
return is received, so the KPI engine can tell which KPIs it can give without importing adapters.

A format fills only some columns of the tables it gives (its adapter's ``PROVIDES``); why it
leaves the others blank is in its ``LIMITS`` (e.g. Annex A has no decision timestamps), and a
few KPIs it cannot serve although it fills their columns are in its ``NOT_AVAILABLE``.
``meta.source_columns`` holds, per received table, every contract column with the reason it is
blank (null: the return fills it); ``meta.source_kpi_gaps`` the KPIs the format declares it
cannot serve.
"""

from collections.abc import Mapping

import duckdb

from pipelines.lib.adapters.registry import FORMAT_LABELS, SOURCE_MODULES
from pipelines.lib.contract import TABLES_BY_NAME


def limits(source_format: str) -> Mapping[str, str]:
    """Why the format lacks a table or column (keyed by either name)."""
    found: Mapping[str, str] = getattr(SOURCE_MODULES[source_format], "LIMITS", {})
    return found


def column_reasons(source_format: str, table: str) -> dict[str, str | None]:
    """Each contract column of ``table`` -> why ``source_format`` leaves it blank (None: filled)."""
    given = SOURCE_MODULES[source_format].PROVIDES.get(table, frozenset())
    label = FORMAT_LABELS[source_format]
    reasons: dict[str, str | None] = {}
    for column in TABLES_BY_NAME[table].column_names:
        why = limits(source_format).get(column) or limits(source_format).get(table)
        reasons[column] = (
            None
            if column in given
            else f"the {label} does not give {table}.{column}" + (f": {why}" if why else "")
        )
    return reasons


def kpi_gaps(source_format: str) -> dict[str, str]:
    """KPI id -> why the format cannot serve it although it fills its columns (e.g. Annex A has
    each child's current placement only, so placement moves are undercounted)."""
    declared: Mapping[str, str] = getattr(SOURCE_MODULES[source_format], "NOT_AVAILABLE", {})
    return {kpi_id: f"{why} ({FORMAT_LABELS[source_format]})" for kpi_id, why in declared.items()}


def record_source_columns(
    con: duckdb.DuckDBPyConnection, delivery: Mapping[str, object], formats: Mapping[str, str]
) -> None:
    """Record what each table of a delivery that came from a statutory return (``formats``:
    table -> source format) holds: ``delivery`` gives la_code, extract_date and delivery_id."""
    key = [delivery["la_code"], delivery["extract_date"], delivery["delivery_id"]]
    columns = [
        [*key, table, source_format, column, reason]
        for table, source_format in sorted(formats.items())
        for column, reason in column_reasons(source_format, table).items()
    ]
    gaps = [
        [*key, source_format, kpi_id, reason]
        for source_format in sorted(set(formats.values()))
        for kpi_id, reason in kpi_gaps(source_format).items()
    ]
    if columns:
        con.executemany("insert into meta.source_columns values (?, ?, ?, ?, ?, ?, ?)", columns)
    if gaps:
        con.executemany("insert into meta.source_kpi_gaps values (?, ?, ?, ?, ?, ?)", gaps)


def record_unrecorded(con: duckdb.DuckDBPyConnection, la_code: str) -> int:
    """Record the source columns of the LA's deliveries received before ingest recorded them
    (a warehouse loaded by an earlier version), from the formats ``meta.delivery_sources``
    kept; returns how many deliveries were recorded. The adapters' ``PROVIDES`` are the same
    for a return however long ago it was received, so the record is what ingest would have
    written then."""
    rows = con.execute(
        """select s.extract_date, s.delivery_id, s.table_name, s.source_format
           from meta.delivery_sources s
           where s.la_code = ? and s.source_format <> 'ssd'
             and not exists (
                 select 1 from meta.source_columns c
                 where c.la_code = s.la_code and c.extract_date = s.extract_date
                   and c.delivery_id = s.delivery_id)""",
        [la_code],
    ).fetchall()
    deliveries: dict[tuple[object, object], dict[str, str]] = {}
    for extract_date, delivery_id, table, source_format in rows:
        if source_format in SOURCE_MODULES and table in TABLES_BY_NAME:
            deliveries.setdefault((extract_date, delivery_id), {})[table] = source_format
    for (extract_date, delivery_id), formats in deliveries.items():
        delivery = {"la_code": la_code, "extract_date": extract_date, "delivery_id": delivery_id}
        record_source_columns(con, delivery, formats)
    return len(deliveries)
