"""Ingest: extract folders in the inbox -> raw tables (as received) -> staging (typed)."""

import dagster as dg
import polars as pl

from pipelines.defs.checks import SUITE_CHECK, check_result
from pipelines.defs.partitions import la_partitions
from pipelines.defs.resources import Warehouse
from pipelines.lib import calendar, ingest
from pipelines.lib.contract import TABLES
from pipelines.lib.validation.report import write_report
from pipelines.lib.validation.run import load_results, validate_staged
from pipelines.lib.warehouse import current_extract

CALENDAR_KEY = dg.AssetKey(["ref", "working_day_calendar"])
RAW_KEYS = {t.name: dg.AssetKey(["raw", t.name]) for t in TABLES}
STG_KEYS = {t.name: dg.AssetKey(["stg", t.name]) for t in TABLES}
QUARANTINE_KEY = dg.AssetKey(["stg", "quarantine"])
FILE_CHECK = "file_usable"


class InboxScan(dg.Config):
    """The LA's extract folders as the run's starter found them: ``csc-kpis run`` scans the
    inbox once, before its runs, and hands each LA's folders (oldest first) and problems here.
    A run started otherwise (the UI, the sensor) has ``scanned`` false and scans the LA here."""

    scanned: bool = False
    extract_folders: list[str] | None = None
    problems: list[str] | None = None


