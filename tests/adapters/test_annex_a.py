"""Annex A adapter: a hand-made workbook with every awkward case, then the public samples."""

import datetime as dt
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from pipelines.lib.adapters import annex_a
from pipelines.lib.adapters.annex_a import ADAPTER
from pipelines.lib.adapters.annex_a.cells import code_of, date_text, strip_prefix
from pipelines.lib.adapters.annex_a.headers import list_number, match_header
from pipelines.lib.adapters.base import Adapted
from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.ingest.table_rules import stage_table
from pipelines.lib.readers import FileLevelError

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
EXTRACT_DATE = dt.date(2024, 3, 31)
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _sample(relative: str) -> Path:
    path = SAMPLES / relative
    if not path.exists():
        pytest.skip(f"sample {relative} not available")
    return path


def _sheet(book: openpyxl.Workbook, name: str, rows: list[list[object]], skip: int = 0) -> None:
    """A sheet with ``skip`` blank rows above ``rows`` (title, header, data...)."""
    sheet = book.create_sheet(name)
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=skip + offset + 1, column=column, value=value)


def write_fixture(path: Path) -> Path:
    """A small synthetic Annex A workbook. Children C1..C10 are made up; the awkward cases:
    header row below blank rows (List 1) and below a title row (List_3), headers in other case,
    spacing and quote marks, codes with and without ``a)`` prefixes, a text DD/MM/YYYY date, an
    Excel serial number, an impossible date, a formula with no saved value, ``#N/A``, a
    non-yes/no answer, an unknown need code, an unknown column, and a child whose date of birth
    differs between lists."""
    book = openpyxl.Workbook()
    front = book.active
    assert front is not None
    front.title = "Front_Sheet"
    front["A1"] = "Annex A - Child level data"
    _sheet(
        book,
        "List 1 - Contacts",
        [
            ["child unique ID", "GENDER", "Ethnicity", "Date  of birth", "Age", "Date of Contact",
             "Contact source", "Favourite colour"],
            ["C1", "b) Female", "a) WBRI", dt.datetime(2015, 1, 25), 9,
             dt.datetime(2024, 1, 8, 9, 15), "q) 6: Police", "blue"],
            ["C2", "Male", "WBRI", "03/02/2012", 11, 45299, "b) 1B: Individual"],
            ["C3", "c) Not stated/recorded", None, None, None, "31/02/2024", "Police"],
            [],
            ["C1", "Female", "WBRI", dt.datetime(2015, 1, 25), 9, "=F4+1", "q) 6: Police"],
        ],
        skip=2,
    )  # fmt: skip
    _sheet(
        book,
        "List 2",
        [
            ["Child Unique ID", "Gender", "Date of Birth", "Assessment start date"],
            ["C10", "a) Male", dt.datetime(2019, 7, 7), dt.datetime(2024, 1, 3)],
        ],
    )
    _sheet(
        book,
        "List_3",
        [
            ["List 3: Referrals"],
            ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Date of referral",
             "Referral Source", "Referral NFA?", "Allocated Team", "Allocated Worker"],
            ["C1", "Female", "WBRI", dt.datetime(2015, 1, 25), dt.datetime(2024, 1, 9),
             "e) 2A: Schools", "b) No", "Team A", "Worker One"],
            ["C4", "a) Male", "a) WBRI", dt.datetime(2010, 5, 1), "2024-01-10", "Schools",
             "a) Yes", "#N/A", "Worker Two"],
            ["C2", "a) Male", "a) WBRI", dt.datetime(2012, 2, 4), dt.datetime(2024, 1, 20),
             "u) 10: Unknown", "No", "Team B", "Worker One"],
        ],
    )  # fmt: skip
    _sheet(
        book,
        "List 4",
        [
            ["Child Unique ID", "Continuous Assessment Start Date",
             "Child Seen During Continuous Assessment",
             "Continuous Assessment Date of Authorisation",
             "Was the child assessed as requiring LA children’s social care support",
             "Allocated Team"],
            ["C1", dt.datetime(2024, 1, 10), "a) Yes", dt.datetime(2024, 2, 20), "b) No",
             "Team A"],
            ["C4", dt.datetime(2024, 1, 12), "Maybe", None, "a) Yes", "Team C"],
        ],
    )  # fmt: skip
    _sheet(
        book,
        "List 5",
        [
            ["Child Unique ID", "Gender",
             "Strategy discussion initiating Section 47 Enquiry Start Date",
             "Was an Initial Child Protection Conference deemed unnecessary?",
             "Date of Initial Child Protection Conference",
             "Did the Initial Child Protection Conference Result in a Child Protection Plan",
             "Number of ICPCs in the last 12 months"],
            ["C4", "Male", dt.datetime(2024, 1, 11), "b) No", dt.datetime(2024, 2, 1), "a) Yes",
             0],
            ["C1", "Female", dt.datetime(2024, 1, 15), "a) Yes", None, None, 1],
        ],
    )  # fmt: skip
    _sheet(
        book,
        "List 6",
        [
            ["Child Unique ID", "Gender", "CIN Start Date", "Primary Need Code",
             "CIN Closure Date", "Reason for Closure", "Case Status", "Allocated Team"],
            ["C1", "Female", dt.datetime(2024, 1, 9), "N1 - Abuse or neglect",
             dt.datetime(2024, 3, 1), "RC7 - Services ceased for any other reason",
             "e) Closed episode", "Team A"],
            ["C5", "Male", dt.datetime(2023, 6, 1), "PSRMEM - Support with memory", None, None,
             "c) Child in need plan", "Team D"],
        ],
    )  # fmt: skip
    _sheet(
        book,
        "List 7",
        [
            ["Child Unique ID", "Child Protection Plan Start Date", "Initial Category of Abuse",
             "Latest Category of Abuse", "Child Protection Plan End Date"],
            ["C4", dt.datetime(2024, 2, 1), "a) Neglect", "Multiple/not recommended", None],
        ],
    )  # fmt: skip
    _sheet(
        book,
        "List 8",
        [
            ["Child Unique ID", "Gender", "Date of Birth", "Date Started to be Looked After",
             "Child's Category of Need", "Start date of current legal status",
             "Child's Legal Status", "Date Ceased to be Looked After ",
             "Reason Ceased to be Looked After", "Start Date of Most Recent Placement",
             "Placement Type", "Placement Provider", "Placement postcode"],
            ["C6", "b) Female", dt.datetime(2010, 3, 3), dt.datetime(2023, 5, 1),
             "N1 - Abuse or neglect", dt.datetime(2023, 6, 1), "C2: FCO", None, None,
             dt.datetime(2023, 9, 1), "f) U6: Foster placement - not FFA",
             "e) PR4: Private provision", "nope"],
            ["C7", "a) Male", dt.datetime(2009, 1, 2), dt.datetime(2022, 1, 1),
             "N2 - Child’s disability", dt.datetime(2022, 1, 1), "V3: Short term breaks",
             dt.datetime(2024, 1, 5),
             "e) E4A: Returned home to live with parents or relatives - part of planning",
             dt.datetime(2022, 1, 1), "k) P1: Placed with parents",
             "a) PR0: Parents/Parental responsibility", None],
        ],
    )  # fmt: skip
    _sheet(
        book,
        "List 9",
        [
            ["Child Unique ID", "Date of Birth", "Allocated Team", "Allocated Personal Advisor",
             "Eligibility Category", "Latest Pathway Plan Review Date", "LA in Touch",
             "Latest Date of Contact", "Type of Accommodation", "Suitability of Accommodation",
             "Activity Status"],
            ["C8", dt.datetime(2003, 4, 4), "Leaving Care", "Adviser One",
             "b) Former relevant child", dt.datetime(2023, 12, 1), "a) Yes", "02/01/2024",
             "U: Independent living", "a) Suitable",
             "G5: Not in education, employment or training - other"],
            ["C9", None, "Leaving Care", None, "c) Qualifying care leaver", None, "d) Refu",
             None, "B: Parents/relatives", "b) Unsuitable", "F1: Full time in higher education"],
        ],
    )  # fmt: skip
    _sheet(
        book,
        "List 11",
        [
            ["Individual adopter identifier", "Family identifier", "Gender"],
            ["AD1", "F1", "a) Male"],
        ],
    )
    book.save(path)
    return path


