"""What ingest records of a statutory return (``meta.source_columns``, ``meta.source_kpi_gaps``)
and how the KPI engine reads it: the same reasons ``SOURCES.md`` gives, without the engine
importing an adapter."""

import datetime as dt
from pathlib import Path

import duckdb

from pipelines.lib import warehouse
from pipelines.lib.adapters.source_columns import record_source_columns, record_unrecorded
from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.kpi.source_gaps import read_source_columns, source_gaps

EXTRACT = dt.date(2024, 1, 31)


def _warehouse(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    warehouse.ensure_schema(con)
    con.execute(
        "insert into meta.deliveries (la_code, extract_date, delivery_id, status, folder, n_files)"
        " values ('900', ?, 'd1', 'loaded', 'f', 1), ('900', ?, 'd0', 'rejected', 'f', 1)",
        [EXTRACT, EXTRACT],
    )
    return con


def test_an_annex_a_delivery_records_its_blank_columns_and_kpi_gaps(tmp_path: Path) -> None:
    con = _warehouse(tmp_path)
    delivery = {"la_code": "900", "extract_date": EXTRACT, "delivery_id": "d1"}
    record_source_columns(
        con, delivery, {"ssd_contacts": "annex_a", "ssd_cla_placement": "annex_a"}
    )
    # A rejected delivery of the same date is not read.
    record_source_columns(con, {**delivery, "delivery_id": "d0"}, {"ssd_cin_episodes": "annex_a"})
    # List 1 gives the contact date, not what was decided (annex_a.LIMITS).
    assert con.execute(
        """select reason from meta.source_columns where delivery_id = 'd1'
           and column_name = 'cont_contact_outcome_json'"""
    ).fetchall() == [
        (
            "the Annex A workbook does not give ssd_contacts.cont_contact_outcome_json: "
            "List 1 does not record what was decided on a contact",
        )
    ]
    filled = con.execute(
        """select reason from meta.source_columns where delivery_id = 'd1'
           and column_name = 'cont_contact_date'"""
    ).fetchall()
    assert filled == [(None,)]
    sources = read_source_columns(con, "900", EXTRACT)
    assert sources.formats == {"ssd_contacts": "annex_a", "ssd_cla_placement": "annex_a"}
    kpis = {k.id: k for k in load_definitions()}
    assert source_gaps(kpis["contact_to_referral_pct"], sources) == [
        "the Annex A workbook does not give ssd_contacts.cont_contact_outcome_json: "
        "List 1 does not record what was decided on a contact"
    ]
    # Annex A fills the placement columns but gives only the current placement (NOT_AVAILABLE).
    assert source_gaps(kpis["cla_3plus_placements_pct"], sources) == [
        "List 8 has each child's current placement only, so placement moves in the 12 months "
        "are undercounted (List 8's own count of placements is not a contract column) "
        "(Annex A workbook)"
    ]
    # Tables from SSD files are not recorded: nothing is missing from them.
    assert source_gaps(kpis["cla_open"], sources) == []


def test_a_return_received_before_the_record_gives_no_kpi_from_it(tmp_path: Path) -> None:
    # A warehouse loaded before ingest recorded source columns: meta.delivery_sources says
    # ssd_contacts came from Annex A, but which columns it fills is unknown, so a KPI reading it
    # is not available (never a figure from blank columns); a table from SSD files is fine.
    con = _warehouse(tmp_path)
    con.execute(
        """insert into meta.delivery_sources values
           ('900', ?, 'd1', 'ssd_contacts', 'annex_a', 'Annex_A.xlsx [List 1]', 10),
           ('900', ?, 'd1', 'ssd_cla_episodes', 'ssd', 'ssd_cla_episodes.csv', 10)""",
        [EXTRACT, EXTRACT],
    )
    sources = read_source_columns(con, "900", EXTRACT)
    kpis = {k.id: k for k in load_definitions()}
    assert source_gaps(kpis["contacts_received"], sources) == [
        "ssd_contacts came from a statutory return received before ingest recorded which "
        "columns a return fills: receive the extract again"
    ]
    assert source_gaps(kpis["cla_open"], sources) == []


def test_staging_records_a_return_received_before_the_record(tmp_path: Path) -> None:
    # The same warehouse: the next run's staging records what Annex A fills of ssd_contacts, as
    # ingest would have written on receiving it, so the KPI is computed again; a second call
    # records nothing more.
    con = _warehouse(tmp_path)
    con.execute(
        """insert into meta.delivery_sources values
           ('900', ?, 'd1', 'ssd_contacts', 'annex_a', 'Annex_A.xlsx [List 1]', 10),
           ('900', ?, 'd1', 'ssd_cla_episodes', 'ssd', 'ssd_cla_episodes.csv', 10)""",
        [EXTRACT, EXTRACT],
    )
    assert record_unrecorded(con, "900") == 1
    assert record_unrecorded(con, "900") == 0
    (tmp_path / "fresh").mkdir()
    fresh = _warehouse(tmp_path / "fresh")
    record_source_columns(
        fresh, {"la_code": "900", "extract_date": EXTRACT, "delivery_id": "d1"},
        {"ssd_contacts": "annex_a"},
    )  # fmt: skip
    query = "select * from meta.source_columns order by all"
    assert con.execute(query).fetchall() == fresh.execute(query).fetchall()
    kpis = {k.id: k for k in load_definitions()}
    assert source_gaps(kpis["contacts_received"], read_source_columns(con, "900", EXTRACT)) == []
