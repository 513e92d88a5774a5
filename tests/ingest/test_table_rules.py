"""Staging rules on hand-made rows: dates, flags, codes, blanks and duplicates."""

import datetime as dt

import polars as pl
import pytest

from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.ingest.table_rules import stage_table

PLANS = TABLES_BY_NAME["ssd_cp_plans"]


def plans(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    base = {c: None for c in PLANS.column_names}
    data = [{**base, **row} for row in rows]
    frame = pl.DataFrame(data, schema={c: pl.String for c in PLANS.column_names})
    return frame.with_row_index("source_row", offset=2).with_columns(
        pl.col("source_row").cast(pl.Int64)
    )


def plan(
    plan_id: str, start: str | None, person: str | None = "C1", **extra: str
) -> dict[str, str | None]:
    return {
        "cppl_cp_plan_id": plan_id,
        "cppl_person_id": person,
        "cppl_cp_plan_start_date": start,
        **extra,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-01-05", dt.date(2023, 1, 5)),
        ("05/01/2023", dt.date(2023, 1, 5)),
        ("5/1/2023", dt.date(2023, 1, 5)),
        (" 2023-01-05 ", dt.date(2023, 1, 5)),
        ("2023-01-05 14:30", dt.date(2023, 1, 5)),
        ("2023-01-05T14:30:15", dt.date(2023, 1, 5)),
        ("29/02/2024", dt.date(2024, 2, 29)),
    ],
)
def test_dates_in_both_forms_parse(text: str, expected: dt.date) -> None:
    staged = stage_table(PLANS, plans([plan("P1", text)]))
    assert staged.issues.is_empty()
    assert staged.frame["cppl_cp_plan_start_date"].to_list() == [expected]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("31/02/2023", "invalid_date"),
        ("2023-02-30", "invalid_date"),
        ("29/02/2023", "invalid_date"),
        ("03/04/23", "unrecognised_date"),
        ("2023.04.03", "unrecognised_date"),
        ("2023/04/03", "unrecognised_date"),
        ("3rd April 2023", "unrecognised_date"),
        ("13/13/2023", "invalid_date"),
    ],
)
def test_impossible_and_ambiguous_dates_reject_the_row(text: str, rule: str) -> None:
    staged = stage_table(PLANS, plans([plan("P1", "2023-01-01"), plan("P2", text)]))
    assert staged.frame["cppl_cp_plan_id"].to_list() == ["P1"]
    issue = staged.issues.row(0, named=True)
    assert (
        issue["source_row"],
        issue["column_name"],
        issue["value"],
        issue["rule"],
        issue["action"],
    ) == (
        3,
        "cppl_cp_plan_start_date",
        text,
        rule,
        "row_rejected",
    )


def test_datetimes_keep_their_time() -> None:
    contacts = TABLES_BY_NAME["ssd_contacts"]
    raw = pl.DataFrame(
        {
            "source_row": [2, 3, 4],
            "cont_contact_id": ["K1", "K2", "K3"],
            "cont_person_id": ["C1", "C1", "C1"],
            "cont_contact_date": ["2023-01-05 14:30", "05/01/2023 09:05", "2023-01-05"],
            "cont_contact_source_code": [None, None, None],
            "cont_contact_outcome_json": [None, None, None],
        },
        schema_overrides={"source_row": pl.Int64},
    )
    staged = stage_table(contacts, raw)
    assert staged.frame["cont_contact_date"].to_list() == [
        dt.datetime(2023, 1, 5, 14, 30),
        dt.datetime(2023, 1, 5, 9, 5),
        dt.datetime(2023, 1, 5, 0, 0),
    ]


def test_blank_required_value_rejects_the_row_and_names_the_column() -> None:
    staged = stage_table(PLANS, plans([plan("P1", "2023-01-01", person=None), plan("P2", None)]))
    assert staged.frame.is_empty()
    assert sorted(zip(staged.issues["source_row"], staged.issues["column_name"], strict=True)) == [
        (2, "cppl_person_id"),
        (3, "cppl_cp_plan_start_date"),
    ]
    assert set(staged.issues["rule"]) == {"blank_required"}