@pytest.fixture(scope="module")
def fixture_result(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Adapted]:
    path = write_fixture(tmp_path_factory.mktemp("annex_a") / "Annex_A_2024_03.xlsx")
    return path, ADAPTER.adapt([path], EXTRACT_DATE)


def rows(adapted: Adapted, table: str) -> list[dict[str, object]]:
    """Every row of a table, all sheets together, without the columns left blank."""
    frames = [t.frame for t in adapted.tables if t.table == table]
    assert frames, f"no {table}"
    out = []
    for row in pl.concat(frames).to_dicts():
        out.append({k: v for k, v in row.items() if v is not None})
    return out


def notes(adapted: Adapted, rule: str) -> list[tuple[object, ...]]:
    return [
        (n.location, n.source_row, n.column, n.value, n.action)
        for n in adapted.notes
        if n.rule == rule
    ]


def staged_issues(adapted: Adapted) -> set[tuple[str, int, str, str, str | None]]:
    """(table, row, column, rule, value) of every issue staging raises on the adapter's rows,
    absent contract columns filled with blanks as the ingest does."""
    found = set()
    for piece in adapted.tables:
        table = TABLES_BY_NAME[piece.table]
        frame = piece.frame.with_columns(
            [
                pl.lit(None, dtype=pl.String).alias(c)
                for c in table.column_names
                if c not in piece.frame.columns
            ]
        )
        for issue in stage_table(table, frame).issues.iter_rows(named=True):
            found.add(
                (piece.table, issue["source_row"], issue["column_name"], issue["rule"],
                 issue["value"])
            )  # fmt: skip
    return found


