"""Landing extracts: identifiers dropped, idempotent, atomic, the last good extract kept."""

from pathlib import Path

import duckdb
import pytest

from pipelines.lib import ingest, warehouse
from pipelines.lib.la_config import ConfigError
from tests.conftest import CONTACTS_CSV, PERSON_CSV, write_extract


def load(inbox: Path, db: Path, la_code: str = "900") -> list[ingest.DeliveryResult]:
    la = ingest.scan_la(inbox, la_code)
    assert la.config is not None, la.config_error
    with warehouse.connect(db, write=True) as con:
        warehouse.ensure_schema(con)
        ingest.save_la_config(con, la.config)
        received = [ingest.receive_extract(con, e) for e in la.extracts]
        ingest.stage_received(con, la_code)
    return received


def snapshot(db: Path) -> dict[str, list[tuple]]:
    with warehouse.connect(db) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in ('raw', 'stg', 'meta') order by 1"
        ).fetchall()
        return {
            t: sorted(con.execute(f"select * from {t}").fetchall(), key=repr) for (t,) in tables
        }


def test_direct_identifiers_never_reach_the_warehouse(
    tmp_path: Path, good_tables: dict[str, str]
) -> None:
    write_extract(tmp_path / "inbox", "900", "2024-01-07", good_tables)
    db = tmp_path / "csc.duckdb"
    load(tmp_path / "inbox", db)
    with warehouse.connect(db) as con:
        columns = {
            r[0]
            for r in con.execute("select column_name from information_schema.columns").fetchall()
        }
        dropped = con.execute(
            "select dropped_identifier_columns from meta.delivery_files where table_name = 'ssd_person'"
        ).fetchone()
    assert not columns & {"pers_forename", "pers_surname", "pers_common_child_id", "pers_postcode"}
    assert dropped == ("pers_forename,pers_surname,pers_common_child_id,pers_postcode",)
    everything = repr(snapshot(db))
    for secret in ("Amberly", "Testperson", "9990000011", "ZZ9 9ZZ"):
        assert secret not in everything


def test_staged_rows_carry_lineage(tmp_path: Path, good_tables: dict[str, str]) -> None:
    write_extract(tmp_path / "inbox", "900", "2024-01-07", good_tables)
    db = tmp_path / "csc.duckdb"
    load(tmp_path / "inbox", db)
    with warehouse.connect(db) as con:
        rows = con.execute(
            """select la_code, cast(extract_date as varchar), source_file, length(file_sha256), source_row,
                      cont_contact_id, cont_contact_source_code
               from current.ssd_contacts order by source_row"""
        ).fetchall()
    assert rows == [
        ("900", "2024-01-07", "ssd_contacts.csv", 64, 2, "K1", "1A"),
        ("900", "2024-01-07", "ssd_contacts.csv", 64, 3, "K2", "6"),
        ("900", "2024-01-07", "ssd_contacts.csv", 64, 4, "K3", "2A"),
    ]


def test_loading_the_same_extract_twice_changes_nothing(
    tmp_path: Path, good_tables: dict[str, str]
) -> None:
    write_extract(tmp_path / "inbox", "900", "2024-01-07", good_tables)
    db = tmp_path / "csc.duckdb"
    load(tmp_path / "inbox", db)
    before = snapshot(db)
    second = load(tmp_path / "inbox", db)
    assert [r.status for r in second] == ["skipped"]
    assert snapshot(db) == before


def test_a_rejected_extract_leaves_the_last_good_one_current(
    tmp_path: Path, good_tables: dict[str, str]
) -> None:
    inbox = tmp_path / "inbox"
    write_extract(inbox, "900", "2024-01-07", good_tables)
    db = tmp_path / "csc.duckdb"
    load(inbox, db)
    # A week later: contacts lost a required column, person has a bad date and a blank id.
    write_extract(
        inbox,
        "900",
        "2024-01-14",
        {
            "ssd_person": PERSON_CSV + "C4,,,,F,WBRI,31/02/2016,,\n,,,,F,WBRI,2016-01-01,,\n",
            "ssd_contacts": "cont_contact_id,cont_person_id,cont_contact_source_code\nK9,C1,1A\n",
        },
    )
    results = load(inbox, db)
    assert [r.status for r in results] == ["skipped", "rejected"]
    rejected = results[1]
    assert rejected.file_errors == [
        f"{inbox}/900/2024-01-14/ssd_contacts.csv, column 'cont_contact_date': a required column is missing"
    ]
    with warehouse.connect(db) as con:
        current = con.execute(
            "select distinct cast(extract_date as varchar) from current.ssd_contacts"
        ).fetchall()
        staged_dates = con.execute(
            "select distinct cast(extract_date as varchar) from stg.ssd_person"
        ).fetchall()
        lines = ingest.issue_lines(con, "900", [rejected.delivery_id])
    assert current == [("2024-01-07",)]
    assert staged_dates == [("2024-01-07",)]
    # Every defect is reported with file, spreadsheet row and column, even in the rejected delivery.
    assert lines == [
        "900 2024-01-14 ssd_contacts.csv, column 'cont_contact_date': a required column is missing",
        "900 2024-01-14 ssd_person.csv row 5, column 'pers_dob': '31/02/2016' is not a real date [row quarantined]",
        "900 2024-01-14 ssd_person.csv row 6, column 'pers_person_id': (blank) is blank but a value is required [row quarantined]",
    ]


