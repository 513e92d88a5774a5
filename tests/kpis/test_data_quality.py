"""Golden tests: data quality. Every expected number is worked out by hand below.

Two extracts:

- A defective one (Wed 17 May 2023) with defects planted on purpose: an impossible date, blank
  required ids, an exact repeat, two rows sharing an id with different values, unrecognised codes
  and orphan references. The harness refuses such a fixture, so ``load_with_defects`` below loads
  it exactly as the harness does (the ingest functions, then the engine) without that check, and
  also returns what the ingest put in quarantine so the planted defects are checked first.
- A clean one (Fri 30 June 2023) for the assessment, ICPC and placement checks, through the
  ordinary harness.

The quarantine KPIs describe the extract as a whole: one value per extract, at the latest period
end (Sunday or month end) on or before the extract date. For the 17 May extract that is Sunday
14 May 2023: the week, rolling_12m and ytd periods ending that day hold the value; earlier
periods of this extract's series hold none.
"""

import datetime as dt
from pathlib import Path

import pytest

from pipelines.lib import ingest, warehouse
from pipelines.lib.calendar import install_calendar
from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.kpi.engine import compute_extract
from tests.conftest import LA_YAML, write_extract
from tests.kpis.harness import KpiOutput, run_kpis

Issue = tuple[str, int, str, str, str]  # table, spreadsheet row, column, rule, action


def load_with_defects(
    tmp_path: Path, tables: dict[str, str], extract_date: str, kpi_ids: list[str]
) -> tuple[KpiOutput, list[Issue]]:
    """The harness's load (tests/kpis/harness.py run_kpis), allowing defects in the fixture.

    Returns the KPI output and every quarantine row of the extract, ordered by table, row and
    column, so a test can check that exactly the planted defects were found."""
    inbox = tmp_path / "inbox"
    write_extract(inbox, "900", extract_date, tables, la_yaml=LA_YAML)
    definitions = [k for k in load_definitions() if k.id in kpi_ids]
    assert len(definitions) == len(kpi_ids), "unknown KPI id in the test"
    la = ingest.scan_la(inbox, "900")
    assert la.config is not None, la.config_error
    day = dt.date.fromisoformat(extract_date)
    with warehouse.connect(tmp_path / "csc.duckdb", write=True) as con:
        warehouse.ensure_schema(con)
        install_calendar(con)
        ingest.save_la_config(con, la.config)
        for extract in la.extracts:
            result = ingest.receive_extract(con, extract)
            assert result.status == "received", result.file_errors
        ingest.stage_received(con, "900")
        issues = con.execute(
            """select table_name, source_row, column_name, rule, action from stg.quarantine
               order by table_name, source_row, column_name"""
        ).fetchall()
        compute_extract(con, definitions, "900", day)
        values = con.execute("select * from kpi.kpi_values where extract_date = ?", [day]).pl()
        by_dimension = con.execute(
            "select * from kpi.kpi_values_by_dimension where extract_date = ?", [day]
        ).pl()
        availability = con.execute(
            "select * from kpi.kpi_availability where extract_date = ?", [day]
        ).pl()
    return KpiOutput(values, by_dimension, availability), issues


# ---------------------------------------------------------------------------------------------
# The defective extract (Wed 17 May 2023)
# ---------------------------------------------------------------------------------------------

DEFECT_EXTRACT = "2023-05-17"
LATEST = "2023-05-14"  # the latest Sunday or month end on or before Wed 17 May