def test_codes_match_case_insensitively_and_synonyms_map() -> None:
    staged = stage_table(
        PLANS,
        plans(
            [
                plan("P1", "2023-01-01", cppl_cp_plan_initial_category="Neglect"),
                plan("P2", "2023-01-01", cppl_cp_plan_initial_category=" emo "),
                plan("P3", "2023-01-01", cppl_cp_plan_initial_category="physical abuse"),
                plan("P4", "2023-01-01", cppl_cp_plan_initial_category="Spite"),
            ]
        ),
    )
    assert staged.frame["cppl_cp_plan_initial_category"].to_list() == ["NEG", "EMO", "PHY", None]
    # The unknown code is cleared, recorded, and the row kept.
    assert staged.issues.select("source_row", "value", "rule", "action").rows() == [
        (5, "Spite", "unknown_code", "value_cleared")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Y", True), ("yes", True), ("1", True), ("TRUE", True), ("n", False), ("No", False), ("0", False),
     ("false", False), ("NA", None), (None, None), ("maybe", None)],
)  # fmt: skip
def test_flags(text: str | None, expected: bool | None) -> None:
    episodes = TABLES_BY_NAME["ssd_cin_episodes"]
    raw = pl.DataFrame(
        {c: [None] for c in episodes.column_names} | {"source_row": [2]},
        schema={c: pl.String for c in episodes.column_names} | {"source_row": pl.Int64},
    ).with_columns(
        cine_referral_id=pl.lit("R1"),
        cine_person_id=pl.lit("C1"),
        cine_referral_date=pl.lit("2023-01-01"),
        cine_referral_nfa=pl.lit(text, dtype=pl.String),
    )
    staged = stage_table(episodes, raw)
    assert staged.frame["cine_referral_nfa"].to_list() == [expected]


def test_rhi_flags_keep_na_apart_from_blank() -> None:
    missing = TABLES_BY_NAME["ssd_missing"]
    raw = pl.DataFrame(
        {
            "source_row": [2, 3, 4, 5],
            "miss_table_id": ["M1", "M2", "M3", "M4"],
            "miss_person_id": ["C1"] * 4,
            "miss_missing_episode_start_date": ["01/01/2023 20:00"] * 4,
            "miss_missing_episode_type": ["Missing", "a", "M", "Away"],
            "miss_missing_episode_end_date": [None] * 4,
            "miss_missing_rhi_offered": ["Y", "NA", None, "no"],
            "miss_missing_rhi_accepted": [None] * 4,
        },
        schema_overrides={
            "source_row": pl.Int64,
            "miss_missing_episode_end_date": pl.String,
            "miss_missing_rhi_accepted": pl.String,
        },
    )
    staged = stage_table(missing, raw)
    assert staged.frame["miss_missing_episode_type"].to_list() == ["M", "A", "M", "A"]
    assert staged.frame["miss_missing_rhi_offered"].to_list() == ["Y", "NA", None, "N"]


def test_exact_duplicate_keeps_first_row_and_conflicting_duplicates_are_all_rejected() -> None:
    staged = stage_table(
        PLANS,
        plans(
            [
                plan("P1", "2023-01-01"),
                plan("P1", "2023-01-01"),  # row 3: an exact repeat of row 2
                plan("P2", "2023-02-01"),
                plan("P2", "2023-03-01"),  # row 5: same id as row 4, different start
                plan("P3", "2023-04-01"),
            ]
        ),
    )
    assert staged.frame.select("source_row", "cppl_cp_plan_id").rows() == [(2, "P1"), (6, "P3")]
    assert staged.issues.select("source_row", "rule", "action").rows() == [
        (3, "duplicate_row", "duplicate_dropped"),
        (4, "duplicate_id", "row_rejected"),
        (5, "duplicate_id", "row_rejected"),
    ]


