"""Run the Dagster jobs for the LAs in an inbox: the command line's (and the sensor's) way in.

Runs use the in-process executor: the multiprocess executor costs 10+ s of start-up per run on a
small machine, and DuckDB takes one writer at a time anyway.
"""

import datetime as dt
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from sqlalchemy import event
from sqlalchemy.engine import Engine

from pipelines import run_guard, run_history, run_report
from pipelines.lib import ingest, locks, paths
from pipelines.lib.paths import PROJECT_ROOT, internal_outputs
from pipelines.run_report import LARunReport

Echo = Callable[[str], None]
PROGRESS_RUN_CONFIG = {"loggers": {"progress": {"config": {"log_level": "INFO"}}}}


def run_config(data_paths: paths.DataPaths) -> dict[str, Any]:
    """A run's configuration: progress printed to the terminal, and the data folder and inbox
    handed to the ``warehouse`` resource (a run reads no path from the environment)."""
    folders = {"data_dir": str(data_paths.data_dir), "inbox": str(data_paths.inbox)}
    return {**PROGRESS_RUN_CONFIG, "resources": {"warehouse": {"config": folders}}}


def use_data_dir(data_paths: paths.DataPaths) -> None:
    """Make the data folder and Dagster's own home in it (DAGSTER_HOME, its run history)."""
    data_paths.ensure()
    home = data_paths.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = PROJECT_ROOT / "dagster.yaml"
    if config.is_file() and (
        not (home / "dagster.yaml").is_file()
        or (home / "dagster.yaml").read_bytes() != config.read_bytes()
    ):
        # Copied whole then renamed: another run starting at the same moment never reads half.
        partial = home / f".dagster.yaml.{os.getpid()}"
        shutil.copyfile(config, partial)
        os.replace(partial, home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)


# Tests set this to run without writing Dagster's run history (SQLite commits cost seconds).
EPHEMERAL_ENV = "CSC_DAGSTER_EPHEMERAL"