# --- helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("q) 6: Police", "6"),
        ("b) 1B: Individual", "1B"),
        ("N1 - Abuse or Neglect", "N1"),
        ("e) PR4 - Private provision", "PR4"),
        ("zz) T4: Temporary placement - seven days or less", "T4"),
        ("u) X1:CodeError", "X1"),
        ("Physical abuse", "Physical abuse"),
        ("b) Female", "Female"),
        ("PSRMEM - Support with memory and cognition", "PSRMEM"),
    ],
)
def test_codes_with_or_without_prefix_and_description(value: str, code: str) -> None:
    assert code_of(value) == code


def test_prefix_only_when_there_is_one() -> None:
    assert strip_prefix("a) Yes") == "Yes"
    assert strip_prefix("Yes") == "Yes"
    assert strip_prefix("(c) Unknown") == "Unknown"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2024, 1, 8), "2024-01-08"),
        (dt.date(2024, 1, 8), "2024-01-08"),
        (45299, "2024-01-08"),  # Excel serial: 45292 is 1 January 2024
        (45299.0, "2024-01-08"),
        ("8/1/2024", "2024-01-08"),
        ("08/01/2024", "2024-01-08"),
        ("2024-01-08", "2024-01-08"),
        ("2024-01-08 00:00:00", "2024-01-08"),
        ("31/02/2024", "31/02/2024"),  # impossible: left for staging to reject
        ("08-01-2024", "08-01-2024"),  # other separators are never guessed
        ("May be 8 Jan 2000", "May be 8 Jan 2000"),
        (2020, "2020"),  # a year, not a serial number
        (None, None),
    ],
)
def test_dates_from_cells(value: object, expected: str | None) -> None:
    assert date_text(value, EXCEL_EPOCH) == expected


def test_contact_times_are_kept_when_given() -> None:
    stamp = dt.datetime(2024, 1, 8, 9, 15)
    assert date_text(stamp, EXCEL_EPOCH, keep_time=True) == "2024-01-08 09:15:00"
    assert date_text(stamp, EXCEL_EPOCH) == "2024-01-08"
    assert date_text(45299.5, EXCEL_EPOCH, keep_time=True) == "2024-01-08 12:00:00"


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("List 1", 1),
        ("List_3", 3),
        ("List 10 - Adoption", 10),
        ("list11", 11),
        ("LIST 04", 4),
        ("Codes_used", None),
        ("List 12", None),
    ],
)
def test_sheet_names(name: str, number: int | None) -> None:
    assert list_number(name) == number


def test_title_row_names_the_list_when_the_sheet_does_not() -> None:
    assert list_number("Sheet3", "List 3: Referral") == 3


@pytest.mark.parametrize(
    ("list_no", "header", "field"),
    [
        (1, "Child Unique ID", "child_id"),
        (1, "  CHILD   UNIQUE ID ", "child_id"),
        (1, "Date of Contact", "contact_date"),
        (4, "Was the child assessed as requiring LA children's social care support?",
         "assessment_in_need"),
        (4, "Was the child assessed as requiring LA children’s social care support",
         "assessment_in_need"),
        (4, "Was the child assessed as being in need at assessment?", "assessment_in_need"),
        # the user mappings shipped with sfdata-annexa-clean (custom-mappings.yml)
        (5, "Initial Child Protection Conference Not Required", "icpc_unnecessary"),
        (5, "Section 47 Enquiry Start Date", "s47_start"),
        (5, "Did the Initial Child Protection Conference Result in a Child Protection Plan",
         "icpc_outcome"),
        (5, "Date of Initial Child Protection Conference", "icpc_date"),
        (5, "Number of ICPCs in the last 12 months", None),
        (8, "Date Ceased to be Looked After ", "cla_ceased"),
        (8, "Reason Ceased to be Looked After", "cla_ceased_reason"),
        (8, "Start date of current legal status", "legal_status_start"),
        (8, "Child's Legal Status", "legal_status"),
        (8, "Number of Placements in the Last 12 months", None),
        (9, "LA In Touch ", "in_touch"),
        (9, "Suitability of Accommodation", "accommodation_suitable"),
        (9, "Allocated Personal Advisor", "personal_adviser"),
        (9, "Latest Pathway Plan Review Date", "pathway_plan"),
    ],
)  # fmt: skip
def test_headers_forgive_case_spacing_and_punctuation(
    list_no: int, header: str, field: str | None
) -> None:
    assert match_header(list_no, header) == field


# --- the hand-made workbook --------------------------------------------------------------


