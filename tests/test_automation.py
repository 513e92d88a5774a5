"""Unattended running: complete-folder detection, the inbox sensor, the schedules' calendar,
backfills, and (slow) a folder dropped into the inbox of a running `make dev`."""

import datetime as dt
import os
import signal
import subprocess
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from pipelines import cli
from pipelines.defs.automation.schedules import (
    monthly_board_report,
    six_weekly_adviser_report,
    weekly_clinic_pack,
)
from pipelines.defs.automation.sensors import inbox_sensor
from pipelines.defs.resources import Warehouse
from pipelines.lib import ingest, schedule_rules, warehouse
from pipelines.synthetic import generate_la
from tests.conftest import CONTACTS_CSV, PERSON_CSV, copy_demo, write_extract
from tests.test_dev_server import ROOT, free_port

LONDON = ZoneInfo("Europe/London")


def test_a_folder_is_complete_with_a_marker_or_after_a_quiet_period(tmp_path: Path) -> None:
    folder = write_extract(tmp_path, "900", "2024-01-07", {})
    assert not ingest.is_complete(folder, 60)  # nothing in it yet
    table = folder / "ssd_person.csv"
    table.write_text("pers_person_id\nC1\n", encoding="utf-8")
    changed = max(table.stat().st_mtime, folder.stat().st_mtime)
    assert not ingest.is_complete(folder, 60, now=changed + 59)  # a copy may still be running
    assert ingest.is_complete(folder, 60, now=changed + 60)
    before = ingest.folder_signature(folder)
    (folder / "_READY").touch()
    assert ingest.is_complete(folder, 3600, now=changed)  # the sender says it is done
    assert ingest.folder_signature(folder) != before


def test_scanning_for_the_sensor_leaves_incomplete_folders(tmp_path: Path) -> None:
    write_extract(tmp_path, "900", "2024-01-07", {"ssd_person": PERSON_CSV})
    ready = write_extract(tmp_path, "900", "2024-01-14", {"ssd_person": PERSON_CSV})
    (ready / "_READY").touch()
    la = ingest.scan_la(tmp_path, "900", quiet_seconds=3600)
    assert [e.extract_date.isoformat() for e in la.extracts] == ["2024-01-14"]
    assert any("2024-01-07: not complete yet" in p for p in la.problems)
    # A run started by hand takes every folder as it is.
    assert len(ingest.scan_la(tmp_path, "900").extracts) == 2


@pytest.mark.parametrize(
    ("month", "first"),
    [
        ("2024-01", "2024-01-02"),  # New Year's Day
        ("2023-05", "2023-05-02"),  # early May bank holiday on Monday 1st
        ("2022-10", "2022-10-03"),  # the 1st is a Saturday
        ("2024-04", "2024-04-02"),  # Easter Monday on the 1st
        ("2024-07", "2024-07-01"),
    ],
)
def test_first_working_day_of_the_month(month: str, first: str) -> None:
    year, number = map(int, month.split("-"))
    assert schedule_rules.first_working_day(year, number) == dt.date.fromisoformat(first)


def test_adviser_reports_every_sixth_week_from_the_notice() -> None:
    due = [d for d in (dt.date(2022, 10, 17) + dt.timedelta(weeks=w) for w in range(14))
           if schedule_rules.is_adviser_week(d)]  # fmt: skip
    # 24 Oct 2022 (the notice), then 42 days later, and 42 more.
    assert due == [dt.date(2022, 10, 24), dt.date(2022, 12, 5), dt.date(2023, 1, 16)]


def _sensor_context(instance: dg.DagsterInstance, inbox: Path, cursor: str | None = None):  # type: ignore[no-untyped-def]
    return dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources={"warehouse": Warehouse(data_dir=str(inbox.parent), inbox=str(inbox))},
    )


