"""The screen that removes personal data typed into cells (the run-level case is in
test_bad_inputs.py, ``personal_data_in_free_text``)."""

import polars as pl
import pytest

from pipelines.lib import screening
from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.screening import REDACTED, Screen, nhs_number_valid

PEOPLE = Screen([("Dylan", "Quuxington"), ("Amberly", "Testperson"), (None, "Lo")])


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        # 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 % 11 = 2; 11 - 2 = 9: valid.
        ("9434765919", True),
        ("9434765918", False),
        # 4*10+0*9+1*8+0*7+2*6+3*5+4*4+5*3+6*2 = 118; 118 % 11 = 8; 11 - 8 = 3: valid.
        ("4010234563", True),
        # A remainder of 1 gives a check of 10: never a valid NHS number.
        # 1*10+0*9+...+0*3+1*2 = 12 (digits 1000000001): 12 % 11 = 1 -> 10.
        ("1000000011", False),
    ],
)
def test_nhs_number_check_digit(digits: str, valid: bool) -> None:
    assert nhs_number_valid(digits) is valid


@pytest.mark.parametrize(
    ("text", "clean", "rules"),
    [
        ("NHS 943 476 5919 seen", f"NHS {REDACTED} seen", ["nhs_number"]),
        ("943-476-5919", REDACTED, ["nhs_number"]),
        ("id 9434765918", "id 9434765918", []),  # fails the check: not an NHS number
        ("moved to qx1 1qx", f"moved to {REDACTED}", ["postcode"]),
        ("SW1A1AA", REDACTED, ["postcode"]),
        ("Dylan Quuxington QX1 1QX", f"{REDACTED} {REDACTED}", ["person_name", "postcode"]),
        ("spoke to mrs testperson", f"spoke to {REDACTED}", ["person_name"]),
        ("Mr Lo called", f"{REDACTED} called", ["person_name"]),
        # A forename alone, or a surname without a title, is not taken for a name.
        ("Dylan called; Testperson Road", "Dylan called; Testperson Road", []),
        ("2024-01-02 09:30", "2024-01-02 09:30", []),
        ('{"NEW_REFERRAL_FLAG": "Y"}', '{"NEW_REFERRAL_FLAG": "Y"}', []),
        ("Assessment Team T01", "Assessment Team T01", []),
    ],
)
def test_redact(text: str, clean: str, rules: list[str]) -> None:
    assert PEOPLE.redact(text) == (clean, rules)


def test_names_come_from_the_person_file() -> None:
    frame = pl.DataFrame(
        {"pers_person_id": ["C1"], "pers_forename": ["Dylan"], "pers_surname": ["Quuxington"]}
    )
    screen = Screen.from_person_file(frame)
    assert screen.redact("dylan quuxington")[1] == ["person_name"]
    assert Screen.from_person_file(frame.drop("pers_surname")).redact("dylan quuxington") == (
        "dylan quuxington",
        [],
    )


def test_apply_blanks_what_is_not_kept_and_reports_what_it_removed() -> None:
    frame = pl.DataFrame(
        {
            "source_row": [2, 3, 4],
            "pers_person_id": ["9434765919", "C2", "C3"],  # ids are never screened
            "pers_sex": ["F", "M", "QX1 1QX"],
            "pers_ethnicity": ["WBRI", "Dylan Quuxington", None],
            "pers_dob": ["2015-03-01", "Dylan Quuxington", "2010-11-30"],
            "pers_death_date": [None, None, None],
        },
        schema_overrides={"pers_death_date": pl.String},
    )
    table = TABLES_BY_NAME["ssd_person"]
    frame = frame.select("source_row", *table.column_names)
    screened, issues = PEOPLE.apply(table, frame)
    assert screened["pers_person_id"].to_list() == ["9434765919", "C2", "C3"]
    assert screened["pers_ethnicity"].to_list() == [None, None, None]
    assert screened["pers_dob"].to_list() == ["2015-03-01", REDACTED, "2010-11-30"]
    assert screened["pers_sex"].to_list() == ["F", "M", REDACTED]
    assert sorted(issues.select("source_row", "column_name", "rule").iter_rows()) == [
        (3, "pers_dob", "person_name"),
        (4, "pers_sex", "postcode"),
    ]
    assert issues["value"].to_list() == [None, None]
    assert set(issues["action"]) == {screening.ACTION}


def test_withhold_keeps_a_value_only_when_it_cannot_identify_anyone() -> None:
    issues = pl.DataFrame(
        {
            "source_row": [2, 3, 4, 5],
            "column_name": [
                "cont_contact_date",
                "cont_contact_date",
                "cont_contact_source_code",
                "cont_contact_outcome_json",
            ],
            "value": ["Zara Notinlist", "2024-02-30", "ZZ", '{"a": 1}'],
            "rule": ["unrecognised_date", "invalid_date", "unknown_code", "x"],
            "action": ["row_rejected", "row_rejected", "value_cleared", "row_rejected"],
            "message": ["m"] * 4,
        }
    )
    values = screening.withhold(TABLES_BY_NAME["ssd_contacts"], issues)["value"].to_list()
    assert values == [
        "[withheld: a 14-character value]",
        "2024-02-30",
        "ZZ",
        "[withheld: a 8-character value]",
    ]
    assert [screening.shown(v) for v in values] == [
        "a 14-character value",
        "'2024-02-30'",
        "'ZZ'",
        "a 8-character value",
    ]
    assert screening.shown(None) == "(blank)"