# Spreadsheet rows: the header is row 1, the first data row is row 2.
# Row 4 (P3): sex "X" is not a code -> value cleared, row kept.
PERSON = """
pers_person_id,pers_sex,pers_ethnicity,pers_dob,pers_death_date
P1,F,WBRI,2015-03-01,
P2,M,WBRI,2016-02-01,
P3,X,WBRI,2010-11-30,
P4,F,,2012-05-05,
P5,U,,2011-01-01,
"""
# 40 data rows (spreadsheet rows 2-41). Rows 2-34: 33 clean contacts K01..K33, K<n> for child
# P<n mod 5 + 1> (so K01 is P2's). Rows 35-41, the planted defects:
CONTACTS = (
    "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code\n"
    + "".join(f"K{n:02d},P{n % 5 + 1},2023-05-02 09:00,6\n" for n in range(1, 34))
    + "K34,P9,2023-05-10,6\n"  # row 35: orphan child P9 (kept, flagged)
    + "K35,P9,2023-05-11,ZZ\n"  # row 36: orphan P9 and unknown code ZZ (kept: flagged + cleared)
    + "K36,P1,2023-05-12,2a\n"  # row 37: clean ("2a" is code 2A, compared case-insensitively)
    + "K37,P2,2023-05-12,99\n"  # row 38: unknown code 99 (value cleared, row kept)
    + ",P1,2023-05-13,XX\n"  # row 39: blank contact id (rejected); its code XX is also cleared
    + "K38,,2023-02-30,6\n"  # row 40: blank child and 30 February: two defects, one rejected row
    + "K01,P2,2023-05-02 09:00,6\n"  # row 41: exact repeat of row 2 (K01): dropped
)
REFERRALS = """
cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_nfa,cine_close_reason,cine_close_date,cine_referral_team
R01,P1,2023-04-03,N1,1A,N,,,T1
R02,P2,2023-04-14,N1,,N,,,T1
R03,P3,2023-04-20,N1,3a,N,,,T2
R04,P4,2023-05-02,N1,QQ,N,,,T2
R05,P5,09/05/2023,N1,6,N,,,T2
R06,P1,2023-05-10,N1,8,N,,,T1
R06,P1,2023-05-10,N1,9,N,,,T1
R07,P9,2023-05-12,N1,,N,,,
R08,P2,2022-05-14,N1,2B,N,,,T1
"""
# Referral rows: R02 (row 3) has no source; R04 (row 5) QQ is cleared to blank; rows 7 and 8 share
# id R06 with different sources (8 / 9): both rejected; R07 (row 9) is for P9, not in ssd_person
# (orphan, kept) and has no source and no team. R05's DD/MM/YYYY date is fine (9 May).
ASSESSMENTS = """
cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_child_seen,cina_assessment_auth_date,cina_assessment_outcome_nfa,cina_assessment_team,cina_assessment_worker_id
A1,P1,R01,2023-04-03,Y,2023-05-02,N,T1,W1
A2,P9,R99,2023-04-05,Y,,N,T2,W1
"""
# A2 (row 3) points at child P9 and referral R99, neither in the extract: two flags, one row.

PLANTED: list[Issue] = [
    ("ssd_cin_assessments", 3, "cina_person_id", "orphan_reference", "row_flagged"),
    ("ssd_cin_assessments", 3, "cina_referral_id", "orphan_reference", "row_flagged"),
    ("ssd_cin_episodes", 5, "cine_referral_source_code", "unknown_code", "value_cleared"),
    ("ssd_cin_episodes", 7, "cine_referral_id", "duplicate_id", "row_rejected"),
    ("ssd_cin_episodes", 8, "cine_referral_id", "duplicate_id", "row_rejected"),
    ("ssd_cin_episodes", 9, "cine_person_id", "orphan_reference", "row_flagged"),
    ("ssd_contacts", 35, "cont_person_id", "orphan_reference", "row_flagged"),
    ("ssd_contacts", 36, "cont_contact_source_code", "unknown_code", "value_cleared"),
    ("ssd_contacts", 36, "cont_person_id", "orphan_reference", "row_flagged"),
    ("ssd_contacts", 38, "cont_contact_source_code", "unknown_code", "value_cleared"),
    ("ssd_contacts", 39, "cont_contact_id", "blank_required", "row_rejected"),
    ("ssd_contacts", 39, "cont_contact_source_code", "unknown_code", "value_cleared"),
    ("ssd_contacts", 40, "cont_contact_date", "invalid_date", "row_rejected"),
    ("ssd_contacts", 40, "cont_person_id", "blank_required", "row_rejected"),
    ("ssd_contacts", 41, "cont_contact_id", "duplicate_row", "duplicate_dropped"),
    ("ssd_person", 4, "pers_sex", "unknown_code", "value_cleared"),
]

