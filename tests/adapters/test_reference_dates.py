"""A return whose own date is after its folder's: one line naming the file, its date and the
folder name to use, and the delivery rejected; an in-year return and a mistyped date are not."""

import datetime as dt
from pathlib import Path

import duckdb

from pipelines.lib import calendar, ingest, warehouse
from pipelines.lib.adapters import dispatch
from pipelines.lib.adapters.reference_dates import date_in_name
from tests.adapters.test_cin_census import NEW_STYLE
from tests.adapters.test_csww import CENSUS_2024
from tests.conftest import write_extract

# CENSUS_2024 is at 30 September 2024. Elements giving a date after 1 June 2024, counted by hand:
# the vacancies (line 13, as at 30 September), the worker of line 18 (absence to 30 September),
# the agency worker of line 29 (known from the census date) and the worker of line 35 (left
# 28 June 2024): 4. The worker of line 45 has dates of 2015 only.


def _errors(tmp_path: Path, name: str, text: str, folder_date: str) -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    found = dispatch.adapt_folder([path], dt.date.fromisoformat(folder_date))
    return [str(e) for e in found.errors]


def test_a_census_in_a_folder_dated_before_it_gets_one_line(tmp_path: Path) -> None:
    assert _errors(tmp_path, "workforce_2024.xml", CENSUS_2024, "2024-06-01") == [
        "workforce_2024.xml: this is the workforce census at 30 September 2024 (ReferenceDate "
        "in its header), but its folder is dated 2024-06-01, so 4 of its rows dated after that "
        "would be errors: rename the folder to 2024-09-30"
    ]
    assert _errors(tmp_path, "workforce_2024.xml", CENSUS_2024, "2024-09-30") == []


def test_an_in_year_return_with_nothing_after_its_folder_date_is_loaded(tmp_path: Path) -> None:
    # The CIN census at 31 March 2025 has referrals on 1 May and 1 June 2024.
    assert _errors(tmp_path, "cin.xml", NEW_STYLE, "2024-12-31") == []
    [error] = _errors(tmp_path, "cin.xml", NEW_STYLE, "2024-05-15")
    assert error.startswith("cin.xml: this is the CIN census at 31 March 2025 (ReferenceDate in")
    assert error.endswith(
        "so 1 of its rows dated after that would be errors: rename the folder to 2025-03-31"
    )


def test_a_mistyped_903_date_is_not_taken_for_the_return_year(tmp_path: Path) -> None:
    """The 903 has no header date: its year is read from the newest DECOM, so a DECOM of 2029
    would make it the return to 31 March 2029; more than a year after the folder's date, that is
    taken for a wrong date in a row (an error for that row in validation), not a misdated
    folder."""
    episodes = (
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n"
        "A,01/05/2023,S,C2,N1,U4,PR1,,\n"
        "B,01/05/2029,S,C2,N1,U4,PR1,,\n"
    )
    assert _errors(tmp_path, "episodes.csv", episodes, "2024-03-31") == []
    # Within the year, it is the return to 31 March 2025 in a folder dated too early.
    episodes = episodes.replace("01/05/2029", "01/05/2024")
    [error] = _errors(tmp_path, "episodes.csv", episodes, "2024-03-31")
    assert error == (
        "episodes.csv: this is the SSDA903 return for the year to 31 March 2025 (its newest "
        "episode starts on 2024-05-01), but its folder is dated 2024-03-31, so 1 of its rows "
        "dated after that would be errors: rename the folder to 2025-03-31"
    )


def test_dates_in_annex_a_names() -> None:
    assert date_in_name(Path("Annex_A_2024-01-31.xlsx")) == dt.date(2024, 1, 31)
    assert date_in_name(Path("annex a 31.01.2024.xlsx")) == dt.date(2024, 1, 31)
    assert date_in_name(Path("AnnexA_20240131.xlsx")) == dt.date(2024, 1, 31)
    assert date_in_name(Path("Annex_A_2024_Jan.xlsx")) is None  # a month does not say the day
    assert date_in_name(Path("Annex_A.xlsx")) is None


def test_the_delivery_is_rejected_with_that_one_message(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    write_extract(inbox, "996", "2024-06-01", {"workforce_2024.xml": CENSUS_2024})
    con = duckdb.connect(str(tmp_path / "csc.duckdb"))
    warehouse.ensure_schema(con)
    calendar.install_calendar(con)
    found = ingest.scan_la(inbox, "996", quiet_seconds=-1)
    assert found.config is not None
    ingest.save_la_config(con, found.config)
    [extract] = found.extracts
    result = ingest.receive_extract(con, extract)
    assert result.status == "rejected"
    assert len(result.file_errors) == 1
    assert "rename the folder to 2024-09-30" in result.file_errors[0]
    stored = con.execute("select source_file, severity, message from meta.file_errors").fetchall()
    assert [(f, s) for f, s, _ in stored] == [("workforce_2024.xml", "error")]
    assert con.execute("select count(*) from stg.ssd_person").fetchone() == (0,)


def test_rows_dated_after_the_extract_date_are_dealt_with_alone(tmp_path: Path) -> None:
    """In the return to 31 March 2024: child A's episode ceases on 1 April 2024 (so A was still
    looked after on 31 March: the end is cleared, the rows kept); child B's review of
    5 April 2024 had not happened (left out); every other row is untouched."""
    (tmp_path / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n"
        "A,01/05/2023,S,C2,N1,U4,PR1,01/04/2024,E11\n"
        "B,01/06/2023,S,C2,N1,U4,PR1,,\n",
        encoding="utf-8",
    )
    (tmp_path / "reviews.csv").write_text(
        "CHILD,DOB,REVIEW,REVIEW_CODE\nB,01/01/2015,05/04/2024,PN1\nB,01/01/2015,01/12/2023,PN1\n",
        encoding="utf-8",
    )
    found = dispatch.adapt_folder(
        [tmp_path / "episodes.csv", tmp_path / "reviews.csv"], dt.date(2024, 3, 31)
    )
    assert not found.errors
    [episodes] = found.parts["ssd_cla_episodes"]
    assert episodes.frame.select("clae_person_id", "clae_cla_episode_ceased").rows() == [
        ("A", None),
        ("B", None),
    ]
    [placements] = found.parts["ssd_cla_placement"]
    assert placements.frame["clap_cla_placement_end_date"].to_list() == [None, None]
    [reviews] = found.parts["ssd_cla_reviews"]
    assert reviews.frame["clar_cla_review_date"].to_list() == ["2023-12-01"]
    late = sorted(
        (n.source_file, n.column, n.action, n.location, n.message)
        for _, n in found.notes
        if n.rule == "date_after_extract"
    )
    ends = "clae_cla_episode_ceased, clap_cla_placement_end_date, lega_legal_status_end_date"
    assert late == [
        (
            "episodes.csv",
            ends,
            "repaired",
            "row 2",
            "dates after the extract date (2024-03-31) in clae_cla_episode_ceased (1), "
            "clap_cla_placement_end_date (1), lega_legal_status_end_date (1): cleared, the rows "
            "kept as still open at that date: 1 row (row 2)",
        ),
        (
            "reviews.csv",
            "clar_cla_review_date",
            "row_dropped",
            "row 2",
            "dates after the extract date (2024-03-31) in clar_cla_review_date (1): rows left "
            "out: 1 row (row 2)",
        ),
    ]