def test_numbers_with_thousands_separators_and_bad_numbers() -> None:
    vacancies = TABLES_BY_NAME["ext_vacancies"]
    raw = pl.DataFrame(
        {
            "source_row": [2, 3, 4],
            "team_id": ["T1", "T2", "T3"],
            "as_at_date": ["2023-01-31"] * 3,
            "vacant_fte": ["1,002.5", "2", "two"],
        },
        schema_overrides={"source_row": pl.Int64},
    )
    staged = stage_table(vacancies, raw)
    assert staged.frame["vacant_fte"].to_list() == [1002.5, 2.0]
    assert staged.issues.select("source_row", "column_name", "rule").rows() == [
        (4, "vacant_fte", "not_a_number")
    ]


def test_blank_required_code_rejects_the_row() -> None:
    types = TABLES_BY_NAME["ext_assessment_types"]
    raw = pl.DataFrame(
        {"source_row": [2, 3], "assessment_id": ["A1", "A2"], "assessment_type": ["core", None]},
        schema_overrides={"source_row": pl.Int64},
    )
    staged = stage_table(types, raw)
    assert staged.frame["assessment_id"].to_list() == ["A1"]
    assert staged.issues.select("source_row", "rule", "action").rows() == [
        (3, "blank_required", "row_rejected")
    ]


def test_orphan_references_are_flagged_not_dropped() -> None:
    from pipelines.lib.ingest.references import reference_issues

    people = pl.DataFrame({"source_row": [2], "pers_person_id": ["C1"]})
    plans_frame = pl.DataFrame(
        {"source_row": [2, 3, 4], "cppl_person_id": ["C1", "C9", None], "cppl_icpc_id": [None] * 3},
        schema_overrides={"cppl_icpc_id": pl.String},
    )
    found = reference_issues({"ssd_person": people, "ssd_cp_plans": plans_frame})
    assert found["ssd_cp_plans"].select("source_row", "column_name", "value", "action").rows() == [
        (3, "cppl_person_id", "C9", "row_flagged")
    ]
    # Without the person table nothing can be checked, and nothing is reported.
    assert reference_issues({"ssd_cp_plans": plans_frame}) == {}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # Each is read as a date by strptime's lenient layouts (year 23, one-digit month and
        # day, a signed year, five-digit year): the rules must still reject them.
        ("23-01-05", "unrecognised_date"),
        ("2023-1-5", "unrecognised_date"),
        ("+2023-01-05", "unrecognised_date"),
        ("12345-1-01", "unrecognised_date"),
        ("2023-01-05 25:00:00", "invalid_date"),
        ("05/01/2023 10:60", "invalid_date"),
        ("2023-01-05x", "unrecognised_date"),
    ],
)
def test_near_miss_layouts_are_rejected_like_any_other(text: str, rule: str) -> None:
    staged = stage_table(PLANS, plans([plan("P1", "2023-01-01"), plan("P2", text)]))
    assert staged.frame["cppl_cp_plan_id"].to_list() == ["P1"]
    assert staged.issues.select("source_row", "value", "rule").rows() == [(3, text, rule)]


def test_datetimes_outside_the_common_layouts_keep_their_time() -> None:
    contacts = TABLES_BY_NAME["ssd_contacts"]
    texts = ["5/1/2023 9:05", "2023-01-05T14:30:15.250", "05/01/2023 09:05:07", "2023-01-05T14:30"]
    raw = pl.DataFrame(
        {
            "source_row": [2, 3, 4, 5],
            "cont_contact_id": ["K1", "K2", "K3", "K4"],
            "cont_person_id": ["C1"] * 4,
            "cont_contact_date": texts,
            "cont_contact_source_code": [None] * 4,
            "cont_contact_outcome_json": [None] * 4,
        },
        schema_overrides={"source_row": pl.Int64},
    )
    staged = stage_table(contacts, raw)
    assert staged.issues.is_empty()
    assert staged.frame["cont_contact_date"].to_list() == [
        dt.datetime(2023, 1, 5, 9, 5),
        dt.datetime(2023, 1, 5, 14, 30, 15),  # fractions of a second are dropped
        dt.datetime(2023, 1, 5, 9, 5, 7),
        dt.datetime(2023, 1, 5, 14, 30),
    ]