# Hand working, per table (rows read / rows lost / orphan rows / values cleared):
#   ssd_person           5 read, 0 lost, 0 orphan rows, 1 cleared (row 4)
#   ssd_contacts        40 read, 3 lost (rows 39, 40 - two defects, one row - and the repeat 41)
#                          -> 3 / 40 = 7.5%; 2 orphan rows (35, 36); 3 cleared (36, 38 and 39,
#                          the last in a rejected row: every cleared value counts)
#   ssd_cin_episodes     9 read, 2 lost (rows 7 and 8, conflicting R06) -> 2 / 9 = 22.222222%;
#                          1 orphan row (9); 1 cleared (5)
#   ssd_cin_assessments  2 read, 0 lost, 1 orphan row (3, two broken links), 0 cleared
#   all tables          56 read, 5 lost -> 5 / 56 = 8.928571%; 4 orphan rows; 5 cleared
#
# dq_referrals_unknown_source_pct (staged referrals, R06 rejected, by referral date):
#   R08 2022-05-14 2B known        R01 2023-04-03 1A known     R02 2023-04-14 blank: unknown
#   R03 2023-04-20 3A known        R04 2023-05-02 QQ cleared: unknown
#   R05 2023-05-09 6 known         R07 2023-05-12 blank: unknown
#   - month April 2023: R01, R02, R03 -> 1 / 3 = 33.333333
#   - week 1-7 May: R04 -> 1 / 1 = 100;   week 8-14 May: R05, R07 -> 1 / 2 = 50
#   - rolling_12m ending Sun 14 May 2023 = 15 May 2022 .. 14 May 2023: R08 (14 May 2022) is out
#     -> R01..R05, R07: unknown R02, R04, R07 -> 3 / 6 = 50; ytd (from 1 April 2023) the same
#   - rolling_12m ending 30 April 2023 = 1 May 2022 .. 30 April 2023: R08, R01, R02, R03 -> 1 / 4
#   - by team, rolling_12m to 14 May: T1 R01, R02 -> 1/2; T2 R03, R04, R05 -> 1/3; no team R07
#     -> 1/1. Service areas (LA_YAML): T1 front_door, T2 fieldwork.

DEFECT_KPIS = [
    "dq_rows_rejected_pct",
    "dq_orphan_rows",
    "dq_values_cleared",
    "dq_referrals_unknown_source_pct",
    "dq_icpc_without_enquiry",
    "dq_cla_without_placement_pct",
]


@pytest.fixture(scope="module")
def defective(tmp_path_factory: pytest.TempPathFactory) -> tuple[KpiOutput, list[Issue]]:
    return load_with_defects(
        tmp_path_factory.mktemp("data_quality_defects"),
        {
            "ssd_person": PERSON,
            "ssd_contacts": CONTACTS,
            "ssd_cin_episodes": REFERRALS,
            "ssd_cin_assessments": ASSESSMENTS,
        },
        DEFECT_EXTRACT,
        DEFECT_KPIS,
    )


@pytest.fixture(scope="module")
def bad(defective: tuple[KpiOutput, list[Issue]]) -> KpiOutput:
    return defective[0]


def test_the_ingest_found_exactly_the_planted_defects(
    defective: tuple[KpiOutput, list[Issue]],
) -> None:
    assert defective[1] == PLANTED


def test_rows_rejected_pct(bad: KpiOutput) -> None:
    # One value per extract, at Sunday 14 May (the extract is dated Wednesday 17 May).
    assert bad.row("dq_rows_rejected_pct", "week", LATEST) == (5, 56, 8.928571)
    assert bad.row("dq_rows_rejected_pct", "rolling_12m", LATEST) == (5, 56, 8.928571)
    assert bad.row("dq_rows_rejected_pct", "ytd", LATEST) == (5, 56, 8.928571)
    assert bad.dimension("dq_rows_rejected_pct", "table_name", "week", LATEST) == {
        "ssd_person": (0, 5, 0),
        "ssd_contacts": (3, 40, 7.5),
        "ssd_cin_episodes": (2, 9, 22.222222),
        "ssd_cin_assessments": (0, 2, 0),
    }


def test_per_extract_kpis_have_one_value_at_the_latest_period_end(bad: KpiOutput) -> None:
    # They describe the extract itself (per_extract): no rows for earlier periods. The extract
    # date (a Wednesday) is no period end, so the value sits at Sunday 14 May.
    for kpi in ("dq_rows_rejected_pct", "dq_orphan_rows", "dq_values_cleared"):
        rows = bad.values.filter(bad.values["kpi_id"] == kpi)
        assert {d.isoformat() for d in rows["period_end"]} == {LATEST}, kpi
        assert set(rows["grain"]) == {"week", "rolling_12m", "ytd"}, kpi


