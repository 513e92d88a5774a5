"""The command line end to end, through Dagster, on inboxes written by hand in the contract layout."""

import os
from pathlib import Path

import polars as pl
import pytest

from pipelines import cli
from pipelines.lib import warehouse
from tests.conftest import CONTACTS_CSV, PERSON_CSV, write_extract
from tests.lib.test_ingest import snapshot


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The runner points DAGSTER_HOME and the data folder at the run's data dir; restore them after.
    for key in ("DAGSTER_HOME", "CSC_DATA_DIR", "CSC_INBOX"):
        monkeypatch.setenv(key, str(tmp_path / "unused"))
    monkeypatch.delenv("CSC_INBOX")


def two_la_inbox(root: Path) -> Path:
    inbox = root / "someone_elses_inbox"
    write_extract(
        inbox, "900", "2024-01-07", {"ssd_person": PERSON_CSV, "ssd_contacts": CONTACTS_CSV}
    )
    write_extract(inbox, "901", "2024-01-05", {"ssd_person": PERSON_CSV})
    return inbox


def test_run_on_an_inbox_written_by_someone_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, data = two_la_inbox(tmp_path), tmp_path / "out"
    assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data)]) == 0
    printed = capsys.readouterr().out
    assert "LA 900" in printed and "LA 901" in printed
    assert str(data / "warehouse" / "csc.duckdb") in printed
    with warehouse.connect(data / "warehouse" / "csc.duckdb") as con:
        people = con.execute(
            "select la_code, count(*) from current.ssd_person group by 1 order by 1"
        ).fetchall()
        calendar_rows = con.execute("select count(*) from ref.calendar").fetchone()
    assert people == [("900", 3), ("901", 3)]
    assert calendar_rows is not None and calendar_rows[0] > 10_000
    assert (data / "dagster_home" / "dagster.yaml").is_file()


def test_running_twice_changes_no_row(tmp_path: Path) -> None:
    inbox, data = two_la_inbox(tmp_path), tmp_path / "out"
    assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data)]) == 0
    before = snapshot(data / "warehouse" / "csc.duckdb")
    assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data)]) == 0
    assert snapshot(data / "warehouse" / "csc.duckdb") == before


def test_a_bad_extract_is_reported_and_the_good_one_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, data = two_la_inbox(tmp_path), tmp_path / "out"
    assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data)]) == 0
    write_extract(
        inbox,
        "900",
        "2024-01-14",
        {
            "ssd_person": PERSON_CSV + "C4,,,,F,WBRI,31/02/2016,,\n",
            "ssd_contacts": "cont_contact_id,cont_person_id,cont_contact_source_code\nK9,C1,1A\n",
        },
    )
    capsys.readouterr()
    assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data), "--la", "900"]) == 1
    printed = capsys.readouterr().out
    assert "ssd_contacts.csv, column 'cont_contact_date': a required column is missing" in printed
    assert "ssd_person.csv row 5, column 'pers_dob': '31/02/2016' is not a real date" in printed
    assert "extract 2024-01-14 was REJECTED" in printed
    with warehouse.connect(data / "warehouse" / "csc.duckdb") as con:
        current = con.execute(
            "select distinct extract_date::varchar from current.ssd_contacts"
        ).fetchall()
        quarantined = con.execute(
            "select source_file, source_row, column_name, rule from stg.quarantine where la_code = '900'"
        ).fetchall()
    assert current == [("2024-01-07",)]
    assert quarantined == [("ssd_person.csv", 5, "pers_dob", "invalid_date")]


def test_missing_la_yaml_fails_that_la_with_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, data = two_la_inbox(tmp_path), tmp_path / "out"
    (inbox / "901" / "la.yaml").unlink()
    assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data)]) == 1
    printed = capsys.readouterr().out
    assert f"{inbox / '901' / 'la.yaml'}: missing" in printed
    with warehouse.connect(data / "warehouse" / "csc.duckdb") as con:
        assert con.execute("select distinct la_code from current.ssd_person").fetchall() == [
            ("900",)
        ]


def test_unknown_la_and_empty_inbox_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, data = two_la_inbox(tmp_path), tmp_path / "out"
    assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data), "--la", "999"]) == 2
    assert "no folder for LA 999" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert cli.main(["run", "--inbox", str(tmp_path / "empty"), "--data-dir", str(data)]) == 2
    assert "no LA folders" in capsys.readouterr().err


def test_export_csv_and_parquet(tmp_path: Path) -> None:
    inbox, data = two_la_inbox(tmp_path), tmp_path / "out"
    assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data)]) == 0
    csv_out, parquet_out = tmp_path / "contacts.csv", tmp_path / "people.parquet"
    assert (
        cli.main(
            [
                "export",
                "ssd_contacts",
                "--format",
                "csv",
                "--out",
                str(csv_out),
                "--data-dir",
                str(data),
            ]
        )
        == 0
    )
    contacts = pl.read_csv(csv_out, infer_schema=False)
    assert contacts["cont_contact_id"].to_list() == ["K1", "K2", "K3"]
    assert contacts["cont_contact_date"].to_list()[0] == "2024-01-02 09:30:00"
    assert (
        cli.main(["export", "stg.ssd_person", "--format", "parquet", "--out", str(parquet_out),
                  "--la", "901", "--data-dir", str(data)])
        == 0
    )  # fmt: skip
    assert pl.read_parquet(parquet_out)["la_code"].unique().to_list() == ["901"]


def test_export_refuses_child_level_rows_under_published(tmp_path: Path) -> None:
    inbox, data = two_la_inbox(tmp_path), tmp_path / "out"
    assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data)]) == 0
    target = data / "published" / "people.csv"
    with pytest.raises(SystemExit, match="child-level rows"):
        cli.main(
            [
                "export",
                "ssd_person",
                "--format",
                "csv",
                "--out",
                str(target),
                "--data-dir",
                str(data),
            ]
        )
    assert not target.exists()


def test_data_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, data = two_la_inbox(tmp_path), tmp_path / "env_data"
    monkeypatch.setenv("CSC_DATA_DIR", str(data))
    assert cli.main(["run", "--inbox", str(inbox)]) == 0
    assert (data / "warehouse" / "csc.duckdb").is_file()
    assert os.environ["DAGSTER_HOME"] == str(data / "dagster_home")
