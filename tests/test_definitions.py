"""The Dagster code location loads, and its asset keys are the ones the docs and checks name."""

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from pipelines.definitions import defs
from pipelines.lib.contract import TABLES

ROOT = Path(__file__).resolve().parents[1]


def test_definitions_load_with_every_layer() -> None:
    definitions = defs()
    keys = {k.to_user_string() for k in definitions.resolve_asset_graph().get_all_asset_keys()}
    expected = {"ref/working_day_calendar", "stg/quarantine"}
    expected |= {f"raw/{t.name}" for t in TABLES} | {f"stg/{t.name}" for t in TABLES}
    assert expected <= keys
    assert {j.name for j in definitions.resolve_all_job_defs()} >= {
        "refresh_la",
        "refresh_reference",
    }


def test_a_run_per_extract_leaves_the_six_weekly_adviser_report_to_its_schedule() -> None:
    definitions = defs()
    per_extract = {k.to_user_string() for k in
                   definitions.resolve_job_def("refresh_la").asset_layer.selected_asset_keys}  # fmt: skip
    assert {"publish/board_report", "publish/scrutiny_export", "stg/ssd_contacts"} <= per_extract
    assert "publish/adviser_report" not in per_extract
    adviser = definitions.resolve_job_def("publish_adviser_report").asset_layer
    assert {k.to_user_string() for k in adviser.selected_asset_keys} == {"publish/adviser_report"}
    schedule = definitions.resolve_schedule_def("six_weekly_adviser_report")
    assert schedule.job_name == "publish_adviser_report"


def test_assets_are_grouped_by_business_area() -> None:
    graph = defs().resolve_asset_graph()
    group = {k.to_user_string(): graph.get(k).group_name for k in graph.get_all_asset_keys()}
    assert group["raw/ssd_contacts"] == "front_door"
    assert group["stg/ssd_cp_plans"] == "child_protection"
    assert group["stg/ext_worker_periods"] == "workforce"


def test_every_asset_has_a_description_for_analysts() -> None:
    graph = defs().resolve_asset_graph()
    missing = [
        k.to_user_string() for k in graph.get_all_asset_keys() if not graph.get(k).description
    ]
    assert missing == []


def test_dagster_definitions_validate(tmp_path: Path) -> None:
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    dagster = Path(sys.executable).parent / "dagster"
    done = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "pipelines.definitions"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_instance_config_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    (tmp_path / "dagster.yaml").write_bytes((ROOT / "dagster.yaml").read_bytes())
    instance = dg.DagsterInstance.from_config(str(tmp_path))
    try:
        assert instance.run_coordinator is not None
    finally:
        instance.dispose()