def test_orphan_rows(bad: KpiOutput) -> None:
    assert bad.row("dq_orphan_rows", "week", LATEST) == (4, None, 4)
    assert bad.row("dq_orphan_rows", "rolling_12m", LATEST) == (4, None, 4)
    assert bad.dimension("dq_orphan_rows", "table_name", "week", LATEST) == {
        "ssd_person": (0, None, 0),
        "ssd_contacts": (2, None, 2),
        "ssd_cin_episodes": (1, None, 1),
        "ssd_cin_assessments": (1, None, 1),  # one row with two broken links counts once
    }


def test_values_cleared(bad: KpiOutput) -> None:
    assert bad.row("dq_values_cleared", "week", LATEST) == (5, None, 5)
    assert bad.row("dq_values_cleared", "ytd", LATEST) == (5, None, 5)
    assert bad.dimension("dq_values_cleared", "table_name", "rolling_12m", LATEST) == {
        "ssd_person": (1, None, 1),
        "ssd_contacts": (3, None, 3),
        "ssd_cin_episodes": (1, None, 1),
        "ssd_cin_assessments": (0, None, 0),
    }


def test_referrals_unknown_source_pct(bad: KpiOutput) -> None:
    kpi = "dq_referrals_unknown_source_pct"
    assert bad.row(kpi, "month", "2023-04-30") == (1, 3, 33.333333)
    assert bad.row(kpi, "week", "2023-05-07") == (1, 1, 100)
    assert bad.row(kpi, "week", "2023-05-14") == (1, 2, 50)
    assert bad.row(kpi, "rolling_12m", "2023-05-14") == (3, 6, 50)
    assert bad.row(kpi, "ytd", "2023-05-14") == (3, 6, 50)
    assert bad.row(kpi, "rolling_12m", "2023-04-30") == (1, 4, 25)
    assert bad.row(kpi, "month", "2022-05-31") == (0, 1, 0)  # R08, known
    assert bad.dimension(kpi, "team", "rolling_12m", "2023-05-14") == {
        "T1": (1, 2, 50),
        "T2": (1, 3, 33.333333),
        None: (1, 1, 100),
    }
    assert bad.dimension(kpi, "service_area", "rolling_12m", "2023-05-14") == {
        "front_door": (1, 2, 50),
        "fieldwork": (1, 3, 33.333333),
        None: (1, 1, 100),
    }


def test_kpis_whose_tables_are_absent_are_not_available(bad: KpiOutput) -> None:
    for kpi in ("dq_icpc_without_enquiry", "dq_cla_without_placement_pct"):
        available, reason = bad.available(kpi)
        assert available is False
        assert reason is not None and "absent" in reason
    for kpi in DEFECT_KPIS[:4]:
        assert bad.available(kpi) == (True, None)


# ---------------------------------------------------------------------------------------------
# The clean extract (Fri 30 June 2023): assessments, ICPCs, children in care
# ---------------------------------------------------------------------------------------------

CLEAN_EXTRACT = "2023-06-30"