@contextmanager
def fast_sqlite_history(home: Path) -> Iterator[None]:
    """Dagster writes its run history to SQLite one event at a time; its run storage opens and
    closes a connection for each (the event log keeps a pool: ``run_history``). In WAL mode the
    last connection to close checkpoints and syncs the file, which made a run spend most of its
    time waiting on the disk. Holding one connection
    open for the run (so a close is never the last) and not syncing each commit (WAL with
    synchronous=NORMAL keeps the database consistent) makes the history cheap to write."""

    def relaxed(dbapi_connection: Any, _: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.execute("pragma synchronous = normal")

    event.listen(Engine, "connect", relaxed)
    keepers = []
    try:
        for database in (home / "event_log.db", home / "history" / "runs.db"):
            if database.exists():
                keeper = sqlite3.connect(database)
                # A connection counts for SQLite only once it has read the WAL index: an idle one
                # left each close the last, checkpointing and syncing (14 ms a close against
                # 0.1 ms, with ~10,000 closes in a demo run).
                keeper.execute("select count(*) from sqlite_master").fetchall()
                keepers.append(keeper)
        yield
    finally:
        for keeper in keepers:
            keeper.close()
        event.remove(Engine, "connect", relaxed)


# Runs started here do not copy their steps' raw stdout and stderr into files: the terminal shows
# them, and the run history keeps every event and message. Dagster captures by redirecting the
# process's own output, so two runs at once (a clinic pack beside the next LA's run) would leave
# it redirected into one run's file.
NO_COMPUTE_LOGS = {
    "compute_logs": {
        "module": "dagster._core.storage.noop_compute_log_manager",
        "class": "NoOpComputeLogManager",
    }
}


def open_instance() -> dg.DagsterInstance:
    """The instance in DAGSTER_HOME (run history shown by `make dev`), or an in-memory one."""
    from dagster._core.instance.ref import InstanceRef

    if os.environ.get(EPHEMERAL_ENV, "").lower() in ("1", "true", "yes"):
        return dg.DagsterInstance.ephemeral()  # it captures nothing either
    home = os.environ["DAGSTER_HOME"]
    # The first process to open the history creates its tables: one at a time.
    with run_guard.run_history_lock(Path(home), locks.stderr):
        return run_history.leave_logging_alone(
            dg.DagsterInstance.from_ref(InstanceRef.from_dir(home, overrides=NO_COMPUTE_LOGS))
        )


def job_definitions() -> dg.Definitions:
    from pipelines.definitions import defs

    return defs()


# Dagster writes "blocking asset check failed", or "2 blocking asset checks failed" for several.
CHECK_FAILED = re.compile(r"blocking asset checks? failed")


def _root_cause(error: object) -> str:
    """The innermost error's message: what went wrong, not Dagster's wrapper around it."""
    while getattr(error, "cause", None) is not None:
        error = error.cause  # type: ignore[attr-defined]
    message = str(getattr(error, "message", error)).strip()
    # "pipelines.lib.publish.figures.NotPublishable: LA 992: ..." -> "LA 992: ..."
    return re.sub(r"^(\w+\.)+\w+: ", "", message)


def _clinic_pack(
    definitions: dg.Definitions,
    instance: dg.DagsterInstance,
    data_paths: paths.DataPaths,
    la_code: str,
    week: dt.date | None = None,
    echo: Echo = print,
) -> Path | None:
    """The clinic pack of one week (default: the week the LA's newest extract completes), as
    its own partition; None when it was not written (the run log says why)."""
    if week is None:
        week = run_report.pack_week(data_paths, la_code)
        if week is None:
            return None
    result = definitions.resolve_job_def("publish_clinic_pack").execute_in_process(
        instance=instance,
        partition_key=dg.MultiPartitionKey({"la": la_code, "week": week.isoformat()}),
        run_config=run_config(data_paths),
        raise_on_error=False,
        tags={"la_code": la_code},
    )
    if not result.success:
        for event in result.all_events:
            if event.is_step_failure and event.event_specific_data is not None:
                error = event.event_specific_data.error  # type: ignore[union-attr]
                echo(f"LA {la_code} week of {week}: {_root_cause(error)}")
        return None
    return (
        internal_outputs(data_paths.published, la_code) / "clinic" / week.isoformat() / "index.html"
    )


def backfill_clinic_packs(
    data_paths: paths.DataPaths, la_code: str, first: dt.date, last: dt.date, echo: Echo = print
) -> list[tuple[dt.date, Path | None]]:
    """The clinic packs of every week from the one holding ``first`` to the one holding ``last``
    (past weeks restated from the next extract when they had none of their own)."""
    from pipelines.lib.publish.clinic import week_start

    use_data_dir(data_paths)
    definitions = job_definitions()
    instance = open_instance()
    instance.add_dynamic_partitions("la", [la_code])
    week = week_start(first + dt.timedelta(days=6 - first.weekday()))
    done = []
    with fast_sqlite_history(data_paths.dagster_home):
        while week <= last:
            pack = _clinic_pack(definitions, instance, data_paths, la_code, week, echo)
            if pack:
                echo(f"LA {la_code} week of {week}: {pack}")
            done.append((week, pack))
            week += dt.timedelta(days=7)
    return done


def run_inbox(
    data_paths: paths.DataPaths, la_codes: list[str] | None = None, echo: Echo = print
) -> list[LARunReport]:
    """Materialise everything for each LA in the inbox (or the ones named)."""
    use_data_dir(data_paths)
    found, refused = _las_to_run(data_paths, la_codes, echo)
    if la_codes:
        known = {la.la_code for la in found}
        missing = [code for code in la_codes if code not in known]
        if missing:
            raise ingest.ConfigError(
                f"{data_paths.inbox}: no folder for LA {', '.join(missing)} "
                f"(found: {', '.join(sorted(known)) or 'none'})"
            )
        found = [la for la in found if la.la_code in la_codes]
    if not found and not refused:
        raise ingest.ConfigError(
            f"{data_paths.inbox}: no LA folders. Expected "
            "<inbox>/<la_code>/<YYYY-MM-DD>/<table>.csv and <inbox>/<la_code>/la.yaml "
            "(see the extract contract)."
        )
    definitions = job_definitions()
    instance = open_instance()
    with fast_sqlite_history(data_paths.dagster_home):
        echo("Reference data: working-day calendar")
        reference = definitions.resolve_job_def("refresh_reference").execute_in_process(
            instance=instance, run_config=run_config(data_paths), raise_on_error=False
        )
        if not reference.success:
            raise RuntimeError(
                "the working-day calendar could not be built: "
                + ("; ".join(step_failures(reference, data_paths)) or "see the Dagster run log")
            )
        job = definitions.resolve_job_def("refresh_la")
        instance.add_dynamic_partitions("la", [la.la_code for la in found])
        reports = [LARunReport(la.la_code, False, refused=line) for la, line in refused]
        # An LA's clinic pack is drawn (mostly by helper processes) while the next LA's run goes
        # on: on two cores the pack then costs the run almost no time. One at a time.
        with ThreadPoolExecutor(1, thread_name_prefix="clinic-pack") as packs:
            packs_drawn = _run_las(
                found, job, definitions, instance, data_paths, echo, reports, packs
            )
        for report, drawn in packs_drawn:
            report.clinic_pack = drawn.result()
            if report.clinic_pack is None:
                report.success = False
                report.error = "the clinic pack could not be written; see the Dagster run log"
    return reports


def _run_las(
    found: list[ingest.InboxLA],
    job: dg.JobDefinition,
    definitions: dg.Definitions,
    instance: dg.DagsterInstance,
    data_paths: paths.DataPaths,
    echo: Echo,
    reports: list[LARunReport],
    packs: ThreadPoolExecutor,
) -> list[tuple[LARunReport, Future[Path | None]]]:
    """Run each LA's job in turn, appending its report; its clinic pack is handed to ``packs``."""
    from pipelines.defs.publish.run_failure import REPORTED_BY_CLI, failed_steps

    drawn: list[tuple[LARunReport, Future[Path | None]]] = []
    for la in found:
        name = (
            la.config.la_name
            if la.config
            else "(la.yaml invalid)"
            if la.config_error
            else "(no la.yaml)"
        )
        echo(f"LA {la.la_code} {name}: {len(la.extracts)} extract folder(s)")
        held = start_la(data_paths, la.la_code, echo)
        if isinstance(held, str):
            reports.append(LARunReport(la.la_code, False, ignored=list(la.problems), error=held))
            continue
        before = run_report.deliveries(data_paths, la.la_code)
        result = job.execute_in_process(
            instance=instance,
            partition_key=la.la_code,
            run_config=la_run_config(data_paths, la),
            raise_on_error=False,
            tags={"la_code": la.la_code, **REPORTED_BY_CLI},
        )
        report = LARunReport(la.la_code, result.success, ignored=list(la.problems))
        if not result.success:
            failures = step_failures(result, data_paths)
            # A blocking check that failed is explained below (a rejected delivery, or the
            # expectations that failed); anything else is an error to show as it is.
            errors = [f for f in failures if not CHECK_FAILED.search(f)]
            report.checks_failed = len(errors) < len(failures)
            if errors or not failures:
                report.error = "; ".join(errors) or la.config_error or "the run failed"
        run_report.read_outcome(report, data_paths, before, failed_steps(result.all_events))
        if result.success:
            pack = packs.submit(
                run_guard.locked,
                held,
                _clinic_pack,
                definitions,
                instance,
                data_paths,
                la.la_code,
                None,  # the week its newest extract completes
                echo,
            )
            drawn.append((report, pack))
        else:
            held.release()
        reports.append(report)
    return drawn


def la_run_config(data_paths: paths.DataPaths, la: ingest.InboxLA) -> dict[str, Any]:
    """The LA's run configuration, with its extract folders as scanned before the run (the
    inbox is scanned once: ``raw_extracts`` does not list them again)."""
    scan = {
        "scanned": True,
        "extract_folders": [str(extract.path) for extract in la.extracts],
        "problems": list(la.problems),
    }
    return {**run_config(data_paths), "ops": {"raw_extracts": {"config": scan}}}


def _las_to_run(
    data_paths: paths.DataPaths, la_codes: list[str] | None, echo: Echo
) -> tuple[list[ingest.InboxLA], list[tuple[ingest.InboxLA, str]]]:
    """The inbox's LA folders, less those that cannot be LAs (said once each, before any run);
    an LA named on the command line must be an LA code."""
    found = ingest.scan_inbox(data_paths.inbox)
    for code in la_codes or []:
        if problem := paths.la_code_problem(code):
            raise ingest.ConfigError(f"--la {code[:40]}: {problem}")
    if la_codes:
        found = [la for la in found if la.la_code in la_codes]
    refused = run_guard.refused_folders(data_paths.inbox, found)
    for _, line in refused:
        echo(line)
    skipped = {id(la) for la, _ in refused}
    return [la for la in found if id(la) not in skipped], refused


def start_la(data_paths: paths.DataPaths, la_code: str, echo: Echo) -> "locks.Held | str":
    """Take the LA's run lock (waiting, and saying so, while another run of it goes on) and tidy
    what a crashed run left in its output folders; the reason instead when the lock was not
    free in time."""
    try:
        held = run_guard.lock_la(data_paths, la_code, echo)
    except locks.LockTimeout as exc:
        return str(exc)
    locks.ACTIVITY.set(f"the run of LA {la_code}")
    for line in run_guard.tidy_outputs(data_paths, la_code):
        echo(f"LA {la_code}: {line}")
    return held


def step_failures(result: dg.ExecuteInProcessResult, data_paths: paths.DataPaths) -> list[str]:
    """Why each failed step of a run failed, in one line (a full disk named as such)."""
    return [
        run_guard.explain(_root_cause(e.event_specific_data.error), data_paths)  # type: ignore[union-attr]
        for e in result.all_events
        if e.is_step_failure and e.event_specific_data is not None
    ]