def test_people_one_row_per_child_from_the_first_row_with_a_date_of_birth(
    fixture_result: tuple[Path, Adapted],
) -> None:
    _, adapted = fixture_result
    people = sorted(rows(adapted, "ssd_person"), key=lambda r: str(r["pers_person_id"]))
    assert people == [
        {"source_row": 4, "pers_person_id": "C1", "pers_sex": "F", "pers_ethnicity": "WBRI",
         "pers_dob": "2015-01-25"},
        {"source_row": 2, "pers_person_id": "C10", "pers_sex": "M", "pers_dob": "2019-07-07"},
        {"source_row": 5, "pers_person_id": "C2", "pers_sex": "M", "pers_ethnicity": "WBRI",
         "pers_dob": "2012-02-03"},
        {"source_row": 6, "pers_person_id": "C3", "pers_sex": "U"},
        {"source_row": 4, "pers_person_id": "C4", "pers_sex": "M", "pers_ethnicity": "WBRI",
         "pers_dob": "2010-05-01"},
        {"source_row": 3, "pers_person_id": "C5", "pers_sex": "M"},
        {"source_row": 2, "pers_person_id": "C6", "pers_sex": "F", "pers_dob": "2010-03-03"},
        {"source_row": 3, "pers_person_id": "C7", "pers_sex": "M", "pers_dob": "2009-01-02"},
        {"source_row": 2, "pers_person_id": "C8", "pers_dob": "2003-04-04"},
        {"source_row": 3, "pers_person_id": "C9"},
    ]  # fmt: skip
    # C2's date of birth on List 3 differs from List 1's (used): noted where it differs.
    assert notes(adapted, "person_conflict") == [
        ("List 3 (Referrals), sheet 'List_3'", 5, "Date of Birth", "2012-02-04", "not_used")
    ]
    blank = {n.message.split()[1] for n in adapted.notes if n.rule == "blank_date_of_birth"}
    assert blank == {"C3", "C5", "C9"}


def test_contacts_below_blank_rows_with_formula_serial_and_bad_date(
    fixture_result: tuple[Path, Adapted],
) -> None:
    _, adapted = fixture_result
    assert rows(adapted, "ssd_contacts") == [
        {"source_row": 4, "cont_contact_id": "CON:C1:2024-01-08 09:15:00:6",
         "cont_person_id": "C1", "cont_contact_date": "2024-01-08 09:15:00",
         "cont_contact_source_code": "6"},
        {"source_row": 5, "cont_contact_id": "CON:C2:2024-01-08:1B", "cont_person_id": "C2",
         "cont_contact_date": "2024-01-08", "cont_contact_source_code": "1B"},
        {"source_row": 6, "cont_contact_id": "CON:C3:31/02/2024:6", "cont_person_id": "C3",
         "cont_contact_date": "31/02/2024", "cont_contact_source_code": "6"},
        {"source_row": 8, "cont_contact_id": "CON:C1::6", "cont_person_id": "C1",
         "cont_contact_source_code": "6"},
    ]  # fmt: skip
    assert notes(adapted, "excel_formula_no_value") == [
        ("List 1 (Contacts), sheet 'List 1 - Contacts'", 8, "Date of Contact", "=F4+1",
         "not_mapped")
    ]  # fmt: skip
    assert notes(adapted, "unknown_header") == [
        ("List 1 (Contacts), sheet 'List 1 - Contacts'", 3, "Favourite colour", None,
         "not_mapped")
    ]  # fmt: skip


def test_referrals_and_cin_episodes_merge_on_the_same_day(
    fixture_result: tuple[Path, Adapted],
) -> None:
    _, adapted = fixture_result
    assert rows(adapted, "ssd_cin_episodes") == [
        {"source_row": 3, "cine_referral_id": "REF:C1:2024-01-09", "cine_person_id": "C1",
         "cine_referral_date": "2024-01-09", "cine_referral_source_code": "2A",
         "cine_referral_nfa": "N", "cine_referral_team": "Team A",
         "cine_cin_primary_need_code": "N1", "cine_close_date": "2024-03-01",
         "cine_close_reason": "RC7"},
        {"source_row": 4, "cine_referral_id": "REF:C4:2024-01-10", "cine_person_id": "C4",
         "cine_referral_date": "2024-01-10", "cine_referral_source_code": "2A",
         "cine_referral_nfa": "Y"},
        {"source_row": 5, "cine_referral_id": "REF:C2:2024-01-20", "cine_person_id": "C2",
         "cine_referral_date": "2024-01-20", "cine_referral_source_code": "10",
         "cine_referral_nfa": "N", "cine_referral_team": "Team B"},
        {"source_row": 3, "cine_referral_id": "REF:C5:2023-06-01", "cine_person_id": "C5",
         "cine_referral_date": "2023-06-01", "cine_referral_team": "Team D",
         "cine_cin_primary_need_code": "PSRMEM"},
    ]  # fmt: skip
    assert notes(adapted, "cin_episode_merged") == [
        ("List 6 (Children in need), sheet 'List 6'", 2, None, None, "repaired")
    ]
    assert notes(adapted, "excel_error") == [
        ("List 3 (Referrals), sheet 'List_3'", 4, "Allocated Team", "#N/A", "repaired")
    ]


