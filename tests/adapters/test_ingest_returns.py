"""Statutory returns dropped in the inbox go through the real ingest: detected, staged, reported."""

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.lib import calendar, ingest, warehouse
from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.kpi.engine import compute_extract
from tests.conftest import shared_or_skip

LA = "996"


def _inbox(tmp_path: Path, extract_date: str, files: dict[str, Path]) -> Path:
    inbox = tmp_path / "inbox"
    folder = inbox / LA / extract_date
    folder.mkdir(parents=True)
    (inbox / LA / "la.yaml").write_text(
        "la_name: Returns Test Council\npopulation_0_17: {2017: 50000, 2018: 50000}\n",
        encoding="utf-8",
    )
    for name, source in files.items():
        shutil.copy(source, folder / name)
    return inbox


def _load(inbox: Path, data: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(data / "csc.duckdb"))
    warehouse.ensure_schema(con)
    calendar.install_calendar(con)
    found = ingest.scan_la(inbox, LA, quiet_seconds=-1)
    assert found.config is not None, found.config_error
    ingest.save_la_config(con, found.config)
    for extract in found.extracts:
        result = ingest.receive_extract(con, extract)
        assert result.status == "received", result.file_errors
    ingest.stage_received(con, LA)
    return con


def test_messy_annex_a_defects_reach_the_quarantine_with_sheet_and_row(tmp_path: Path) -> None:
    workbook = shared_or_skip("samples/liia-tools/annex_a/Annex_A.xlsx")
    inbox = _inbox(tmp_path, "2019-12-31", {"Annex_A.xlsx": workbook})
    con = _load(inbox, tmp_path)
    quarantine = con.execute(
        """select table_name, source_file, source_row, column_name, value, rule
           from stg.quarantine where action <> 'row_flagged' order by all"""
    ).fetchall()
    # The one value staging cannot take: a primary need code 'PSRMEM' on List 6, row 2.
    assert (
        "ssd_cin_episodes",
        "Annex_A.xlsx [List 6]",
        2,
        "cine_cin_primary_need_code",
        "PSRMEM",
        "unknown_code",
    ) in quarantine
    notes = con.execute(
        """select source_file, location, source_row, column_name, rule, action
           from meta.adapter_notes order by all"""
    ).fetchall()
    # The '#N/A' teams on List 6 (rows 2-6) and the child with no date of birth are noted.
    na_rows = sorted(
        {row for _, loc, row, _, rule, _ in notes if "List 6" in (loc or "") and "error" in rule}
    )
    assert na_rows == [2, 3, 4, 5, 6], notes
    sources = dict(
        con.execute("select table_name, source_format from meta.delivery_sources").fetchall()
    )
    assert sources["ssd_contacts"] == "annex_a"
    assert sources["ssd_cin_episodes"] == "annex_a"
    # No identifier reaches the warehouse: worker names, postcodes.
    assert not con.execute(
        "select count(*) from stg.ssd_person where pers_person_id ilike '%nope%'"
    ).fetchone()[0]


def test_four_returns_in_one_folder_share_one_child_list(tmp_path: Path) -> None:
    samples = shared_or_skip("samples/csc-validator-be-903/fake_data")
    cin = shared_or_skip("samples/liia-tools/cin_census/cin-2022.xml")
    workforce = shared_or_skip(
        "samples/liia-tools/social_work_workforce/social_work_workforce_2022.xml"
    )
    files = {name: samples / name for name in ("header.csv", "episodes.csv", "reviews.csv")}
    files |= {"cin_census_2022.xml": cin, "social_work_workforce_2022.xml": workforce}
    # The workforce census is at 30 September 2022: the folder is dated so (see reference_dates).
    inbox = _inbox(tmp_path, "2022-09-30", files)
    con = _load(inbox, tmp_path)
    sources = dict(
        con.execute("select table_name, source_format from meta.delivery_sources").fetchall()
    )
    assert sources["ssd_cla_episodes"] == "ssda903"
    assert sources["ssd_cin_episodes"] == "cin_census"
    assert sources["ext_worker_periods"] == "csww"
    assert sources["ssd_person"] == "cin_census"  # the first source; children merged
    people = con.execute(
        "select source_file, count(*) from stg.ssd_person group by 1 order by 1"
    ).fetchall()
    files_of_people = dict(people)
    # The CIN census's one child and every 903 child, each once, each from its own file.
    assert files_of_people["cin_census_2022.xml"] == 1
    header_children = len(
        {line.split(",")[0] for line in (samples / "header.csv").read_text().splitlines()[1:]}
    )
    assert (
        files_of_people["header.csv"]
        == header_children
        - con.execute(
            """select count(*) from stg.quarantine
           where table_name = 'ssd_person' and action in ('row_rejected', 'duplicate_dropped')
             and source_file = 'header.csv'"""
        ).fetchone()[0]
    )
    assert con.execute(
        "select count(*) = count(distinct pers_person_id) from stg.ssd_person"
    ).fetchone()[0]