ASSESSMENTS_90D = """
cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_child_seen,cina_assessment_auth_date,cina_assessment_outcome_nfa,cina_assessment_team,cina_assessment_worker_id
X1,C1,,2023-03-02,Y,,,T1,W1
X2,C2,,2023-03-03,Y,,,T2,W1
X3,C3,,2022-03-02,Y,,,T1,W1
X4,C4,,2022-03-03,Y,2022-05-01,N,T1,W1
X5,C5,,2023-01-10,Y,2023-05-31,N,T2,W1
X6,C6,,2023-02-01,Y,2023-06-15,N,T1,W1
X7,C7,,,Y,2023-04-01,N,T1,W1
X8,C8,,2022-12-01,Y,2023-01-20,N,T2,W1
X9,C9,,2023-04-01,,,,T2,W1
"""
# dq_assessments_unauthorised_90d_pct: cohort at D = start in (months_before(D - 90, 12), D - 90];
# numerator: no authorisation dated on or before D.
# - D = Wed 31 May 2023: D - 90 = 2 March 2023 (31 May -> 2 May is 29 days, -> 2 April 30,
#   -> 2 March 31: 90). Window (2 March 2022, 2 March 2023]:
#     X1 2 Mar 2023 = D - 90, its last day: in, unauthorised -> numerator
#     X2 3 Mar 2023: one day too young, out           X3 2 Mar 2022: the open lower bound, out
#     X4 3 Mar 2022: in, authorised 2022              X5 in, authorised on D itself: authorised
#     X6 in, authorised 15 June, after D: numerator   X7 no start date: never in
#     X8 in, authorised                               X9 1 April 2023: too young
#   -> 2 (X1, X6) / 5 (X1, X4, X5, X6, X8) = 40. By team: T1 X1, X4, X6 -> 2 / 3 = 66.666667;
#   T2 X5, X8 -> 0 / 2 = 0.
# - D = Sun 28 May 2023 (week): D - 90 = 27 February 2023 (28 May -> 28 April 30 days, -> 28 March
#   31, -> 28 February 28: 89, one more: 27 February). Window (27 Feb 2022, 27 Feb 2023]:
#   X3 (2 Mar 2022) in, unauthorised; X4 in, authorised; X5 in, authorised 31 May: not yet at D;
#   X6 in, unauthorised at D; X8 authorised; X1, X2, X9 too young -> 3 (X3, X5, X6) / 5 = 60.
# - D = Fri 30 June 2023: D - 90 = 1 April 2023 (30 June -> 31 May 30, -> 30 April 31, -> 1 April
#   29). Window (1 April 2022, 1 April 2023]: X1, X2 unauthorised; X9 (1 April 2023, the last day)
#   unauthorised; X5, X6 (authorised 15 June), X8 authorised; X3, X4 too old -> 3 / 6 = 50
#   (month, quarter and rolling_12m all take the value at 30 June).

S47 = """
s47e_s47_enquiry_id,s47e_referral_id,s47e_person_id,s47e_s47_start_date,s47e_s47_end_date,s47e_s47_nfa
E1,,C1,2023-04-03,2023-04-20,N
E2,,C6,2023-05-02,2023-05-15,N
"""
ICPC = """
icpc_icpc_id,icpc_s47_enquiry_id,icpc_person_id,icpc_cp_plan_id,icpc_icpc_transfer_in,icpc_icpc_target_date,icpc_icpc_date,icpc_icpc_outcome_cp_flag
I1,E1,C1,,N,,2023-04-20,Y
I2,,C2,,,,2023-04-25,N
I3,E9,C3,,N,,2023-05-10,Y
I4,,C4,,Y,,2023-05-12,Y
I5,,C5,,N,2023-05-20,,
I6,E2,C6,,N,,2023-05-15,Y
I7,,C7,,N,,2023-06-05,Y
I8,E9,C8,,N,,2022-06-10,Y
I9,,C9,,,,2023-06-30,N
"""
# dq_icpc_without_enquiry: held, not transfer-ins, no enquiry in the extract:
#   I1, I6 linked to E1, E2: not counted.     I2 blank link, blank transfer-in: counted (25 Apr)
#   I3 linked to E9, not in the extract: counted (10 May; the ingest flags it, the row is kept)
#   I4 transfer-in: not counted.              I5 not held (no date): not counted
#   I7 blank link: counted (5 June)           I8 E9: counted (10 June 2022)
#   I9 blank link, blank transfer-in, no plan (outcome N): counted (30 June, the last day)
# - months: June 2022 1 (I8); April 2023 1 (I2); May 1 (I3); June 2 (I7, I9)
# - week 8-14 May: I3 -> 1 (I4 is a transfer-in); week 5-11 June: I7 -> 1
# - quarter April-June 2023: I2, I3, I7, I9 -> 4
# - rolling_12m to 30 June 2023 = 1 July 2022 .. 30 June 2023: I8 out -> 4
# - rolling_12m to 31 May 2023 = 1 June 2022 .. 31 May 2023: I8, I2, I3 -> 3
# Cross-check with icpc_15wd_pct, which leaves exactly these ICPCs out: in April-June 2023 it
# counts I1 (E1 Mon 3 Apr -> Thu 20 Apr: 4, 5, 6, Good Friday and Easter Monday skipped, 11-14,
# 17-20 = 11 working days, on time) and I6 (E2 Tue 2 May -> Mon 15 May: 3, 4, 5, Coronation
# Monday skipped, 9-12, 15 = 8, on time) -> 2 / 2; 2 + 4 = the 6 held non-transfer-in ICPCs.