def test_assessments_link_to_the_latest_referral_and_invert_the_support_question(
    fixture_result: tuple[Path, Adapted],
) -> None:
    _, adapted = fixture_result
    assert rows(adapted, "ssd_cin_assessments") == [
        {"source_row": 2, "cina_assessment_id": "ASM:C1:2024-01-10", "cina_person_id": "C1",
         "cina_referral_id": "REF:C1:2024-01-09", "cina_assessment_start_date": "2024-01-10",
         "cina_assessment_child_seen": "Y", "cina_assessment_auth_date": "2024-02-20",
         "cina_assessment_outcome_nfa": "Y", "cina_assessment_team": "Team A"},
        {"source_row": 3, "cina_assessment_id": "ASM:C4:2024-01-12", "cina_person_id": "C4",
         "cina_referral_id": "REF:C4:2024-01-10", "cina_assessment_start_date": "2024-01-12",
         "cina_assessment_outcome_nfa": "N", "cina_assessment_team": "Team C"},
    ]  # fmt: skip
    assert notes(adapted, "not_yes_no") == [
        ("List 4 (Assessments), sheet 'List 4'", 3, "Child Seen During Continuous Assessment",
         "Maybe", "not_mapped")
    ]  # fmt: skip


def test_s47_icpc_and_plan_are_linked(fixture_result: tuple[Path, Adapted]) -> None:
    _, adapted = fixture_result
    assert rows(adapted, "ssd_s47_enquiry") == [
        {"source_row": 2, "s47e_s47_enquiry_id": "S47:C4:2024-01-11",
         "s47e_referral_id": "REF:C4:2024-01-10", "s47e_person_id": "C4",
         "s47e_s47_start_date": "2024-01-11"},
        {"source_row": 3, "s47e_s47_enquiry_id": "S47:C1:2024-01-15",
         "s47e_referral_id": "REF:C1:2024-01-09", "s47e_person_id": "C1",
         "s47e_s47_start_date": "2024-01-15"},
    ]  # fmt: skip
    # Only C4's enquiry led to a conference; it began C4's plan (the plan starts that day).
    assert rows(adapted, "ssd_initial_cp_conference") == [
        {"source_row": 2, "icpc_icpc_id": "ICPC:C4:2024-01-11:2024-02-01",
         "icpc_s47_enquiry_id": "S47:C4:2024-01-11", "icpc_person_id": "C4",
         "icpc_cp_plan_id": "CPP:C4:2024-02-01", "icpc_icpc_date": "2024-02-01",
         "icpc_icpc_outcome_cp_flag": "Y"},
    ]  # fmt: skip
    assert rows(adapted, "ssd_cp_plans") == [
        {"source_row": 2, "cppl_cp_plan_id": "CPP:C4:2024-02-01", "cppl_person_id": "C4",
         "cppl_icpc_id": "ICPC:C4:2024-01-11:2024-02-01",
         "cppl_cp_plan_start_date": "2024-02-01", "cppl_cp_plan_initial_category": "NEG",
         "cppl_cp_plan_latest_category": "MUL"},
    ]  # fmt: skip


def test_children_in_care_period_placement_and_legal_status(
    fixture_result: tuple[Path, Adapted],
) -> None:
    _, adapted = fixture_result
    assert rows(adapted, "ssd_cla_episodes") == [
        {"source_row": 2, "clae_cla_episode_id": "CLA:C6:2023-05-01", "clae_person_id": "C6",
         "clae_cla_episode_start_date": "2023-05-01", "clae_cla_episode_start_reason": "S",
         "clae_cla_primary_need_code": "N1", "clae_cla_id": "CLA:C6:2023-05-01",
         "clae_entered_care_date": "2023-05-01"},
        {"source_row": 3, "clae_cla_episode_id": "CLA:C7:2022-01-01", "clae_person_id": "C7",
         "clae_cla_episode_start_date": "2022-01-01", "clae_cla_episode_start_reason": "S",
         "clae_cla_primary_need_code": "N2", "clae_cla_episode_ceased": "2024-01-05",
         "clae_cla_episode_ceased_reason": "E4A", "clae_cla_id": "CLA:C7:2022-01-01",
         "clae_entered_care_date": "2022-01-01"},
    ]  # fmt: skip
    assert rows(adapted, "ssd_cla_placement") == [
        {"source_row": 2, "clap_cla_placement_id": "PLA:C6:2023-09-01",
         "clap_cla_id": "CLA:C6:2023-05-01", "clap_person_id": "C6",
         "clap_cla_placement_start_date": "2023-09-01", "clap_cla_placement_type": "U6",
         "clap_cla_placement_provider": "PR4"},
        {"source_row": 3, "clap_cla_placement_id": "PLA:C7:2022-01-01",
         "clap_cla_id": "CLA:C7:2022-01-01", "clap_person_id": "C7",
         "clap_cla_placement_start_date": "2022-01-01",
         "clap_cla_placement_end_date": "2024-01-05", "clap_cla_placement_type": "P1",
         "clap_cla_placement_provider": "PR0"},
    ]  # fmt: skip
    assert rows(adapted, "ssd_legal_status") == [
        {"source_row": 2, "lega_legal_status_id": "LS:C6:2023-06-01", "lega_person_id": "C6",
         "lega_legal_status": "C2", "lega_legal_status_start_date": "2023-06-01"},
        {"source_row": 3, "lega_legal_status_id": "LS:C7:2022-01-01", "lega_person_id": "C7",
         "lega_legal_status": "V3", "lega_legal_status_start_date": "2022-01-01",
         "lega_legal_status_end_date": "2024-01-05"},
    ]  # fmt: skip
    # The postcode is never carried, and said so once for the sheet.
    assert notes(adapted, "identifier_not_carried") == [
        ("List 3 (Referrals), sheet 'List_3'", 2, "Allocated Worker", None, "not_used"),
        ("List 8 (Children in care), sheet 'List 8'", 1, "Placement postcode", None, "not_used"),
    ]  # fmt: skip
    frames = [t.frame for t in adapted.tables]
    assert not any("nope" in str(f.to_dicts()) for f in frames)
    assert not any("Worker One" in str(f.to_dicts()) for f in frames)


