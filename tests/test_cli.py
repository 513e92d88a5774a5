"""The command line end to end, through Dagster, on inboxes written by hand in the contract layout.

A Dagster run costs seconds, so one base run is shared and tests that change something work on
a copy of its data folder."""

import contextlib
import io
import shutil
from pathlib import Path

import polars as pl
import pytest

from pipelines import cli
from pipelines.lib import warehouse
from pipelines.lib.kpi.definitions import load_definitions
from tests.conftest import CONTACTS_CSV, PERSON_CSV, write_extract
from tests.lib.test_ingest import snapshot

ENV_KEYS = ("DAGSTER_HOME", "CSC_DATA_DIR", "CSC_INBOX")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The runner points DAGSTER_HOME and the data folder at the run's data dir; restore them after.
    for key in ENV_KEYS:
        monkeypatch.setenv(key, str(tmp_path / "unused"))
    monkeypatch.delenv("CSC_INBOX")


def two_la_inbox(root: Path) -> Path:
    inbox = root / "someone_elses_inbox"
    write_extract(
        inbox, "900", "2024-01-07", {"ssd_person": PERSON_CSV, "ssd_contacts": CONTACTS_CSV}
    )
    write_extract(inbox, "901", "2024-01-05", {"ssd_person": PERSON_CSV})
    return inbox


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A data folder after one run on a two-LA inbox, and what the run printed."""
    root = tmp_path_factory.mktemp("cli")
    inbox, data = two_la_inbox(root), root / "data"
    buffer = io.StringIO()
    with pytest.MonkeyPatch.context() as env, contextlib.redirect_stdout(buffer):
        for key in ENV_KEYS:
            env.setenv(key, str(root / "unused"))
        # This run keeps its history in the data folder's DAGSTER_HOME, as users' runs do.
        env.delenv("CSC_DAGSTER_EPHEMERAL", raising=False)
        assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data)]) == 0
    return data, buffer.getvalue()


def copy_of(base: tuple[Path, str], tmp_path: Path) -> Path:
    """The base data folder and its inbox, copied (Dagster's history is not needed)."""
    data = tmp_path / "data"
    shutil.copytree(base[0], data, ignore=shutil.ignore_patterns("dagster_home"))
    shutil.copytree(base[0].parent / "someone_elses_inbox", tmp_path / "inbox")
    return data


def test_run_on_an_inbox_written_by_someone_else(base: tuple[Path, str]) -> None:
    data, printed = base
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
    assert (data / "dagster_home" / "history" / "runs.db").is_file()  # the run was recorded
    # The validation report of the run is published for internal meetings (rows and columns,
    # never values), marked as such, and linked from the LA's page.
    report = (data / "published" / "900" / "internal" / "validation" / "latest.html").read_text()
    assert "Validation report" in report and "Amberly" not in report
    assert report.count("OFFICIAL-SENSITIVE") == 2  # the bars at the top and the bottom
    index = (data / "published" / "900" / "index.html").read_text()
    assert 'href="internal/validation/' in index


def test_running_twice_changes_no_row(base: tuple[Path, str], tmp_path: Path) -> None:
    data = copy_of(base, tmp_path)
    before = snapshot(data / "warehouse" / "csc.duckdb")
    assert cli.main(["run", "--inbox", str(tmp_path / "inbox"), "--data-dir", str(data)]) == 0
    assert snapshot(data / "warehouse" / "csc.duckdb") == before


def test_a_bad_extract_is_reported_and_the_good_one_kept(
    base: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy_of(base, tmp_path)
    inbox = tmp_path / "inbox"
    write_extract(
        inbox,
        "900",
        "2024-01-14",
        {
            "ssd_person": PERSON_CSV + "C4,,,,F,WBRI,31/02/2016,,\n",
            "ssd_contacts": "cont_contact_id,cont_person_id,cont_contact_source_code\nK9,C1,1A\n",
        },
    )
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
    assert ("ssd_person.csv", 5, "pers_dob", "invalid_date") in quarantined


def test_missing_la_yaml_fails_that_la_with_the_path(
    base: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy_of(base, tmp_path)
    inbox = tmp_path / "inbox"
    (inbox / "901" / "la.yaml").unlink()
    assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data), "--la", "901"]) == 1
    assert f"{inbox / '901' / 'la.yaml'}: missing" in capsys.readouterr().out