CLA_EPISODES = """
clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,clae_cla_primary_need_code,clae_cla_episode_ceased,clae_cla_episode_ceased_reason,clae_cla_id,clae_entered_care_date
EP1,C1,2023-01-10,S,N1,,,CL1,
EP2,C2,2023-02-01,S,N1,,,CL2,
EP3,C3,2023-03-01,S,N1,,,CL3,
EP4,C4,2023-03-01,S,N1,2023-05-31,E11,CL4,
EP5,C5,2023-01-05,S,N1,,,CL5,
EP6,C6,2023-05-20,S,N1,,,CL6,
EP7,C7,2023-06-30,S,N1,,,CL7,
"""
PLACEMENTS = """
clap_cla_placement_id,clap_cla_id,clap_person_id,clap_cla_placement_start_date,clap_cla_placement_end_date,clap_cla_placement_type,clap_cla_placement_provider,clap_cla_placement_change_reason
PL1,CL1,C1,2023-01-10,,U4,PR1,
PL2,CL2,C2,2023-02-01,2023-05-31,U4,PR1,
PL3,CL2,C2,2023-06-02,,K2,PR3,
PL4,CL4,C4,2023-03-01,2023-05-31,U1,PR1,
PL6,CL6,C6,2023-05-25,,U4,PR1,
"""
LEGAL = """
lega_legal_status_id,lega_person_id,lega_legal_status,lega_legal_status_start_date,lega_legal_status_end_date
LS1,C1,C2,2023-01-10,
LS5,C5,V3,2023-01-05,
"""
# dq_cla_without_placement_pct: children looked after at D (C5 never: V3 short breaks; C1's C2
# legal status does not exclude) with no placement open at the end of D:
# - D = Sun 30 April: C1, C2, C3, C4 looked after; C3 has no placement -> 1 / 4 = 25
# - D = Sun 21 May: C6 entered on 20 May, placed only from 25 May -> unplaced; C3 unplaced;
#   C1, C2 (until 31 May), C4 placed -> 2 / 5 = 40
# - D = Wed 31 May: C4's episode ceased on D (not looked after at the end of D); C2's placement
#   ended on D and the next starts 2 June -> unplaced; C3 unplaced; C1, C6 placed -> 2 / 4 = 50
# - D = Fri 30 June: C1, C2 (PL3), C6 placed; C3 and C7 (entered on D, no placement) -> 2 / 5 = 40
# Rows read: 9 assessments + 2 enquiries + 9 ICPCs + 7 episodes + 5 placements + 2 legal = 34.

CLEAN_KPIS = [
    "dq_assessments_unauthorised_90d_pct",
    "dq_icpc_without_enquiry",
    "dq_cla_without_placement_pct",
    "dq_rows_rejected_pct",
    "dq_values_cleared",
    "dq_orphan_rows",
    "dq_referrals_unknown_source_pct",
    "icpc_15wd_pct",
]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("data_quality_clean"),
        {
            "ssd_cin_assessments": ASSESSMENTS_90D,
            "ssd_s47_enquiry": S47,
            "ssd_initial_cp_conference": ICPC,
            "ssd_cla_episodes": CLA_EPISODES,
            "ssd_cla_placement": PLACEMENTS,
            "ssd_legal_status": LEGAL,
        },
        CLEAN_EXTRACT,
        CLEAN_KPIS,
    )


def test_assessments_unauthorised_90d_pct(clean: KpiOutput) -> None:
    kpi = "dq_assessments_unauthorised_90d_pct"
    assert clean.row(kpi, "month", "2023-05-31") == (2, 5, 40)
    assert clean.row(kpi, "week", "2023-05-28") == (3, 5, 60)
    assert clean.row(kpi, "month", "2023-06-30") == (3, 6, 50)
    assert clean.row(kpi, "quarter", "2023-06-30") == (3, 6, 50)
    assert clean.row(kpi, "rolling_12m", "2023-06-30") == (3, 6, 50)
    assert clean.row(kpi, "rolling_12m", "2023-05-31") == (2, 5, 40)
    assert clean.dimension(kpi, "team", "month", "2023-05-31") == {
        "T1": (2, 3, 66.666667),
        "T2": (0, 2, 0),
    }