def test_care_leavers_newer_layout(fixture_result: tuple[Path, Adapted]) -> None:
    _, adapted = fixture_result
    leavers = rows(adapted, "ssd_care_leavers")
    adviser = leavers[0].pop("clea_care_leaver_personal_advisor")
    assert isinstance(adviser, str) and adviser.startswith("PA:") and "Adviser" not in adviser
    assert leavers == [
        {"source_row": 2, "clea_table_id": "CL:C8", "clea_person_id": "C8",
         "clea_care_leaver_eligibility": "Former Relevant", "clea_care_leaver_in_touch": "YES",
         "clea_care_leaver_latest_contact": "2024-01-02",
         "clea_care_leaver_accommodation": "U", "clea_care_leaver_accom_suitable": "1",
         "clea_care_leaver_activity": "G5", "clea_pathway_plan_review_date": "2023-12-01",
         "clea_care_leaver_allocated_team": "Leaving Care"},
        {"source_row": 3, "clea_table_id": "CL:C9", "clea_person_id": "C9",
         "clea_care_leaver_eligibility": "Qualifying", "clea_care_leaver_in_touch": "REFU",
         "clea_care_leaver_accommodation": "B", "clea_care_leaver_accom_suitable": "2",
         "clea_care_leaver_activity": "F1", "clea_care_leaver_allocated_team": "Leaving Care"},
    ]  # fmt: skip


def test_unused_lists_are_noted(fixture_result: tuple[Path, Adapted]) -> None:
    _, adapted = fixture_result
    assert [(n.location, n.action) for n in adapted.notes if n.rule == "list_not_used"] == [
        ("List 2 (Early help), sheet 'List 2'", "not_used"),
        ("List 11 (Adopters), sheet 'List 11'", "not_used"),
    ]
    tables = {t.table for t in adapted.tables}
    assert tables <= set(annex_a.PROVIDES)
    # Adopters are not children.
    assert "AD1" not in {r["pers_person_id"] for r in rows(adapted, "ssd_person")}


def test_staging_rejects_only_the_planted_defects(fixture_result: tuple[Path, Adapted]) -> None:
    """Every other row passes staging; the impossible date, the formula without a value and
    the unknown need code are in the quarantine with their row and column."""
    _, adapted = fixture_result
    assert staged_issues(adapted) == {
        ("ssd_contacts", 6, "cont_contact_date", "invalid_date", "31/02/2024"),
        ("ssd_contacts", 8, "cont_contact_date", "blank_required", None),
        ("ssd_cin_episodes", 3, "cine_cin_primary_need_code", "unknown_code", "PSRMEM"),
    }


def test_provides_and_limits_name_real_contract_columns() -> None:
    for table, columns in annex_a.PROVIDES.items():
        assert columns <= set(TABLES_BY_NAME[table].column_names), table
    for key in annex_a.LIMITS:
        assert key in TABLES_BY_NAME or any(
            key in t.column_names for t in TABLES_BY_NAME.values()
        ), key
    # A column the format provides is not also listed as impossible.
    provided = set().union(*annex_a.PROVIDES.values())
    assert not provided & {"cont_contact_outcome_json", "cina_assessment_worker_id"}


# --- detection and unusable files --------------------------------------------------------


