"""One run path: ``csc-kpis run`` hands the data folder and inbox to Dagster as resource
configuration (not through the environment) and scans the inbox once."""

import os
from pathlib import Path

import pytest

from pipelines import cli
from pipelines.lib import ingest, warehouse
from pipelines.lib.ingest import inbox as inbox_module
from tests.conftest import CONTACTS_CSV, PERSON_CSV, write_extract


def test_a_run_reads_its_paths_from_its_configuration_and_scans_the_inbox_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    tables = {"ssd_person": PERSON_CSV, "ssd_contacts": CONTACTS_CSV}
    write_extract(inbox, "900", "2024-01-07", tables)
    write_extract(inbox, "900", "2024-01-14", tables)
    elsewhere = str(tmp_path / "elsewhere")
    for key in ("DAGSTER_HOME", "CSC_DATA_DIR", "CSC_INBOX"):
        monkeypatch.setenv(key, elsewhere)
    listed: list[str] = []
    scan_la = inbox_module.scan_la

    def counting(inbox: Path, la_code: str, quiet_seconds: float | None = None):  # type: ignore[no-untyped-def]
        listed.append(la_code)
        return scan_la(inbox, la_code, quiet_seconds)

    # Both ways to list an LA's extract folders: the command line's scan and the asset's.
    monkeypatch.setattr(inbox_module, "scan_la", counting)
    monkeypatch.setattr(ingest, "scan_la", counting)
    assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data)]) == 0
    assert listed == ["900"]
    # The run's data went where the command line said, though the environment points elsewhere,
    # and the environment still does (the command line did not set it).
    assert os.environ["CSC_DATA_DIR"] == elsewhere and os.environ["CSC_INBOX"] == elsewhere
    assert not (tmp_path / "elsewhere").exists()
    with warehouse.connect(data / "warehouse" / "csc.duckdb") as con:
        loaded = con.execute(
            "select extract_date::varchar, status from meta.deliveries order by 1"
        ).fetchall()
    # Both folders came from the one scan: the older superseded by the newer, which loaded.
    assert loaded == [("2024-01-07", "superseded"), ("2024-01-14", "loaded")]