def test_kpis_unavailable_from_a_return_say_why(tmp_path: Path) -> None:
    samples = shared_or_skip("samples/csc-validator-be-903/fake_data")
    files = {name: samples / name for name in ("header.csv", "episodes.csv", "reviews.csv")}
    inbox = _inbox(tmp_path, "2018-03-31", files)
    con = _load(inbox, tmp_path)
    compute_extract(con, load_definitions(), LA, dt.date(2018, 3, 31))
    availability = dict(
        con.execute(
            "select kpi_id, coalesce(reason, 'computed') from kpi.kpi_availability"
        ).fetchall()
    )
    assert availability["cla_open"] == "computed"
    assert "ssd_contacts is absent" in availability["contacts_received"]
    # The 903 gives missing episodes with dates only: return interviews cannot be computed.
    cla_at_year_end = con.execute(
        """select value from kpi.kpi_values
           where kpi_id = 'cla_open' and grain = 'month' and period_end = date '2018-03-31'"""
    ).fetchone()
    # Independent count in tests/adapters/test_ssda903.py: 1,201 children looked after.
    assert cla_at_year_end == (1201,)


@pytest.mark.parametrize("name", ["notes.xml", "random.xlsx"])
def test_a_file_no_adapter_claims_is_a_warning_not_a_rejection(tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    source.write_bytes(b"<Message><Other/></Message>" if name.endswith(".xml") else b"PK\x03\x04")
    samples = shared_or_skip("samples/csc-validator-be-903/fake_data")
    files = {n: samples / n for n in ("header.csv", "episodes.csv")} | {name: source}
    inbox = _inbox(tmp_path, "2018-03-31", files)
    con = _load(inbox, tmp_path / "")
    warnings = con.execute("select source_file, severity, message from meta.file_errors").fetchall()
    assert warnings == [
        (name, "warning", "neither a table of the extract contract nor a statutory return; ignored")
    ]


def test_the_run_prints_each_defect_with_sheet_and_row_and_the_notes(tmp_path: Path) -> None:
    workbook = shared_or_skip("samples/liia-tools/annex_a/Annex_A.xlsx")
    cin = shared_or_skip("samples/csc-validator-be-cin/fake_data/CIN_Census_2021.xml")
    inbox = _inbox(tmp_path / "a", "2021-03-31", {"Annex_A.xlsx": workbook})
    con = _load(inbox, tmp_path / "a")
    ids = [r[0] for r in con.execute("select delivery_id from meta.deliveries").fetchall()]
    lines = ingest.issue_lines(con, LA, ids)
    assert (
        f"{LA} 2021-03-31 Annex_A.xlsx [List 6] row 2, column 'cine_cin_primary_need_code': "
        "'PSRMEM' is not a known code; cleared to unknown [value cleared]"
    ) in lines
    # Notes of the adapters are summarised per file and rule.
    assert any(line.startswith(f"{LA} 2021-03-31 Annex_A.xlsx: not mapped [") for line in lines)

    # With the CIN census beside it, the referrals come from the census and Annex A's are
    # reported unused (so List 6's defect is no longer staged).
    inbox = _inbox(tmp_path / "b", "2021-03-31", {"Annex_A.xlsx": workbook, "cin.xml": cin})
    con = _load(inbox, tmp_path / "b")
    ids = [r[0] for r in con.execute("select delivery_id from meta.deliveries").fetchall()]
    text = "\n".join(ingest.issue_lines(con, LA, ids))
    assert "Annex_A.xlsx: not used [table_from_other_source]" in text
    assert "PSRMEM" not in text
    unused = con.execute(
        """select message from meta.adapter_notes
           where rule = 'table_from_other_source' and source_file = 'Annex_A.xlsx'"""
    ).fetchall()
    assert any(m.startswith("ssd_cin_episodes is taken from the CIN census XML") for (m,) in unused)


def test_the_validation_report_lists_sources_and_notes_without_values(tmp_path: Path) -> None:
    from pipelines.lib.validation.report import render_report
    from pipelines.lib.validation.run import ensure_results_table

    workbook = shared_or_skip("samples/liia-tools/annex_a/Annex_A.xlsx")
    inbox = _inbox(tmp_path, "2019-12-31", {"Annex_A.xlsx": workbook})
    con = _load(inbox, tmp_path)
    ensure_results_table(con)
    page = render_report(con, LA, dt.date(2019, 12, 31))
    assert "Tables from statutory returns" in page
    assert "<td>annex_a</td><td>ssd_contacts</td><td>Annex_A.xlsx [List 1]</td>" in page
    assert "What the return adapters repaired or left out" in page
    # The child whose date of birth is blank in every list is noted, but not named.
    assert "blank_date_of_birth" in page
    children = {r[0] for r in con.execute("select pers_person_id from stg.ssd_person").fetchall()}
    assert children and not [c for c in children if c in page]