def test_claims_by_name_or_by_its_sheets(tmp_path: Path) -> None:
    lists = openpyxl.Workbook()
    assert lists.active is not None
    lists.active.title = "List 1"
    lists.create_sheet("List_3")
    lists.save(tmp_path / "monthly_lists.xlsx")
    other = openpyxl.Workbook()
    assert other.active is not None
    other.active.title = "ssd_contacts"
    other.save(tmp_path / "ssd_contacts.xlsx")
    assert ADAPTER.claims(tmp_path / "Annex_A_2024_Jan.xlsx")
    assert ADAPTER.claims(tmp_path / "annex a march.XLSX")
    assert ADAPTER.claims(tmp_path / "annexa_example.xlsx")
    assert ADAPTER.claims(tmp_path / "monthly_lists.xlsx")
    assert not ADAPTER.claims(tmp_path / "ssd_contacts.xlsx")
    assert not ADAPTER.claims(tmp_path / "~$Annex_A.xlsx")
    assert not ADAPTER.claims(tmp_path / "Annex_A.csv")


def test_legacy_xls_and_broken_files_are_rejected_whole(tmp_path: Path) -> None:
    legacy = tmp_path / "Annex_A_2005.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0 not really a workbook")
    assert ADAPTER.claims(legacy)
    with pytest.raises(FileLevelError, match=r"\.xls workbook"):
        ADAPTER.adapt([legacy], EXTRACT_DATE)
    broken = tmp_path / "Annex_A.xlsx"
    broken.write_text("id,date\n1,2024-01-01\n")
    with pytest.raises(FileLevelError, match="cannot be opened"):
        ADAPTER.adapt([broken], EXTRACT_DATE)


