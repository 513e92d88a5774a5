"""Sensors: a complete extract folder in the inbox starts its LA's run; a successful LA run
makes that week's clinic pack; a failed one says on the LA's published page why nothing new was
published."""

import json
import os

import dagster as dg
import duckdb

from pipelines.defs.jobs import publish_clinic_pack, refresh_la
from pipelines.defs.partitions import la_partitions
from pipelines.defs.publish.run_failure import failed_steps, reported_by_cli
from pipelines.defs.resources import Warehouse
from pipelines.lib import ingest, paths, warehouse
from pipelines.lib.ingest import inbox
from pipelines.lib.kpi.outputs import newest_extract
from pipelines.lib.paths import DataPaths
from pipelines.lib.publish import not_published
from pipelines.lib.publish.clinic import week_start

QUIET_ENV = "CSC_INBOX_QUIET_SECONDS"
DEFAULT_QUIET_SECONDS = 120.0
# How long a sensor waits for a run holding the warehouse before trying on its next tick.
WAREHOUSE_WAIT_S = 5.0


def quiet_seconds() -> float:
    return float(os.environ.get(QUIET_ENV, DEFAULT_QUIET_SECONDS))


def _complete_folders(inbox_la: ingest.InboxLA) -> dict[str, str]:
    """Extract folder -> signature, for the LA's folders that are complete."""
    return {
        str(extract.path): ingest.folder_signature(extract.path) for extract in inbox_la.extracts
    }


def _already_received(
    data_paths: DataPaths, la: ingest.InboxLA, folders: set[str]
) -> set[str] | None:
    """Of ``folders`` (new to the sensor: after a restart, or its first tick on an installation
    already in use), those whose exact files the warehouse has received (by their SHA-256, as a
    run would find them): a run for them would do nothing. None when the warehouse is busy."""
    extracts = [e for e in la.extracts if str(e.path) in folders]
    if not extracts or not data_paths.warehouse.is_file():
        return set()
    try:
        with warehouse.connect(data_paths.warehouse, timeout_s=WAREHOUSE_WAIT_S) as con:
            seen = {
                (day, delivery)
                for day, delivery in con.execute(
                    "select extract_date, delivery_id from meta.deliveries where la_code = ?",
                    [la.la_code],
                ).fetchall()
            }
    except (TimeoutError, OSError, duckdb.Error):
        return None
    # The delivery id is the one a run computes (from the files' SHA-256).
    return {str(e.path) for e in extracts if (e.extract_date, inbox.delivery(e)[2]) in seen}


@dg.sensor(
    job=refresh_la,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts an LA's run when a complete extract folder appears in its inbox folder "
    "(a _READY marker, or no file changed for CSC_INBOX_QUIET_SECONDS, default 120 s); a "
    "half-copied folder is left alone. New LA folders become new partitions.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, warehouse: Warehouse) -> dg.SensorResult:
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    quiet = quiet_seconds()
    inbox = warehouse.paths.inbox
    if not inbox.is_dir():
        return dg.SensorResult(skip_reason=f"{inbox}: no inbox folder yet")
    known = set(context.instance.get_dynamic_partitions(la_partitions.name or "la"))
    requests, new_las = [], []
    for la in ingest.scan_inbox(inbox, quiet):
        if la.config is None:
            continue  # reported by a run when there is something to run; nothing to do yet
        if paths.la_code_problem(la.la_code):
            continue  # not an LA folder (`csc-kpis run` says so); never a partition
        ready = _complete_folders(la)
        changed = {folder: sig for folder, sig in ready.items() if seen.get(folder) != sig}
        unknown = {folder for folder in changed if folder not in seen}
        received = _already_received(warehouse.paths, la, unknown) if unknown else set()
        if received is None:
            continue  # the warehouse is busy: ask again on the next tick
        seen.update({folder: changed.pop(folder) for folder in received})
        if not changed:
            continue
        if la.la_code not in known:
            new_las.append(la.la_code)
        seen.update(changed)
        requests.append(
            dg.RunRequest(
                run_key=f"{la.la_code}:" + ",".join(sorted(changed.values())),
                partition_key=la.la_code,
                run_config={"resources": {"warehouse": {"config": {"quiet_seconds": quiet}}}},
                tags={"la_code": la.la_code},
            )
        )
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[la_partitions.build_add_request(new_las)] if new_las else [],
        cursor=json.dumps(seen, sort_keys=True),
        skip_reason=None if requests else "no new complete extract folder",
    )


def _partition_la(run: dg.DagsterRun) -> str | None:
    return run.tags.get("la_code") or run.tags.get("dagster/partition")


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[refresh_la],
    request_job=publish_clinic_pack,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="After an LA's run succeeds: the clinic pack of the week its newest extract "
    "completes.",
)
def clinic_pack_after_refresh(
    context: dg.RunStatusSensorContext,
) -> dg.RunRequest | dg.SkipReason:
    la_code = _partition_la(context.dagster_run)
    if not la_code:
        return dg.SkipReason("the run has no LA partition")
    paths = Warehouse().paths
    try:
        with warehouse.connect(paths.warehouse, timeout_s=WAREHOUSE_WAIT_S) as con:
            extract = newest_extract(con, la_code)
    except (TimeoutError, OSError) as exc:
        return dg.SkipReason(f"the warehouse could not be read: {exc}")
    if extract is None:
        return dg.SkipReason(f"LA {la_code}: no KPIs computed yet")
    week = week_start(extract)
    return dg.RunRequest(
        run_key=f"clinic:{la_code}:{week}:{context.dagster_run.run_id}",
        partition_key=dg.MultiPartitionKey({"la": la_code, "week": week.isoformat()}),
        tags={"la_code": la_code},
    )


@dg.run_failure_sensor(
    monitored_jobs=[refresh_la],
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="After an LA's run the daemon started fails: the 'not published' page, naming the "
    "rejected deliveries or the steps that failed, unless an output that refused wrote it (the "
    "last good outputs stay in place). `csc-kpis run` reports its own runs.",
)
def not_published_after_failure(context: dg.RunFailureSensorContext) -> None:
    la_code = _partition_la(context.dagster_run)
    if not la_code or reported_by_cli(context.dagster_run):
        return
    paths = Warehouse().paths
    if not paths.warehouse.exists():
        return
    failed = failed_steps(context.get_step_failure_events())
    with warehouse.connect(paths.warehouse, timeout_s=60) as con:
        notice = not_published.after_failed_run(con, paths.published, la_code, failed)
    if notice:
        context.log.info(f"LA {la_code}: {notice}")