def test_unknown_la_and_empty_inbox_are_clear_errors(
    base: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, _ = base
    inbox = base[0].parent / "someone_elses_inbox"
    assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data), "--la", "999"]) == 2
    assert "no folder for LA 999" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert cli.main(["run", "--inbox", str(tmp_path / "empty"), "--data-dir", str(tmp_path)]) == 2
    assert "no LA folders" in capsys.readouterr().err


def test_export_csv_and_parquet(base: tuple[Path, str], tmp_path: Path) -> None:
    data, _ = base
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


def test_export_refuses_child_level_rows_under_published(base: tuple[Path, str]) -> None:
    data, _ = base
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


def test_data_dir_from_environment(
    base: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, _ = base
    monkeypatch.setenv("CSC_DATA_DIR", str(data))
    out = tmp_path / "people.csv"
    assert cli.main(["export", "ssd_person", "--format", "csv", "--out", str(out)]) == 0
    assert pl.read_csv(out, infer_schema=False).height == 6


def test_a_failed_blocking_check_withholds_only_the_kpis_that_read_the_table(
    base: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy_of(base, tmp_path)
    inbox = tmp_path / "inbox"
    # A week later: two of three plans end before they start (67% of rows, far over the 1%
    # the plausibility rule tolerates): the staged-table suite fails at error level.
    plans = (
        "cppl_cp_plan_id,cppl_person_id,cppl_icpc_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,"
        "cppl_cp_plan_initial_category,cppl_cp_plan_latest_category\n"
        "P1,C1,,2023-06-01,2023-05-01,NEG,NEG\nP2,C2,,2023-06-01,2023-01-01,NEG,NEG\n"
        "P3,C3,,2023-02-01,,NEG,NEG\n"
    )
    write_extract(
        inbox,
        "900",
        "2024-01-14",
        {"ssd_person": PERSON_CSV, "ssd_contacts": CONTACTS_CSV, "ssd_cp_plans": plans},
    )
    assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data), "--la", "900"]) == 3
    printed = capsys.readouterr().out
    assert (
        "because stg/ssd_cp_plans failed 'cppl_cp_plan_end_date is not before "
        "cppl_cp_plan_start_date' (2 of 3 rows)" in printed
    )
    assert "Result: published with KPIs withheld (exit 3)." in printed
    plan_kpis = {k.id for k in load_definitions() if "ssd_cp_plans" in k.all_tables}
    with warehouse.connect(data / "warehouse" / "csc.duckdb") as con:
        runs = con.execute(
            "select extract_date::varchar from kpi.kpi_runs where la_code = '900' order by 1"
        ).fetchall()
        withheld = con.execute(
            "select distinct kpi_id from kpi.kpi_withheld where extract_date = '2024-01-14'"
        ).fetchall()
    assert runs == [("2024-01-07",), ("2024-01-14",)]  # the rest are the new extract's
    assert {w[0] for w in withheld} == plan_kpis
    report = (data / "published" / "900" / "internal" / "validation" / "latest.html").read_text()
    assert "FAILED (withholds the KPIs that rest on it)" in report and "2023-05-01" not in report