def test_inbox_sensor_starts_a_run_for_each_new_complete_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSC_INBOX_QUIET_SECONDS", "3600")
    inbox = tmp_path / "inbox"
    folder = write_extract(inbox, "900", "2024-01-07", {"ssd_person": PERSON_CSV})
    instance = dg.DagsterInstance.ephemeral()
    result = inbox_sensor(_sensor_context(instance, inbox))
    assert not result.run_requests  # still being copied, as far as anyone can tell
    (folder / "_READY").touch()
    result = inbox_sensor(_sensor_context(instance, inbox))
    [request] = result.run_requests
    assert request.partition_key == "900" and request.tags["la_code"] == "900"
    assert request.run_config["resources"]["warehouse"]["config"]["quiet_seconds"] == 3600
    [added] = result.dynamic_partitions_requests
    assert list(added.partition_keys) == ["900"]
    # The next tick has nothing new; a corrected re-delivery of the same date is new again.
    again = inbox_sensor(_sensor_context(instance, inbox, result.cursor))
    assert not again.run_requests
    (folder / "ssd_person.csv").write_text(PERSON_CSV.replace("C3", "C4"), encoding="utf-8")
    redelivered = inbox_sensor(_sensor_context(instance, inbox, again.cursor))
    assert [r.partition_key for r in redelivered.run_requests] == ["900"]
    assert redelivered.run_requests[0].run_key != request.run_key


def test_inbox_sensor_starting_on_an_inbox_already_loaded_stays_idle(tmp_path: Path) -> None:
    """`make dev` opened on a data folder in use: the extracts already received start no run
    (the sensor's cursor is empty after a restart); a new one does."""
    inbox = tmp_path / "inbox"
    old = write_extract(inbox, "900", "2024-01-07", {"ssd_person": PERSON_CSV})
    (old / "_READY").touch()
    write_extract(inbox, "Kingsmere", "2024-01-07", {"ssd_person": PERSON_CSV})
    with warehouse.connect(tmp_path / "warehouse" / "csc.duckdb", write=True) as con:
        warehouse.ensure_schema(con)
        [extract] = ingest.scan_la(inbox, "900").extracts
        assert ingest.receive_extract(con, extract).status == "received"
    instance = dg.DagsterInstance.ephemeral()
    first = inbox_sensor(_sensor_context(instance, inbox))
    assert not first.run_requests and not first.dynamic_partitions_requests
    assert first.cursor and str(old) in first.cursor
    new = write_extract(inbox, "900", "2024-01-14", {"ssd_person": PERSON_CSV})
    (new / "_READY").touch()
    second = inbox_sensor(_sensor_context(instance, inbox, first.cursor))
    assert [r.partition_key for r in second.run_requests] == ["900"]


def _schedule_context(instance: dg.DagsterInstance, when: dt.datetime):  # type: ignore[no-untyped-def]
    return dg.build_schedule_context(instance=instance, scheduled_execution_time=when)