def test_a_list_without_its_key_date_column_is_rejected(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "List 3"
    sheet.append(["Child Unique ID", "Gender", "Referral Source"])
    sheet.append(["C1", "a) Male", "q) 6: Police"])
    book.save(tmp_path / "Annex_A.xlsx")
    with pytest.raises(FileLevelError) as raised:
        ADAPTER.adapt([tmp_path / "Annex_A.xlsx"], EXTRACT_DATE)
    assert raised.value.column == "referral_date"
    assert "List 3" in str(raised.value)


# --- the public samples ------------------------------------------------------------------


def _count_rows(path: Path, sheet: str, header_row: int = 1) -> int:
    """Rows with a child id below the header, counted straight from the workbook (an
    independent check of the adapter's reading)."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return sum(
            1
            for row in book[sheet].iter_rows(min_row=header_row + 1, values_only=True)
            if row and row[0] is not None
        )
    finally:
        book.close()


def _table_rows(adapted: Adapted, table: str) -> int:
    return sum(t.frame.height for t in adapted.tables if t.table == table)


@pytest.mark.parametrize(
    "relative",
    ["liia-tools/annex_a/Annex_A.xlsx", "liia-tools-pipeline/annex_a/Annex_A_2024_Jan.xlsx"],
)
def test_liia_messy_workbooks(relative: str) -> None:
    path = _sample(relative)
    assert ADAPTER.claims(path)
    adapted = ADAPTER.adapt([path], EXTRACT_DATE)
    for table, sheets in {
        "ssd_contacts": ["List 1"],
        "ssd_cin_episodes": ["List 3", "List 6"],  # no List 6 episode starts on a referral day
        "ssd_cin_assessments": ["List 4"],
        "ssd_s47_enquiry": ["List 5"],
        "ssd_cp_plans": ["List 7"],
        "ssd_cla_episodes": ["List 8"],
        "ssd_care_leavers": ["List 9"],
    }.items():
        assert _table_rows(adapted, table) == sum(_count_rows(path, s) for s in sheets), table
    # Read by hand: 5 contacts, List 5 rows 2, 3 and 6 have a conference date.
    assert _table_rows(adapted, "ssd_contacts") == 5
    assert _table_rows(adapted, "ssd_initial_cp_conference") == 3
    # The deliberate defects. In the quarantine: List 6 row 2's need code 'PSRMEM - Support
    # with memory and cognition' is not a CIN code.
    assert staged_issues(adapted) == {
        ("ssd_cin_episodes", 2, "cine_cin_primary_need_code", "unknown_code", "PSRMEM")
    }
    # As notes: '#N/A' teams on List 6 rows 2-6, the blank date of birth of child 11973218
    # (List 1 row 3, in no other list), 'CS Assessment Updated' answering a yes/no question on
    # List 4 rows 2-6, the postcode column (values such as 'nope' never carried).
    assert [(n[1], n[3]) for n in notes(adapted, "excel_error")] == [
        (row, "#N/A") for row in range(2, 7)
    ]
    assert notes(adapted, "blank_date_of_birth") == [
        ("List 1 (Contacts), sheet 'List 1'", 3, "Date of Birth", None, "not_mapped")
    ]
    assert [(n[1], n[3]) for n in notes(adapted, "not_yes_no")] == [
        (row, "CS Assessment Updated") for row in range(2, 7)
    ]
    assert ("List 8 (Children in care), sheet 'List 8'", 1, "Placement postcode", None,
            "not_used") in notes(adapted, "identifier_not_carried")  # fmt: skip
    # 'Female' and 'b) Female' are the same code.
    people = pl.concat([t.frame for t in adapted.tables if t.table == "ssd_person"])
    assert people.filter(pl.col("pers_person_id").is_in(["9212044", "11973218"]))[
        "pers_sex"
    ].to_list() == ["F", "F"]
    # The formulas in Lists 10 and 11 have saved values: nothing to note (the lists are unused).
    assert notes(adapted, "excel_formula_no_value") == []


def test_liia_2024_list_9_newer_columns_are_read() -> None:
    path = _sample("liia-tools-pipeline/annex_a/Annex_A_2024_Jan.xlsx")
    adapted = ADAPTER.adapt([path], EXTRACT_DATE)
    assert notes(adapted, "unknown_header") == []
    sheet = next(s for s in annex_a._Reader(path).read().lists if s.list_no == 9)
    assert {"personal_adviser", "pathway_plan", "latest_contact"} <= set(sheet.fields)


def test_child_event_journeys_example() -> None:
    path = _sample("child-event-journeys/annexa_example.xlsx")
    adapted = ADAPTER.adapt([path], EXTRACT_DATE)
    contacts = rows(adapted, "ssd_contacts")
    assert len(contacts) == _count_rows(path, "List_1") == 13
    # Row 3's date is the formula =F2+3 with its saved value (9 + 3 January 2019).
    assert contacts[1] == {
        "source_row": 3,
        "cont_contact_id": "CON:2222:2019-01-12:",
        "cont_person_id": "2222",
        "cont_contact_date": "2019-01-12",
    }
    # Child 2547's List 5 row 4 has an ICPC date but no strategy discussion date.
    assert staged_issues(adapted) == {
        ("ssd_s47_enquiry", 4, "s47e_s47_start_date", "blank_required", None)
    }
    # The journey of child 4444: contact, referral, s47, CP plan, CIN.
    assert _table_rows(adapted, "ssd_cp_plans") == 3
    assert [r["cine_referral_date"] for r in rows(adapted, "ssd_cin_episodes")
            if r["cine_person_id"] == "4444"] == ["2019-03-15", "2019-07-01"]  # fmt: skip


def test_sfdata_template_workbooks_with_a_title_row() -> None:
    path = _sample("sfdata-annexa-clean/examples/2015-01-sample.xlsx")
    adapted = ADAPTER.adapt([path], EXTRACT_DATE)
    referrals = rows(adapted, "ssd_cin_episodes")
    # The header is on row 2 below the title 'List 3: Referral'; data rows 3-7.
    assert [r["source_row"] for r in referrals] == [3, 4, 5, 6, 7]
    assert [r["cine_referral_nfa"] for r in referrals] == ["Y", "N", "Y", "N", "N"]
    # 'School' and 'Health' are not CIN referral source codes: cleared and recorded.
    assert staged_issues(adapted) == {
        ("ssd_cin_episodes", row, "cine_referral_source_code", "unknown_code", value)
        for row, value in ((3, "School"), (4, "Health"), (6, "School"), (7, "School"))
    }
    # Police is the label of exactly one code, 6.
    assert [r["cine_referral_source_code"] for r in referrals][2] == "6"


def test_sfdata_example_b_bad_date_of_birth_reaches_the_quarantine() -> None:
    path = _sample("sfdata-annexa-clean/examples/example-B-2004.xlsx")
    adapted = ADAPTER.adapt([path], EXTRACT_DATE)
    assert staged_issues(adapted) == {
        ("ssd_person", 10, "pers_dob", "unrecognised_date", "May be 8 Jan 2000")
    }
    assert rows(adapted, "ssd_contacts")[0]["cont_contact_source_code"] == "6"  # 'POLICE'


def test_sfdata_matcher_report_agrees_with_the_header_matching() -> None:
    """The cleaner's expected matcher report pairs each template column with the header found
    in the example workbooks; the adapter must read both as the same field. Its 'unmatched'
    pairs (curly against straight quotes) are matched here."""
    report = _sample("sfdata-annexa-clean/expected/report.xlsx")
    book = openpyxl.load_workbook(report, read_only=True, data_only=True)
    try:
        lines = list(book["MatchReport"].iter_rows(min_row=2, values_only=True))
    finally:
        book.close()
    checked = 0
    for _file, _key, _start, sheet, _table, column, header, _pos, unmatched, comment in lines:
        number = list_number(str(sheet or ""))
        if number is None or column is None or header is None or unmatched or comment:
            continue
        if {column, header} == {"Gender", "Ethnicity"}:
            continue  # swapped by hand in the report "just because we can" (its comment)
        assert match_header(number, header) == match_header(number, column), (sheet, header)
        checked += 1
    assert checked > 300
    straight = "Was the child assessed as requiring LA children's social care support"
    curly = "Was the child assessed as requiring LA children’s social care support"
    assert match_header(4, straight) == match_header(4, curly) == "assessment_in_need"