@dg.asset(key=CALENDAR_KEY, group_name="reference", kinds={"duckdb"})
def working_day_calendar(warehouse: Warehouse) -> dg.MaterializeResult:
    """Every date 2000-2040 with England and Wales bank holidays and a cumulative working-day
    index, plus the SQL macro ``working_days_between(a, b)`` (working days d with a < d <= b)."""
    with warehouse.connect(write=True) as con:
        rows = calendar.install_calendar(con)
    return dg.MaterializeResult(
        metadata={"rows": rows, "bank_holidays": len(calendar.bank_holidays())}
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            RAW_KEYS[t.name],
            group_name=t.area,
            kinds={"duckdb"},
            description=f"{t.description} As received (text), every delivery; direct "
            "identifiers dropped.",
        )
        for t in TABLES
    ],
    check_specs=[
        dg.AssetCheckSpec(
            FILE_CHECK,
            asset=RAW_KEYS[t.name],
            blocking=True,
            description="The newest delivery's file for this table could be read and has every "
            "required column. A rejected delivery blocks the rest of the run: the last good "
            "extract, KPIs and outputs stay as they were.",
        )
        for t in TABLES
    ],
    partitions_def=la_partitions,
    name="raw_extracts",
)
def raw_extracts(context: dg.AssetExecutionContext, config: InboxScan, warehouse: Warehouse):  # type: ignore[no-untyped-def]
    """Read every new extract folder of the LA in the inbox into the raw tables. A delivery with
    an unreadable file or a missing required column is rejected and reported; the last good
    extract stays current."""
    la_code = context.partition_key
    inbox = warehouse.paths.inbox
    if config.scanned:
        la = ingest.as_scanned(inbox, la_code, config.extract_folders or [], config.problems or [])
    else:
        quiet = warehouse.quiet_seconds if warehouse.quiet_seconds >= 0 else None
        la = ingest.scan_la(inbox, la_code, quiet)
    for problem in la.problems:
        context.log.warning(problem)
    if la.config is None:
        raise dg.Failure(description=la.config_error, metadata={"la_code": la_code})
    results: list[ingest.DeliveryResult] = []
    with warehouse.connect(write=True) as con:
        ingest.save_la_config(con, la.config)
        for result in ingest.receive_la(con, la.extracts, progress=context.log.info):
            for line in result.file_errors:
                context.log.error(line)
            results.append(result)
        processed = [r.delivery_id for r in results if r.status != "skipped"]
        errors = con.execute(
            """select table_name, source_file, column_name, message from meta.file_errors
               where la_code = ? and severity = 'error' and delivery_id in (select unnest(?))""",
            [la_code, processed],
        ).pl()
        rows = con.execute(
            """select table_name, sum(rows_read) as rows from (
                   select table_name, rows_read, delivery_id from meta.delivery_files
                   where la_code = ? and table_name is not null
                   union all
                   -- tables a statutory return gave (one file, several tables)
                   select table_name, rows_read, delivery_id from meta.delivery_sources
                   where la_code = ? and source_format <> 'ssd'
               )
               where delivery_id in (select unnest(?)) group by table_name""",
            [la_code, la_code, processed],
        ).pl()
    row_counts = dict(zip(rows["table_name"].to_list(), rows["rows"].to_list(), strict=True))
    summary = {
        "deliveries_new": sum(r.status in ("received", "rejected") for r in results),
        "deliveries_rejected": sum(r.status == "rejected" for r in results),
        "deliveries_already_seen": sum(r.status == "skipped" for r in results),
        "deliveries_superseded": sum(r.status == "superseded" for r in results),
    }
    for table in TABLES:
        problems = errors.filter(pl.col("table_name") == table.name)
        yield dg.MaterializeResult(
            asset_key=RAW_KEYS[table.name],
            metadata={"rows_received": int(row_counts.get(table.name) or 0), **summary},
        )
        yield dg.AssetCheckResult(
            asset_key=RAW_KEYS[table.name],
            check_name=FILE_CHECK,
            passed=problems.is_empty(),
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "problems": dg.MetadataValue.md(
                    "\n".join(
                        f"- {r['source_file']}"
                        + (f", column `{r['column_name']}`" if r["column_name"] else "")
                        + f": {r['message']}"
                        for r in problems.iter_rows(named=True)
                    )
                    or "none"
                )
            },
        )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            STG_KEYS[t.name],
            deps=[RAW_KEYS[t.name]],
            group_name=t.area,
            kinds={"duckdb"},
            description=f"{t.description} Typed, codes normalised, duplicates resolved; with "
            "lineage (la_code, extract_date, source_file, file_sha256, source_row).",
        )
        for t in TABLES
    ]
    + [
        dg.AssetSpec(
            QUARANTINE_KEY,
            deps=list(RAW_KEYS.values()),
            group_name="data_quality",
            kinds={"duckdb"},
            description="Every rejected row and cleared value: file, spreadsheet row, column, "
            "value and the rule it broke.",
        )
    ],
    check_specs=[
        dg.AssetCheckSpec(
            SUITE_CHECK,
            asset=STG_KEYS[t.name],
            # Not blocking in Dagster's sense: that stops every step after this one (all of
            # staging is one step), so one bad table would stop every KPI. An error here
            # withholds the KPIs that read this table instead (their `inputs_valid` check).
            blocking=False,
            description="Great Expectations suite for the LA's current extract: required values, "
            "unique ids, known codes, plausible dates, links between tables, and no more than "
            "half of the delivered rows rejected. An error withholds the KPIs that read this "
            "table (they keep their last good values); the rest publish.",
        )
        for t in TABLES
    ],
    partitions_def=la_partitions,
    name="staged_extracts",
)
def staged_extracts(context: dg.AssetExecutionContext, warehouse: Warehouse):  # type: ignore[no-untyped-def]
    """Type every received delivery of the LA into staging, make the newest one current, and
    validate it (a Great Expectations suite per table, blocking what depends on it)."""
    la_code = context.partition_key
    with warehouse.connect(write=True) as con:
        results = ingest.stage_received(con, la_code, progress=context.log.info)
        current = current_extract(con, la_code)
        counts = {
            t.name: con.execute(
                f"""select count(*) from current.{t.name} where la_code = ?""", [la_code]
            ).fetchone()[0]  # type: ignore[index]
            for t in TABLES
        }
        quarantined = con.execute(
            "select count(*) from stg.quarantine where la_code = ?", [la_code]
        ).fetchone()
        suites = {}
        if current is not None:
            # Validate the extract that is now current (once: later runs reuse its results).
            suites = load_results(con, la_code, current, "stg")
            if results or not suites:
                suites = validate_staged(con, la_code, current)
            write_report(con, la_code, current, warehouse.paths.published)
    current_date = str(current) if current is not None else "none"
    for table in TABLES:
        yield dg.MaterializeResult(
            asset_key=STG_KEYS[table.name],
            metadata={"current_extract": current_date, "rows_current": int(counts[table.name])},
        )
        yield check_result(STG_KEYS[table.name], suites.get(table.name))
    yield dg.MaterializeResult(
        asset_key=QUARANTINE_KEY,
        metadata={
            "issues_total": int(quarantined[0]) if quarantined else 0,
            "deliveries_staged": len(results),
            "rows_rejected_this_run": sum(r.rows_rejected for r in results),
        },
    )
