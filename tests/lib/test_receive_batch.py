"""Several full-history extracts of one LA arriving together: only the newest good one is read."""

from pathlib import Path

import duckdb

from pipelines.lib import ingest, warehouse
from tests.conftest import CONTACTS_CSV, PERSON_CSV, write_extract

LA = "900"
GOOD = {"ssd_person": PERSON_CSV, "ssd_contacts": CONTACTS_CSV}
# A contacts file without its required id column: a file-level error rejects the extract.
BROKEN = {
    "ssd_person": PERSON_CSV,
    "ssd_contacts": "cont_person_id,cont_contact_date\nC1,2024-01-02\n",
}


def _run(inbox: Path, db: Path) -> list[tuple[str, str]]:
    la = ingest.scan_la(inbox, LA, quiet_seconds=-1)
    assert la.config is not None
    with warehouse.connect(db, write=True) as con:
        warehouse.ensure_schema(con)
        ingest.save_la_config(con, la.config)
        results = ingest.receive_la(con, la.extracts)
        ingest.stage_received(con, LA)
    return [(str(r.extract_date), r.status) for r in results]


def _deliveries(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute(
        "select extract_date::varchar, status from meta.deliveries order by 1, 2"
    ).fetchall()


def test_only_the_newest_of_a_batch_is_read_and_the_rest_are_recorded(tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "csc.duckdb"
    for day in ("2024-01-07", "2024-01-14", "2024-01-21"):
        write_extract(inbox, LA, day, GOOD)
    assert _run(inbox, db) == [
        ("2024-01-07", "superseded"),
        ("2024-01-14", "superseded"),
        ("2024-01-21", "received"),
    ]
    with duckdb.connect(str(db)) as con:
        assert _deliveries(con) == [
            ("2024-01-07", "superseded"),
            ("2024-01-14", "superseded"),
            ("2024-01-21", "loaded"),
        ]
        # Unread: no raw rows, no files recorded, for the superseded ones.
        raw = con.execute("select distinct extract_date::varchar from raw.ssd_person").fetchall()
        assert raw == [("2024-01-21",)]
        message = con.execute(
            "select message from meta.deliveries where extract_date = '2024-01-07'"
        ).fetchone()
        assert message == (
            "not loaded: the extract of 2024-01-21 arrived with it and holds the full history",
        )
    # Running again changes nothing: every delivery was seen.
    assert [s for _, s in _run(inbox, db)] == ["skipped", "skipped", "skipped"]


def test_a_rejected_newest_extract_falls_back_to_the_next_older(tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "csc.duckdb"
    write_extract(inbox, LA, "2024-01-07", GOOD)
    write_extract(inbox, LA, "2024-01-14", GOOD)
    write_extract(inbox, LA, "2024-01-21", BROKEN)
    assert _run(inbox, db) == [
        ("2024-01-07", "superseded"),
        ("2024-01-14", "received"),
        ("2024-01-21", "rejected"),
    ]
    with duckdb.connect(str(db)) as con:
        current = con.execute("select distinct extract_date::varchar from current.ssd_person")
        assert current.fetchall() == [("2024-01-14",)]


def test_the_weekly_routine_loads_every_extract(tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "csc.duckdb"
    write_extract(inbox, LA, "2024-01-07", GOOD)
    assert _run(inbox, db) == [("2024-01-07", "received")]
    write_extract(inbox, LA, "2024-01-14", GOOD)
    assert _run(inbox, db) == [("2024-01-07", "skipped"), ("2024-01-14", "received")]
    with duckdb.connect(str(db)) as con:
        assert _deliveries(con) == [("2024-01-07", "loaded"), ("2024-01-14", "loaded")]
