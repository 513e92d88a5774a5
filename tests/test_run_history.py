"""The run history's event log (pipelines/run_history.py): one engine, the same history."""

import logging.config
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.storage import sql as dagster_sql
from dagster._core.storage.event_log.sqlite import consolidated_sqlite_event_log

from pipelines import run_history

ROOT = Path(__file__).resolve().parents[1]


@dg.asset(partitions_def=dg.DynamicPartitionsDefinition(name="la"))
def counted() -> int:
    return 1


def _instance(home: Path, monkeypatch: pytest.MonkeyPatch) -> dg.DagsterInstance:
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    (home / "dagster.yaml").write_bytes((ROOT / "dagster.yaml").read_bytes())
    return dg.DagsterInstance.from_config(str(home))


def test_the_project_instance_keeps_a_readable_history_with_one_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engines = []
    made = dagster_sql.create_engine

    def counting(*args: object, **kwargs: object) -> object:
        engines.append(args)
        return made(*args, **kwargs)  # type: ignore[arg-type]

    instance = _instance(tmp_path, monkeypatch)
    try:
        assert isinstance(instance.event_log_storage, run_history.EventLogStorage)
        instance.has_dynamic_partition("la", "991")  # the storage's engine is made by now
        for module in (run_history, consolidated_sqlite_event_log):
            monkeypatch.setattr(module, "create_engine", counting)
        instance.add_dynamic_partitions("la", ["991", "992"])
        job = dg.define_asset_job("j", [counted]).resolve(
            asset_graph=dg.Definitions(assets=[counted]).resolve_asset_graph()
        )
        for la in ("991", "992"):
            assert job.execute_in_process(instance=instance, partition_key=la).success
        assert instance.has_dynamic_partition("la", "992")
        assert not instance.has_dynamic_partition("la", "993")
        # Hundreds of queries (events stored, partitions and versions read), no new engine.
        assert engines == []
    finally:
        instance.dispose()
    # Another process (a fresh instance on the same home) reads what the runs wrote.
    again = _instance(tmp_path, monkeypatch)
    try:
        materialized = again.get_materialized_partitions(dg.AssetKey("counted"))
        assert materialized == {"991", "992"}
    finally:
        again.dispose()


def test_a_table_missing_at_first_is_found_once_it_exists(tmp_path: Path) -> None:
    storage = run_history.EventLogStorage(str(tmp_path))
    assert storage.has_table("event_logs")
    assert not storage.has_table("later_table")
    with storage.index_connection() as conn:
        conn.exec_driver_sql("create table later_table (x integer)")
    assert storage.has_table("later_table")  # an absent table is not remembered as absent


def test_two_threads_write_one_history_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As ``csc-kpis run`` does: a clinic pack's run in a thread beside the next LA's run (with
    logging left alone, as the runner's instance does: without, this deadlocked)."""
    instance = run_history.leave_logging_alone(_instance(tmp_path, monkeypatch))
    las = [f"9{n:02d}" for n in range(8)]
    try:
        instance.add_dynamic_partitions("la", las)
        job = dg.define_asset_job("j", [counted]).resolve(
            asset_graph=dg.Definitions(assets=[counted]).resolve_asset_graph()
        )
        with ThreadPoolExecutor(2) as pool:
            runs = list(
                pool.map(
                    lambda la: job.execute_in_process(instance=instance, partition_key=la), las
                )
            )
        assert all(run.success for run in runs)
        assert instance.get_materialized_partitions(dg.AssetKey("counted")) == set(las)
    finally:
        instance.dispose()


def test_a_run_started_here_leaves_python_logging_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reconfiguring logging at a run's start closed every handler of the process and could
    deadlock with a clinic pack's run logging in its thread (``leave_logging_alone``)."""
    instance = run_history.leave_logging_alone(_instance(tmp_path, monkeypatch))

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("a run reconfigured Python's logging")

    monkeypatch.setattr(logging.config, "dictConfig", refuse)
    try:
        instance.add_dynamic_partitions("la", ["991"])
        job = dg.define_asset_job("j", [counted]).resolve(
            asset_graph=dg.Definitions(assets=[counted]).resolve_asset_graph()
        )
        assert job.execute_in_process(instance=instance, partition_key="991").success
    finally:
        instance.dispose()