def test_header_only_file_is_a_file_level_error(
    tmp_path: Path, good_tables: dict[str, str]
) -> None:
    good_tables["ssd_cla_reviews"] = (
        "clar_cla_review_id,clar_cla_id,clar_cla_review_due_date,clar_cla_review_date,clar_cla_review_cancelled\n"
    )
    write_extract(tmp_path / "inbox", "900", "2024-01-07", good_tables)
    results = load(tmp_path / "inbox", tmp_path / "csc.duckdb")
    assert results[0].status == "rejected"
    assert (
        results[0].file_errors[0].endswith("ssd_cla_reviews.csv: the file has a header but no rows")
    )


def test_a_corrected_redelivery_for_the_same_date_replaces_it(
    tmp_path: Path, good_tables: dict[str, str]
) -> None:
    inbox = tmp_path / "inbox"
    write_extract(inbox, "900", "2024-01-07", good_tables)
    db = tmp_path / "csc.duckdb"
    load(inbox, db)
    write_extract(
        inbox, "900", "2024-01-07", {"ssd_contacts": CONTACTS_CSV + "K4,C1,2024-01-05,1A,\n"}
    )
    load(inbox, db)
    with warehouse.connect(db) as con:
        assert con.execute("select count(*) from current.ssd_contacts").fetchone() == (4,)
        statuses = sorted(
            r[0] for r in con.execute("select status from meta.deliveries").fetchall()
        )
    assert statuses == ["loaded", "superseded"]


def test_older_extracts_stay_queryable(tmp_path: Path, good_tables: dict[str, str]) -> None:
    inbox = tmp_path / "inbox"
    write_extract(inbox, "900", "2024-01-07", good_tables)
    write_extract(
        inbox,
        "900",
        "2024-01-14",
        {**good_tables, "ssd_contacts": CONTACTS_CSV + "K4,C1,2024-01-10,1A,\n"},
    )
    db = tmp_path / "csc.duckdb"
    load(inbox, db)
    with warehouse.connect(db) as con:
        by_date = con.execute(
            "select cast(extract_date as varchar), count(*) from stg.ssd_contacts group by 1 order by 1"
        ).fetchall()
        current = con.execute("select count(*) from current.ssd_contacts").fetchone()
    assert by_date == [("2024-01-07", 3), ("2024-01-14", 4)]
    assert current == (4,)


def test_missing_la_yaml_names_the_path(tmp_path: Path, good_tables: dict[str, str]) -> None:
    write_extract(tmp_path / "inbox", "900", "2024-01-07", good_tables, la_yaml=None)
    la = ingest.scan_la(tmp_path / "inbox", "900")
    assert la.config is None
    assert (
        la.config_error is not None
        and str(tmp_path / "inbox" / "900" / "la.yaml") in la.config_error
    )


def test_folders_that_are_not_dates_are_reported(
    tmp_path: Path, good_tables: dict[str, str]
) -> None:
    write_extract(tmp_path / "inbox", "900", "2024-01-07", good_tables)
    (tmp_path / "inbox" / "900" / "latest").mkdir()
    (tmp_path / "inbox" / "900" / "2024-02-30").mkdir()
    la = ingest.scan_la(tmp_path / "inbox", "900")
    assert [e.extract_date.isoformat() for e in la.extracts] == ["2024-01-07"]
    assert len(la.problems) == 2


def test_unknown_inbox_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        ingest.scan_inbox(tmp_path / "nowhere")


def test_a_failed_load_rolls_back(
    tmp_path: Path, good_tables: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    write_extract(inbox, "900", "2024-01-07", good_tables)
    db = tmp_path / "csc.duckdb"
    load(inbox, db)
    before = snapshot(db)
    write_extract(inbox, "900", "2024-01-14", good_tables)
    original = ingest._insert

    def failing_insert(con: duckdb.DuckDBPyConnection, target: str, frame, constants=None) -> None:  # type: ignore[no-untyped-def]
        if target == "stg.ssd_person":
            raise OSError("disk full")
        original(con, target, frame, constants)

    monkeypatch.setattr(ingest, "_insert", failing_insert)
    with pytest.raises(OSError):
        load(inbox, db)
    after = snapshot(db)
    # The stage transaction rolled back: staging is untouched and the new delivery is only received.
    for name in after:
        if name.startswith("stg."):
            assert after[name] == before[name], name
    with warehouse.connect(db) as con:
        assert con.execute(
            "select max(extract_date)::varchar from meta.deliveries where status = 'loaded'"
        ).fetchone() == ("2024-01-07",)


def test_a_delivery_that_fails_after_its_first_files_leaves_no_raw_rows(
    tmp_path: Path, good_tables: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files are written to raw as they are read; the delivery is still one transaction.
    inbox = tmp_path / "inbox"
    write_extract(inbox, "900", "2024-01-07", good_tables)
    db = tmp_path / "csc.duckdb"
    original = ingest._insert

    def failing_insert(con, target, frame, constants=None) -> None:  # type: ignore[no-untyped-def]
        if target == "meta.deliveries":
            raise OSError("disk full")
        original(con, target, frame, constants)

    monkeypatch.setattr(ingest, "_insert", failing_insert)
    with pytest.raises(OSError):
        load(inbox, db)
    after = snapshot(db)
    assert after["raw.ssd_person"] == []
    assert after["raw.ssd_contacts"] == []
    assert after["meta.delivery_files"] == []


def test_transactions_nest_and_roll_back_as_one(tmp_path: Path) -> None:
    with warehouse.connect(tmp_path / "csc.duckdb", write=True) as con:
        con.execute("create table t (x integer)")
        with pytest.raises(ValueError), warehouse.transaction(con):
            con.execute("insert into t values (1)")
            with warehouse.transaction(con):
                con.execute("insert into t values (2)")
            raise ValueError("later failure")
        with warehouse.transaction(con), warehouse.transaction(con):
            con.execute("insert into t values (3)")
        assert con.execute("select x from t").fetchall() == [(3,)]