def test_schedules_ask_the_warehouse_what_is_due(
    demo_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSC_DATA_DIR", str(demo_data))
    with dg.instance_for_test() as instance:  # schedules need an instance with a ref
        _check_schedules(instance)


def _check_schedules(instance: dg.DagsterInstance) -> None:
    instance.add_dynamic_partitions("la", ["991", "992"])
    # Monday 1 April 2024, 06:00: the city's extract of Sunday 31 March covers last week; the
    # county's newest extract is from 2011, so it has no pack to make.
    monday = dt.datetime(2024, 4, 1, 6, tzinfo=LONDON)
    requests = list(weekly_clinic_pack(_schedule_context(instance, monday)))
    runs = [r for r in requests if isinstance(r, dg.RunRequest)]
    assert [r.partition_key for r in runs] == [dg.MultiPartitionKey({"la": "992",
                                                                     "week": "2024-03-25"})]  # fmt: skip
    # 1 April 2024 is Easter Monday: the board report waits for Tuesday the 2nd.
    easter = list(monthly_board_report(_schedule_context(instance, monday.replace(hour=7))))
    assert all(isinstance(r, dg.SkipReason) for r in easter)
    tuesday = dt.datetime(2024, 4, 2, 7, tzinfo=LONDON)
    board = list(monthly_board_report(_schedule_context(instance, tuesday)))
    assert sorted(r.partition_key for r in board) == ["991", "992"]  # type: ignore[union-attr]
    # The adviser report: Monday 11 March 2024 is 72 weeks (12 x 6) after 24 October 2022; the
    # Monday after is not due (a run per weekly extract writes none either: test_definitions).
    due = dt.datetime(2024, 3, 11, 7, tzinfo=LONDON)
    adviser = list(six_weekly_adviser_report(_schedule_context(instance, due)))
    assert sorted(r.partition_key for r in adviser) == ["991", "992"]  # type: ignore[union-attr]
    later = due + dt.timedelta(weeks=1)
    [skip] = six_weekly_adviser_report(_schedule_context(instance, later))
    assert isinstance(skip, dg.SkipReason)
    assert skip.skip_message == "2024-03-18 is not a six-weekly adviser date (from 2022-10-24)"


def test_backfill_writes_past_weeks_and_says_which_it_cannot(
    demo_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    copy = copy_demo(demo_data, tmp_path, monkeypatch)
    code = cli.main(["backfill", "--la", "992", "--from", "2024-03-20", "--to", "2024-04-03",
                     "--data-dir", str(copy)])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 1  # the week of 1 April has no extract yet
    clinic = copy / "published" / "992" / "internal" / "clinic"
    assert (clinic / "2024-03-18" / "index.html").is_file()
    assert "Restated" in (clinic / "2024-03-18" / "index.html").read_text(encoding="utf-8")
    assert not (clinic / "2024-04-01").exists()
    assert "week of 2024-04-01: LA 992: not published: no extract" in printed
    assert not (copy / "published" / "992" / "not-published.html").exists()


@pytest.mark.slow
def test_a_ready_folder_dropped_into_a_running_dev_server_makes_a_clinic_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    generate_la("992", dt.date(2021, 4, 1), dt.date(2024, 3, 31), inbox, scale=0.1,
                profile="city", n_extracts=1)  # fmt: skip
    for key in ("DAGSTER_HOME", "CSC_DATA_DIR", "CSC_INBOX"):
        monkeypatch.setenv(key, str(tmp_path / "unused"))
    assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(tmp_path)]) == 0
    env = {**os.environ, "CSC_DATA_DIR": str(tmp_path), "DAGSTER_HOME": str(tmp_path / "dh"),
           "CSC_INBOX_QUIET_SECONDS": "3600"}  # fmt: skip
    env.pop("CSC_INBOX", None)
    env.pop("CSC_DAGSTER_EPHEMERAL", None)
    server = subprocess.Popen(
        ["make", "--no-print-directory", "dev", f"DEV_PORT={free_port()}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        later = tmp_path / "later"
        [extract] = generate_la("992", dt.date(2021, 4, 1), dt.date(2024, 4, 7), later,
                                scale=0.1, profile="city", n_extracts=1)  # fmt: skip
        target = inbox / "992" / "2024-04-07"
        target.mkdir()
        for path in extract.path.iterdir():
            (target / path.name).write_bytes(path.read_bytes())
        (target / "_READY").touch()
        pack = tmp_path / "published" / "992" / "internal" / "clinic" / "2024-04-01" / "index.html"
        deadline = time.monotonic() + 420
        while not pack.exists() and time.monotonic() < deadline:
            assert server.poll() is None, "make dev stopped"
            time.sleep(5)
        assert pack.exists(), "no clinic pack within 7 minutes of the folder landing"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def test_two_las_run_at_once_without_corrupting_the_warehouse(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for la_code in ("900", "901"):
        write_extract(inbox, la_code, "2024-01-14",
                      {"ssd_person": PERSON_CSV, "ssd_contacts": CONTACTS_CSV})  # fmt: skip
    env = {**os.environ, "CSC_DAGSTER_EPHEMERAL": "1", "DAGSTER_HOME": str(tmp_path / "dh")}
    command = [str(ROOT / ".venv" / "bin" / "csc-kpis"), "run", "--inbox", str(inbox),
               "--data-dir", str(tmp_path / "data"), "--la"]  # fmt: skip
    runs = [
        subprocess.Popen(
            [*command, code], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for code in ("900", "901")
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    with warehouse.connect(tmp_path / "data" / "warehouse" / "csc.duckdb") as con:
        loaded = con.execute(
            "select la_code, count(*) from meta.deliveries where status = 'loaded' group by 1"
        ).fetchall()
        computed = con.execute("select la_code, kpis from kpi.kpi_runs order by 1").fetchall()
        contacts = con.execute(
            "select la_code, count(*) from current.ssd_contacts group by 1 order by 1"
        ).fetchall()
    assert sorted(loaded) == [("900", 1), ("901", 1)]
    assert [code for code, _ in computed] == ["900", "901"]
    assert contacts == [("900", 3), ("901", 3)]