def test_icpc_without_enquiry(clean: KpiOutput) -> None:
    kpi = "dq_icpc_without_enquiry"
    assert clean.row(kpi, "month", "2022-06-30") == (1, None, 1)
    assert clean.row(kpi, "month", "2023-04-30") == (1, None, 1)
    assert clean.row(kpi, "month", "2023-05-31") == (1, None, 1)
    assert clean.row(kpi, "month", "2023-06-30") == (2, None, 2)
    assert clean.row(kpi, "week", "2023-05-14") == (1, None, 1)
    assert clean.row(kpi, "week", "2023-06-11") == (1, None, 1)
    assert clean.row(kpi, "quarter", "2023-06-30") == (4, None, 4)
    assert clean.row(kpi, "rolling_12m", "2023-06-30") == (4, None, 4)
    assert clean.row(kpi, "rolling_12m", "2023-05-31") == (3, None, 3)
    # The ICPCs the timeliness measure keeps and the ones this check counts make up the whole.
    assert clean.row("icpc_15wd_pct", "quarter", "2023-06-30") == (2, 2, 100)


def test_cla_without_placement_pct(clean: KpiOutput) -> None:
    kpi = "dq_cla_without_placement_pct"
    assert clean.row(kpi, "month", "2023-04-30") == (1, 4, 25)
    assert clean.row(kpi, "week", "2023-04-30") == (1, 4, 25)
    assert clean.row(kpi, "week", "2023-05-21") == (2, 5, 40)
    assert clean.row(kpi, "month", "2023-05-31") == (2, 4, 50)
    assert clean.row(kpi, "month", "2023-06-30") == (2, 5, 40)
    assert clean.row(kpi, "rolling_12m", "2023-06-30") == (2, 5, 40)


def test_a_clean_extract_has_nothing_rejected_or_cleared(clean: KpiOutput) -> None:
    # The extract is dated on a month end: its one value is at 30 June. The two orphan links to
    # E9 (I3, I8) are kept, so they are not rejections.
    assert clean.row("dq_rows_rejected_pct", "month", "2023-06-30") == (0, 34, 0)
    weeks = clean.values.filter(
        (clean.values["kpi_id"] == "dq_rows_rejected_pct") & (clean.values["grain"] == "week")
    )
    assert weeks.is_empty()  # 30 June 2023 is a Friday: no week ends on it
    assert clean.dimension("dq_rows_rejected_pct", "table_name", "quarter", "2023-06-30") == {
        "ssd_cin_assessments": (0, 9, 0),
        "ssd_s47_enquiry": (0, 2, 0),
        "ssd_initial_cp_conference": (0, 9, 0),
        "ssd_cla_episodes": (0, 7, 0),
        "ssd_cla_placement": (0, 5, 0),
        "ssd_legal_status": (0, 2, 0),
    }
    assert clean.row("dq_values_cleared", "month", "2023-06-30") == (0, None, 0)


def test_not_available_without_people_or_referrals(clean: KpiOutput) -> None:
    # No ssd_person: person links are not checked at all, so the orphan count is not available;
    # no ssd_cin_episodes: no referrals to look at.
    for kpi in ("dq_orphan_rows", "dq_referrals_unknown_source_pct"):
        available, reason = clean.available(kpi)
        assert available is False
        assert reason is not None and "absent" in reason
    for kpi in CLEAN_KPIS[:5]:
        assert clean.available(kpi) == (True, None)


def test_icpc_check_not_available_without_the_enquiry_table(tmp_path: Path) -> None:
    # Without ssd_s47_enquiry every conference would look unlinked: reported as not available.
    only = run_kpis(
        tmp_path, {"ssd_initial_cp_conference": ICPC}, CLEAN_EXTRACT, ["dq_icpc_without_enquiry"]
    )
    available, reason = only.available("dq_icpc_without_enquiry")
    assert available is False
    assert reason is not None and "ssd_s47_enquiry" in reason