def test_export_refuses_an_unknown_la_a_mismatched_name_and_a_missing_warehouse(
    base: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, _ = base
    out = tmp_path / "k.csv"
    export = ["export", "kpis", "--format", "csv", "--data-dir", str(data), "--out"]
    assert cli.main([*export, str(out), "--la", "999"]) == 2
    assert capsys.readouterr().err == (
        "csc-kpis export: no LA 999 in the warehouse (LAs loaded: 900, 901)\n"
    )
    assert cli.main([*export, str(tmp_path / "k.xlsx")]) == 2
    assert "--out k.xlsx does not match --format csv" in capsys.readouterr().err
    empty = tmp_path / "elsewhere"
    code = cli.main(["export", "kpis", "--data-dir", str(empty), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "no warehouse in this data folder" in err
    assert not out.exists() and not (tmp_path / "k.xlsx").exists() and not empty.exists()


def test_backfill_of_an_unknown_la_is_refused_before_any_partition(
    base: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipelines import runner

    data, _ = base
    monkeypatch.setattr(runner, "backfill_clinic_packs", lambda *a, **k: pytest.fail("ran"))
    backfill = ["backfill", "--from", "2024-01-01", "--to", "2024-01-31", "--data-dir", str(data)]
    assert cli.main([*backfill, "--la", "999"]) == 2
    assert "no LA 999 in the warehouse (LAs loaded: 900, 901)" in capsys.readouterr().err
    assert cli.main([*backfill, "--la", "99|3"]) == 2
    assert "'99|3' is not an LA code" in capsys.readouterr().err


def test_adviser_of_an_unknown_la_or_data_folder_is_refused_before_any_run(
    base: tuple[Path, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pipelines import runner_adviser

    data, _ = base
    monkeypatch.setattr(runner_adviser, "write_adviser_reports", lambda *a: pytest.fail("ran"))
    assert cli.main(["adviser", "--la", "901", "--la", "999", "--data-dir", str(data)]) == 2
    assert capsys.readouterr().err == (
        "csc-kpis adviser: no LA 999 in the warehouse (LAs loaded: 900, 901)\n"
    )
    empty = tmp_path / "elsewhere"
    assert cli.main(["adviser", "--data-dir", str(empty)]) == 2
    assert "no warehouse in this data folder" in capsys.readouterr().err
    assert not empty.exists()


def test_folders_that_are_not_las_and_links_out_of_the_inbox_are_refused(
    base: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy_of(base, tmp_path)
    inbox = tmp_path / "inbox"
    for name in ("Kingsmere", "99|3"):
        write_extract(inbox, name, "2024-01-14", {"ssd_person": PERSON_CSV})
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    folder = write_extract(inbox, "900", "2024-01-14", {"ssd_contacts": CONTACTS_CSV})
    (folder / "ssd_person.csv").symlink_to(secret)
    assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data)]) == 1
    printed = capsys.readouterr().out
    for name in ("Kingsmere", "99|3"):
        line = f"{inbox / name}: not an LA folder: '{name}' is not an LA code"
        assert printed.count(line) == 2  # said before the runs, and again in the summary
    link = f"{folder / 'ssd_person.csv'}: a link to {secret}, outside the inbox; refused (not read)"
    assert link in printed
    assert "Done in" in printed  # the other LAs ran and the run ended with its summary
    with warehouse.connect(data / "warehouse" / "csc.duckdb") as con:
        files = con.execute(
            "select source_file from meta.delivery_files where extract_date = '2024-01-14'"
        ).fetchall()
        las = con.execute("select distinct la_code from meta.deliveries order by 1").fetchall()
    assert files == [("ssd_contacts.csv",)]  # the link was never read
    assert las == [("900",), ("901",)]


def test_a_long_value_is_never_printed_whole() -> None:
    from pipelines.lib.messages import clip

    cell = "Q" * 10_000_000
    line = clip(
        f"LA 900 2024-01-14 ssd_person.csv row 2, column 'pers_dob': '{cell}' is not a date"
    )
    assert line == (
        "LA 900 2024-01-14 ssd_person.csv row 2, column 'pers_dob': '"
        + "Q" * 80
        + "...' (10,000,000 characters) is not a date"
    )
    assert len(clip("x" * 5000)) < 700
