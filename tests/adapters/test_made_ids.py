"""Ids the adapters make are unique and stable; exact repeats and reviews with no episode are
dropped with one note per file, not thousands of rejections or a blocking duplicate id."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from pipelines.lib.adapters import dispatch
from pipelines.lib.adapters.base import REPAIRED, ROW_DROPPED, AdaptedTable
from pipelines.lib.adapters.ids import MadeIds
from pipelines.lib.adapters.row_notes import row_ranges
from pipelines.lib.adapters.settle import settle
from pipelines.lib.adapters.ssda903 import ADAPTER as SSDA903
from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.readers import ROW_COLUMN
from tests.adapters.sample_sets import SAMPLE_SETS, sample_files


def _duplicate_ids(parts: dict[str, list[AdaptedTable]]) -> dict[str, int]:
    """Per table, how many rows share their id with an earlier row (over all files)."""
    found = {}
    for table, pieces in parts.items():
        key = TABLES_BY_NAME[table].key
        if key is None:
            continue
        ids = pl.concat([p.frame.select(key) for p in pieces])[key].drop_nulls()
        if ids.len() != ids.n_unique():
            found[table] = ids.len() - ids.n_unique()
    return found


def test_made_ids_number_the_repeats_in_order() -> None:
    ids = MadeIds()
    assert ids.make("review", "C1", "2024-01-02") == "C1_2024-01-02"
    assert ids.make("review", "C1", "2024-01-02") == "C1_2024-01-02#2"
    # An id a row already has is never given again: the next free place is taken.
    assert ids.make("review", "C1_2024-01-02#3") == "C1_2024-01-02#3"
    assert ids.make("review", "C1", "2024-01-02") == "C1_2024-01-02#4"
    assert ids.make("episode", "C1", "2024-01-02") == "C1_2024-01-02"  # each kind on its own
    assert ids.make("review", "C1", None) is None
    assert ids.make("review", "", "2024-01-02") is None


def test_row_ranges() -> None:
    assert row_ranges([9, 3, 4, 5, 12, 11, 4]) == "3-5, 9, 11-12"


EPISODES = """CHILD,LA,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE
A,L1,01/05/2023,S,C2,N1,U4,PR1,,,
A,L1,01/05/2023,S,C2,N1,U4,PR1,,,
A,L1,01/05/2023,S,C2,N1,U6,PR1,,,
A,L2,01/05/2023,S,V2,N1,U1,PR1,,,
"""
# Row 3 repeats row 2 exactly; row 4 has row 2's CHILD + DECOM and another PLACE; row 5 is the
# same child id in another LA (a LIIA file), a different child.
REVIEWS = """CHILD,DOB,REVIEW,REVIEW_CODE
A,01/01/2015,01/06/2023,PN1
A,01/01/2015,01/06/2023,PN1
A,01/01/2015,01/06/2023,PN4
B,01/01/2016,02/06/2023,PN1
B,01/01/2016,03/07/2023,PN1
C,01/01/2016,03/07/2023,PN1
"""
# Row 3 repeats row 2; row 4 is row 2's review with another REVIEW_CODE; B and C have no episode.


def _write_903(tmp_path: Path) -> list[Path]:
    (tmp_path / "episodes.csv").write_text(EPISODES, encoding="utf-8")
    (tmp_path / "reviews.csv").write_text(REVIEWS, encoding="utf-8")
    return [tmp_path / "episodes.csv", tmp_path / "reviews.csv"]


def test_903_repeats_and_reviews_without_episode_are_noted_once(tmp_path: Path) -> None:
    adapted = SSDA903.adapt(_write_903(tmp_path), dt.date(2024, 3, 31))
    tables = {t.table: t.frame for t in adapted.tables}
    episodes = tables["ssd_cla_episodes"]
    # Rows 2 and 5 are kept: the two LAs' children A get ids A_2023-05-01 and ...#2.
    assert episodes.select(ROW_COLUMN, "clae_cla_episode_id").rows() == [
        (2, "A_2023-05-01"),
        (5, "A_2023-05-01#2"),
    ]
    assert tables["ssd_legal_status"]["lega_legal_status_id"].to_list() == [
        "A_2023-05-01",
        "A_2023-05-01#2",
    ]
    [review] = tables["ssd_cla_reviews"].rows(named=True)
    assert (review[ROW_COLUMN], review["clar_cla_review_id"]) == (2, "A_2023-06-01")
    notes = {(Path(n.source_file).name, n.rule): n for n in adapted.notes}
    assert set(notes) == {
        ("episodes.csv", "duplicate_dropped"),
        ("episodes.csv", "903_repeated_key"),
        ("reviews.csv", "duplicate_dropped"),
        ("reviews.csv", "903_repeated_key"),
        ("reviews.csv", "903_review_without_episode"),
    }
    assert all(n.action == ROW_DROPPED for n in notes.values())
    assert (
        notes["episodes.csv", "duplicate_dropped"].source_row,
        notes["episodes.csv", "duplicate_dropped"].location,
    ) == (3, "row 3")
    assert notes["episodes.csv", "903_repeated_key"].location == "row 4"
    orphan = notes["reviews.csv", "903_review_without_episode"]
    assert orphan.location == "rows 5-7"
    assert orphan.message.endswith(": 3 reviews (rows 5, 6, 7)")


def test_903_ids_are_the_same_on_a_rerun(tmp_path: Path) -> None:
    paths = _write_903(tmp_path)
    first = SSDA903.adapt(paths, dt.date(2024, 3, 31))
    second = SSDA903.adapt(paths, dt.date(2024, 3, 31))
    assert [t.frame.to_dicts() for t in first.tables] == [t.frame.to_dicts() for t in second.tables]


def _piece(table: str, name: str, rows: list[dict[str, object]]) -> AdaptedTable:
    return AdaptedTable(table, pl.DataFrame(rows), Path(name), sheet="List 8")


def test_settle_drops_exact_repeats_and_numbers_clashing_made_ids() -> None:
    row = {ROW_COLUMN: 2, "clap_cla_placement_id": "PLA:A:2024-01-01", "clap_person_id": "A"}
    pieces = [
        _piece("ssd_cla_placement", "a.xlsx", [row, {**row, ROW_COLUMN: 3}]),
        _piece(
            "ssd_cla_placement",
            "b.xlsx",
            [{**row, ROW_COLUMN: 7, "clap_cla_placement_type": "U1"}],
        ),
    ]
    settled, notes = settle("ssd_cla_placement", pieces)
    assert [p.frame[ROW_COLUMN].to_list() for p in settled] == [[2], [7]]
    assert settled[1].frame["clap_cla_placement_id"].to_list() == ["PLA:A:2024-01-01#2"]
    assert [(n.source_file, n.rule, n.action, n.location) for n in notes] == [
        ("a.xlsx [List 8]", "duplicate_dropped", ROW_DROPPED, "row 3"),
        ("b.xlsx [List 8]", "made_id_repeated", REPAIRED, "row 7"),
    ]


def test_settle_keeps_ids_other_rows_link_to() -> None:
    """A referral id is what assessments and enquiries point at: renaming one of two clashing
    referrals would move their links, so both keep it and staging judges them."""
    rows = [
        {ROW_COLUMN: 2, "cine_referral_id": "REF:A:2024-01-01", "cine_referral_source_code": "1A"},
        {ROW_COLUMN: 3, "cine_referral_id": "REF:A:2024-01-01", "cine_referral_source_code": "6"},
    ]
    settled, notes = settle("ssd_cin_episodes", [_piece("ssd_cin_episodes", "a.xlsx", rows)])
    assert settled[0].frame["cine_referral_id"].to_list() == ["REF:A:2024-01-01"] * 2
    assert notes == []


@pytest.mark.parametrize("name", sorted(SAMPLE_SETS))
def test_made_ids_are_unique_on_every_sample_set(name: str) -> None:
    """Every adapter (903 CSV and XML, multi-year 903, CIN census, workforce census, Annex A) on
    the public samples, through the dispatcher the ingest uses."""
    extract_date, files = sample_files(name)
    folder = dispatch.adapt_folder(sorted(files.values()), extract_date)
    assert not folder.errors, [str(e) for e in folder.errors]
    assert _duplicate_ids(folder.parts) == {}
