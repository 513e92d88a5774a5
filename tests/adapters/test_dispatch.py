"""Choosing a source per table, merging children across returns, and what each source can compute."""

from pathlib import Path

import polars as pl

from pipelines.lib import sources_doc as availability
from pipelines.lib.adapters.base import NOT_USED, Adapted, AdaptedTable
from pipelines.lib.adapters.dispatch import AdaptedFolder, _choose_sources, merge_persons
from pipelines.lib.kpi.definitions import load_definitions


def _person(rows: list[dict[str, object]], file: str) -> AdaptedTable:
    schema = {
        "source_row": pl.Int64,
        "pers_person_id": pl.String,
        "pers_dob": pl.String,
        "pers_sex": pl.String,
    }
    return AdaptedTable("ssd_person", pl.DataFrame(rows, schema=schema), Path(file))


def test_children_merged_across_returns_keep_their_first_file_and_row() -> None:
    cin = _person(
        [
            {"source_row": 12, "pers_person_id": "A", "pers_dob": "2010-01-02", "pers_sex": None},
            {"source_row": 40, "pers_person_id": "B", "pers_dob": None, "pers_sex": "F"},
        ],
        "cin.xml",
    )
    header = _person(
        [
            # A: the CIN census had no sex; the 903 fills it. Its DOB differs: the CIN's stays.
            {"source_row": 2, "pers_person_id": "A", "pers_dob": "2010-01-03", "pers_sex": "M"},
            {"source_row": 3, "pers_person_id": "C", "pers_dob": "2012-05-06", "pers_sex": "M"},
            # A blank id stays with its own file and row, for staging to reject.
            {"source_row": 4, "pers_person_id": None, "pers_dob": "2013-01-01", "pers_sex": "F"},
        ],
        "header.csv",
    )
    merged = merge_persons([cin, header])
    assert [p.source_file.name for p in merged] == ["cin.xml", "header.csv"]
    first = merged[0].frame.sort("source_row").to_dicts()
    assert first == [
        {"source_row": 12, "pers_dob": "2010-01-02", "pers_person_id": "A", "pers_sex": "M"},
        {"source_row": 40, "pers_dob": None, "pers_person_id": "B", "pers_sex": "F"},
    ]
    second = merged[1].frame.sort("source_row").to_dicts()
    assert second == [
        {"source_row": 3, "pers_dob": "2012-05-06", "pers_person_id": "C", "pers_sex": "M"},
        {"source_row": 4, "pers_dob": "2013-01-01", "pers_person_id": None, "pers_sex": "F"},
    ]


def test_a_repeated_child_within_one_return_is_left_for_staging_to_judge() -> None:
    header = _person(
        [
            {"source_row": 2, "pers_person_id": "A", "pers_dob": "2010-01-02", "pers_sex": "M"},
            {"source_row": 3, "pers_person_id": "A", "pers_dob": "2011-01-02", "pers_sex": "M"},
        ],
        "header.csv",
    )
    other = _person(
        [{"source_row": 9, "pers_person_id": "A", "pers_dob": None, "pers_sex": "F"}], "x.xml"
    )
    merged = merge_persons([header, other])
    assert len(merged) == 1
    assert merged[0].frame["source_row"].to_list() == [2, 3]


def test_a_table_from_an_ssd_file_wins_and_the_return_rows_are_reported_unused() -> None:
    rows = pl.DataFrame({"source_row": [2], "clae_cla_id": ["E1"]})
    adapted = Adapted(
        "ssda903", tables=[AdaptedTable("ssd_cla_episodes", rows, Path("episodes.csv"))]
    )
    out = AdaptedFolder()
    _choose_sources(out, [adapted], {"ssd_cla_episodes"})
    assert out.parts == {}
    (source_format, note), *_ = out.notes
    assert (source_format, note.action, note.source_file) == ("ssda903", NOT_USED, "episodes.csv")
    assert "taken from the SSD extract" in note.message


def test_the_more_detailed_return_gives_a_table_two_returns_share() -> None:
    cin_rows = pl.DataFrame({"source_row": [20], "cine_referral_id": ["R1"]})
    annex_rows = pl.DataFrame({"source_row": [5, 6], "cine_referral_id": ["R1", "R2"]})
    out = AdaptedFolder()
    _choose_sources(
        out,
        [
            Adapted("cin_census", [AdaptedTable("ssd_cin_episodes", cin_rows, Path("cin.xml"))]),
            Adapted(
                "annex_a", [AdaptedTable("ssd_cin_episodes", annex_rows, Path("Annex_A.xlsx"))]
            ),
        ],
        set(),
    )
    assert out.formats == {"ssd_cin_episodes": "cin_census"}
    assert [p.source_file.name for p in out.parts["ssd_cin_episodes"]] == ["cin.xml"]
    assert "2 rows" in out.notes[0][1].message


def test_availability_reads_the_columns_of_the_kpi_and_its_shared_views() -> None:
    kpis = {k.id: k for k in load_definitions()}
    used = availability.referenced_columns(kpis["cla_open"])
    # cla_open's SQL reads the shared view children_looked_after, which reads the episodes.
    assert {"clae_cla_episode_start_date", "clae_cla_episode_ceased", "clae_person_id"} <= used[
        "ssd_cla_episodes"
    ]


def test_contact_timeliness_cannot_come_from_annex_a_and_the_reason_says_why() -> None:
    kpis = {k.id: k for k in load_definitions()}
    verdict = availability.verdict(kpis["contact_decision_1wd_pct"], "annex_a")
    assert not verdict.available
    assert verdict.reason and "Annex A" in verdict.reason
    assert availability.verdict(kpis["cla_open"], "ssda903").available
    assert not availability.verdict(kpis["cla_open"], "csww").available


def test_a_missing_team_column_only_loses_the_team_breakdown() -> None:
    kpis = {k.id: k for k in load_definitions()}
    provides = availability.SOURCE_MODULES["cin_census"].PROVIDES
    assert "cine_referral_team" not in provides["ssd_cin_episodes"]
    verdict = availability.verdict(kpis["referrals_received"], "cin_census")
    assert verdict.available and not verdict.by_team


def test_the_sources_table_is_up_to_date() -> None:
    expected = availability.sources_table(load_definitions())
    assert availability.SOURCES_FILE.read_text(encoding="utf-8") == expected, (
        "kpi_definitions/SOURCES.md is out of date: run `csc-kpis sources --write`"
    )
