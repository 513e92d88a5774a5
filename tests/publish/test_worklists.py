"""Golden tests: managers' worklists. Every expected row is worked out by hand below.

Extract dated Wed 10 April 2024 (E). wd(a, b) = working days d with a < d <= b (the start day is
day 0), England bank holidays excluded. Holidays crossed here: Mon 25 and Tue 26 Dec 2023, Mon 1
Jan 2024, Good Friday 29 Mar 2024, Easter Monday 1 Apr 2024.

Working days counted back from E: Apr 10, 9, 8 (3), Apr 5, 4, 3, 2 (7; Apr 1 and Mar 29 are
holidays), Mar 28, 27, 26, 25 (11), Mar 22 (12), 21, 20, 19, 18 (16), Mar 15..11 (21), Mar 8..4
(26), Mar 1, Feb 29, 28, 27, 26 (31), Feb 23, 22, 21, 20 (35), Feb 19 (36), 16..12 (41), 9, 8,
7, 6 (45), 5 (46). So wd(start, E) = 35 for a start on Mon 19 Feb (the day before the 35th day
back), 34 for Tue 20 Feb, 45 for Mon 5 Feb, 46 for Fri 2 Feb, 12 for Thu 21 Mar, 11 for Fri 22
Mar, 13 for Wed 20 Mar, 20 for Mon 11 Mar.

Teams: T1 Assessment Team, T2 Safeguarding Team, T3 Children in Care Team (ssd_department).
Workers: W1 in T1; W2 moved from T1 to T2 on 1 Jan 2024 (ext_worker_periods), while its
involvements still say T1: its team at E is T2 (as caseload_avg); W3 has no worker period, so its
involvements' team T3 is used; P1 is a personal adviser (not an allocation).
"""

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from pipelines.lib.publish import worklists
from pipelines.lib.publish.worklists import WORKLIST_KEYS, build_worklists, write_worklists
from tests.kpis.harness import run_kpis

EXTRACT = "2024-04-10"
E = dt.date(2024, 4, 10)
LA = "900"

# A1 Mon 19 Feb: wd 35 -> in (at_35wd_plus); 45th wd = 10 more after E: Apr 11, 12, 15..19,
#    22, 23, 24 -> Wed 24 Apr; 10 to go. Own team T1, worker W1. Crosses Easter.
# A2 Tue 20 Feb: wd 34 -> out.
# A3 Mon 18 Dec 2023, no team or worker recorded: child allocated to W2 -> team T2, W2.
#    45th wd: Dec 19..22 (4), 25/26 holidays, 27..29 (7), 1 Jan holiday, Jan 2..5 (11), then
#    five a week to Feb 16 (41), Feb 19..22 (45) -> Thu 22 Feb. wd to E: 45 at Feb 22, Feb 23
#    (46), five a week to Mar 22 (66), Mar 25..28 (70), Apr 2..5 (74), Apr 8..10 (77): overdue,
#    45 - 77 = -32.
# A4 Mon 5 Feb: wd 45 -> at_35wd_plus (the KPI counts only > 45); due E, 0 to go.
# A5 Fri 2 Feb: wd 46 -> overdue; 45th wd = Tue 9 Apr; -1.
# A6 authorised on E: closed at the end of E -> out.
ASSESSMENTS = """
cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_child_seen,cina_assessment_auth_date,cina_assessment_outcome_nfa,cina_assessment_team,cina_assessment_worker_id
A1,CA1,,2024-02-19,Y,,,T1,W1
A2,CA2,,2024-02-20,Y,,,T1,W1
A3,CA3,,2023-12-18,Y,,,,
A4,CA4,,2024-02-05,Y,,,T1,W1
A5,CA5,,2024-02-02,Y,,,T1,W1
A6,CA6,,2023-12-18,Y,2024-04-10,N,T1,W1
"""

# S1 Thu 21 Mar: wd 12, deadline 3 wd away: 15th wd = Apr 11, 12, 15 -> Mon 15 Apr; due_soon.
#    Child unallocated: team of the enquiry's referral RS1, T1; no worker.
# S2 Fri 22 Mar: wd 11, 4 wd away -> out.
# S3 Mon 11 Mar: wd 20 -> overdue; 15th wd: Mar 12..15 (4), 18..22 (9), 25..28 (13), Apr 2 (14),
#    Apr 3 (15) -> Wed 3 Apr; 15 - 20 = -5. Worker W2 -> T2.
# S4 conference held 5 Apr -> out.  S5 ended with no further action -> out.
# S6 Wed 20 Mar, ended 28 Mar (not NFA) with a conference booked but not held: wd 13, 15th wd
#    = Apr 11 (14), Apr 12 (15) -> Fri 12 Apr; 2 to go; due_soon. Worker W1 -> T1.
# S7 ended 25 Mar (not NFA), no conference booked: read as concluded without one -> out.
S47 = """
s47e_s47_enquiry_id,s47e_referral_id,s47e_person_id,s47e_s47_start_date,s47e_s47_end_date,s47e_s47_nfa
S1,RS1,CS1,2024-03-21,,
S2,,CS2,2024-03-22,,
S3,,CS3,2024-03-11,,
S4,,CS4,2024-03-11,2024-04-05,N
S5,,CS5,2024-03-11,2024-03-20,Y
S6,,CS6,2024-03-20,2024-03-28,N
S7,,CS7,2024-03-11,2024-03-25,N
"""
ICPC = """
icpc_icpc_id,icpc_s47_enquiry_id,icpc_person_id,icpc_cp_plan_id,icpc_icpc_transfer_in,icpc_icpc_target_date,icpc_icpc_date,icpc_icpc_outcome_cp_flag
I4,S4,CS4,,N,2024-04-03,2024-04-05,N
I6,S6,CS6,,N,2024-04-12,,
"""

# CP visits: due = 10th wd after the last visit that saw the child since the latest plan
# started (else after the earliest open plan's start); overdue when wd(that, E) > 10.
# CV1 seen Wed 3 Apr: Apr 4, 5 (2), 8..12 (7), 15, 16, 17 (10) -> Wed 17 Apr, 7 days -> in.
#     (an earlier visit, 20 Mar, is not the last one). wd(Apr 3, E) = 5.
# CV2 seen Thu 4 Apr: 10th wd Thu 18 Apr, 8 days -> out.
# CV3 seen Tue 26 Mar: Mar 27, 28 (2), Easter, Apr 2..5 (6), 8..11 (10) -> Thu 11 Apr, 1 day,
#     wd 9: due_soon (without the two Easter holidays it would be overdue).
# CV4 seen Mon 25 Mar: 10th wd is E itself, wd 10, 0 days: due_soon (not yet missed).
# CV5 seen Fri 22 Mar: wd 11 -> overdue; 10th wd Tue 9 Apr, -1 day.
# CV6 plan from Mon 4 Mar; the visit of 8 Apr did not see the child and the one of 1 Mar is
#     before the plan: clock from Mar 4, wd 25 -> overdue; 10th wd: Mar 5..8 (4), 11..15 (9),
#     18 (10) -> Mon 18 Mar, -23 days. Worker W3 (no worker period) -> involvement team T3.
# CV7 plan from Mon 18 Mar, seen Wed 27 Mar: Mar 28 (1), Easter, Apr 2..5 (5), 8..12 (10) ->
#     Fri 12 Apr, 2 days, wd 8: due_soon. On an extract of Sun 14 Apr its wd is still 10 (no
#     working day since Friday) but the due date passed 2 days before: overdue, not due_soon.
# CR1..CR3 were seen on E: next visit Wed 24 Apr, 14 days -> out.
# CP reviews: CR1 plan 1 Dec 2023, no review: due 1 Mar 2024 (+3 months), -40 days: overdue.
# CR2 plan 20 Jan 2023, reviews 18 Apr 2023 and 17 Oct 2023: due 17 Apr 2024, 7 days -> in.
# CR3 plan 18 Jan 2024: due 18 Apr, 8 days -> out. The visit plans (1 Feb -> 1 May; 4 Mar ->
# 4 Jun) are not due. CR4's plan ended on E: not open, on no list.
CP_PLANS = """
cppl_cp_plan_id,cppl_person_id,cppl_icpc_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,cppl_cp_plan_initial_category,cppl_cp_plan_latest_category
PV1,CV1,,2024-02-01,,NEG,NEG
PV2,CV2,,2024-02-01,,NEG,NEG
PV3,CV3,,2024-02-01,,NEG,NEG
PV4,CV4,,2024-02-01,,NEG,NEG
PV5,CV5,,2024-02-01,,NEG,NEG
PV7,CV7,,2024-03-18,,NEG,NEG
PV6,CV6,,2024-03-04,,EMO,EMO
PR1,CR1,,2023-12-01,,NEG,NEG
PR2,CR2,,2023-01-20,,NEG,NEG
PR3,CR3,,2024-01-18,,NEG,NEG
PR4,CR4,,2023-06-01,2024-04-10,NEG,NEG
"""
CP_VISITS = """
cppv_cp_visit_id,cppv_person_id,cppv_cp_plan_id,cppv_cp_visit_date,cppv_cp_visit_seen,cppv_cp_visit_seen_alone
V1,CV1,PV1,2024-04-03,Y,N
V1B,CV1,PV1,2024-03-20,Y,N
V2,CV2,PV2,2024-04-04,Y,N
V3,CV3,PV3,2024-03-26,Y,N
V4,CV4,PV4,2024-03-25,Y,N
V5,CV5,PV5,2024-03-22,Y,N
V7,CV7,PV7,2024-03-27,Y,N
V6,CV6,PV6,2024-04-08,N,N
V6B,CV6,PV6,2024-03-01,Y,N
VR1,CR1,PR1,2024-04-10,Y,N
VR2,CR2,PR2,2024-04-10,Y,N
VR3,CR3,PR3,2024-04-10,Y,N
"""
CP_REVIEWS = """
cppr_cp_review_id,cppr_person_id,cppr_cp_plan_id,cppr_cp_review_due,cppr_cp_review_date
RV1,CR2,PR2,2023-04-20,2023-04-18
RV2,CR2,PR2,2023-10-18,2023-10-17
"""

# CLA reviews: first within 20 wd of entering care, the second 3 months after the first, then 6.
# CL1 entered Wed 13 Mar, no review: 20th wd Mar 14, 15 (2), 18..22 (7), 25..28 (11), Apr 2..5
#     (15), 8..12 (20) -> Fri 12 Apr, 2 days: due_soon.
# CL2 entered 2 Oct 2023, one review 20 Oct 2023: second due 20 Jan 2024; -81 days (Jan 20 ->
#     Feb 20 31, -> Mar 20 29, -> Apr 10 21): overdue.
# CL3 entered 3 May 2022, last review 9 Feb 2024: due 9 Aug -> out (and only a personal adviser:
#     on the unallocated list).
# CL4 entered 1 Jun 2023, reviews 26 Jun and 20 Sep 2023; the 15 Mar 2024 one was cancelled:
#     due 20 Mar 2024, -21 days: overdue.
# CL5 entered Fri 8 Mar: 20th wd Mar 11..15 (5), 18..22 (10), 25..28 (14), Apr 2..5 (18), 8, 9
#     (20) -> Tue 9 Apr; wd(Mar 8, E) = 21 > 20: overdue, -1 day.
CLA = """
clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,clae_cla_primary_need_code,clae_cla_episode_ceased,clae_cla_episode_ceased_reason,clae_cla_id,clae_entered_care_date
E1,CL1,2024-03-13,S,N1,,,LA1,2024-03-13
E2,CL2,2023-10-02,S,N1,,,LA2,2023-10-02
E3,CL3,2022-05-03,S,N1,,,LA3,2022-05-03
E4,CL4,2023-06-01,S,N1,,,LA4,2023-06-01
E5,CL5,2024-03-08,S,N1,,,LA5,2024-03-08
"""
CLA_REVIEWS = """
clar_cla_review_id,clar_cla_id,clar_cla_review_due_date,clar_cla_review_date,clar_cla_review_cancelled
LR2,LA2,2023-10-30,2023-10-20,N
LR3A,LA3,2022-05-31,2022-05-27,N
LR3B,LA3,2022-08-27,2022-08-25,N
LR3C,LA3,2023-02-25,2023-02-20,N
LR3D,LA3,2023-08-20,2023-08-18,N
LR3E,LA3,2024-02-18,2024-02-09,N
LR4A,LA4,2023-06-29,2023-06-26,N
LR4B,LA4,2023-09-26,2023-09-20,N
LR4C,LA4,2024-03-20,2024-03-15,Y
"""

# Open referrals: RS1 (CS1, T1) and RU1 (U1, T1). Unallocated at E (open case, no allocation):
# CL3 (care episode since 3 May 2022, only a personal adviser; no referral, no earlier worker:
# Unassigned; 708 days: 3 May 2022 -> 3 May 2023 365, -> 10 Apr 2024 343), U1 (referral since
# 10 Jan 2024, W1's allocation ended 15 Mar: since 15 Mar, 26 days, team of its referral T1),
# CS1 (referral since 20 Mar, never allocated: 21 days, T1).
CIN = """
cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_nfa,cine_close_reason,cine_close_date,cine_referral_team
RS1,CS1,2024-03-20,N1,6,N,,,T1
RU1,U1,2024-01-10,N1,6,N,,,T1
"""
INVOLVEMENTS = """
invo_involvements_id,invo_professional_id,invo_professional_role_id,invo_professional_team,invo_involvement_start_date,invo_involvement_end_date,invo_worker_change_reason,invo_person_id
N1,W2,SW,T1,2023-12-01,,,CA3
N2,W2,SW,T1,2024-03-11,,,CS3
N3,W1,SW,T1,2024-03-20,,,CS6
N4,W2,SW,T1,2024-02-01,,,CV1
N5,W2,SW,T1,2024-02-01,,,CV2
N6,W2,SW,T1,2024-02-01,,,CV3
N7,W2,SW,T1,2024-02-01,,,CV4
N8,W2,SW,T1,2024-02-01,,,CV5
N9,W3,SW,T3,2024-03-04,,,CV6
N10,W2,SW,T2,2023-01-20,,,CR1
N11,W2,SW,T2,2023-01-20,,,CR2
N12,W2,SW,T2,2024-01-18,,,CR3
N13,W3,SW,T3,2024-03-13,,,CL1
N14,W3,SW,T3,2023-10-02,,,CL2
N15,P1,PA,T3,2022-05-03,,,CL3
N16,W3,SW,T3,2023-06-01,,,CL4
N17,W3,SW,T3,2024-03-08,,,CL5
N18,W1,SW,T1,2024-01-10,2024-03-15,,U1
N19,W2,SW,T1,2024-02-01,,,CV7
"""
WORKER_PERIODS = """
worker_id,team_id,period_start,period_end,fte,agency,org_role,leaving_reason
W1,T1,2020-01-06,,1.0,N,5,
W2,T1,2020-01-06,2024-01-01,1.0,N,5,
W2,T2,2024-01-01,,1.0,N,5,
"""
DEPARTMENTS = """
dept_team_id,dept_team_name,dept_team_parent_id,dept_team_parent_name
T1,Assessment Team,,
T2,Safeguarding Team,,
T3,Children in Care Team,,
"""
TABLES = {
    "ssd_cin_assessments": ASSESSMENTS,
    "ssd_s47_enquiry": S47,
    "ssd_initial_cp_conference": ICPC,
    "ssd_cp_plans": CP_PLANS,
    "ssd_cp_visits": CP_VISITS,
    "ssd_cp_reviews": CP_REVIEWS,
    "ssd_cla_episodes": CLA,
    "ssd_cla_reviews": CLA_REVIEWS,
    "ssd_cin_episodes": CIN,
    "ssd_involvements": INVOLVEMENTS,
    "ext_worker_periods": WORKER_PERIODS,
    "ssd_department": DEPARTMENTS,
}


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture ingested and staged exactly as the pipeline does (the harness also computes
    one cheap KPI: it needs at least one)."""
    tmp = tmp_path_factory.mktemp("worklists")
    run_kpis(tmp, TABLES, EXTRACT, ["unallocated_children"])
    return tmp / "csc.duckdb"


@pytest.fixture(scope="module")
def lists(warehouse: Path) -> dict[str, pl.DataFrame]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return build_worklists(con, LA, E)


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple[object, ...]]:
    return list(frame.select(columns).iter_rows())


def test_every_list_is_built(lists: dict[str, pl.DataFrame]) -> None:
    assert tuple(lists) == WORKLIST_KEYS
    for frame in lists.values():
        assert {"team", "team_name", "person_id", "professional_id", "start_date", "due_date",
                "status"} <= set(frame.columns)  # fmt: skip


def test_assessments_at_35_working_days(lists: dict[str, pl.DataFrame]) -> None:
    columns = ("assessment_id", "team", "professional_id", "start_date", "due_date",
               "working_days_elapsed", "working_days_to_due", "status")  # fmt: skip
    assert rows(lists["assessments_35wd"], *columns) == [
        ("A3", "T2", "W2", d("2023-12-18"), d("2024-02-22"), 77, -32, "overdue"),
        ("A5", "T1", "W1", d("2024-02-02"), d("2024-04-09"), 46, -1, "overdue"),
        ("A4", "T1", "W1", d("2024-02-05"), d("2024-04-10"), 45, 0, "at_35wd_plus"),
        ("A1", "T1", "W1", d("2024-02-19"), d("2024-04-24"), 35, 10, "at_35wd_plus"),
    ]


def test_icpc_due_within_3_working_days_or_overdue(lists: dict[str, pl.DataFrame]) -> None:
    columns = ("s47_enquiry_id", "team", "team_name", "professional_id", "start_date",
               "due_date", "working_days_elapsed", "working_days_to_due", "status")  # fmt: skip
    assert rows(lists["icpc_due"], *columns) == [
        ("S3", "T2", "Safeguarding Team", "W2", d("2024-03-11"), d("2024-04-03"), 20, -5,
         "overdue"),
        ("S6", "T1", "Assessment Team", "W1", d("2024-03-20"), d("2024-04-12"), 13, 2,
         "due_soon"),
        ("S1", "T1", "Assessment Team", None, d("2024-03-21"), d("2024-04-15"), 12, 3,
         "due_soon"),
    ]  # fmt: skip


def test_cp_visits_due_within_7_days_or_overdue(lists: dict[str, pl.DataFrame]) -> None:
    columns = ("person_id", "cp_plan_id", "team", "professional_id", "last_visit_date",
               "due_date", "working_days_since_seen", "days_to_due", "status")  # fmt: skip
    assert rows(lists["cp_visits_due"], *columns) == [
        ("CV6", "PV6", "T3", "W3", None, d("2024-03-18"), 25, -23, "overdue"),
        ("CV5", "PV5", "T2", "W2", d("2024-03-22"), d("2024-04-09"), 11, -1, "overdue"),
        ("CV4", "PV4", "T2", "W2", d("2024-03-25"), d("2024-04-10"), 10, 0, "due_soon"),
        ("CV3", "PV3", "T2", "W2", d("2024-03-26"), d("2024-04-11"), 9, 1, "due_soon"),
        ("CV7", "PV7", "T2", "W2", d("2024-03-27"), d("2024-04-12"), 8, 2, "due_soon"),
        ("CV1", "PV1", "T2", "W2", d("2024-04-03"), d("2024-04-17"), 5, 7, "due_soon"),
    ]


def test_a_due_date_already_passed_is_overdue_on_a_sunday_extract(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    tmp = tmp_path_factory.mktemp("worklists-sunday")
    run_kpis(tmp, TABLES, "2024-04-14", ["unallocated_children"])
    with duckdb.connect(str(tmp / "csc.duckdb"), read_only=True) as con:
        lists = build_worklists(con, LA, dt.date(2024, 4, 14))
    visits = lists["cp_visits_due"].filter(pl.col("person_id") == "CV7")
    assert rows(visits, "due_date", "working_days_since_seen", "days_to_due", "status") == [
        (d("2024-04-12"), 10, -2, "overdue")
    ]
    for frame in lists.values():
        for column in ("days_to_due", "working_days_to_due"):
            if column in frame.columns:
                late = frame.filter(pl.col(column) < 0)
                assert set(late["status"]) <= {"overdue"}, (column, late)


def test_cp_reviews_due(lists: dict[str, pl.DataFrame]) -> None:
    columns = ("cp_plan_id", "team", "start_date", "last_review_date", "reviews_held",
               "due_date", "days_to_due", "status")  # fmt: skip
    assert rows(lists["cp_reviews_due"], *columns) == [
        ("PR1", "T2", d("2023-12-01"), None, 0, d("2024-03-01"), -40, "overdue"),
        ("PR2", "T2", d("2023-01-20"), d("2023-10-17"), 2, d("2024-04-17"), 7, "due_soon"),
    ]


def test_cla_reviews_due(lists: dict[str, pl.DataFrame]) -> None:
    columns = ("person_id", "cla_episode_id", "team", "team_name", "professional_id",
               "last_review_date", "reviews_held", "due_date", "days_to_due", "status")  # fmt: skip
    assert rows(lists["cla_reviews_due"], *columns) == [
        ("CL2", "E2", "T3", "Children in Care Team", "W3", d("2023-10-20"), 1, d("2024-01-20"),
         -81, "overdue"),
        ("CL4", "E4", "T3", "Children in Care Team", "W3", d("2023-09-20"), 2, d("2024-03-20"),
         -21, "overdue"),
        ("CL5", "E5", "T3", "Children in Care Team", "W3", None, 0, d("2024-04-09"), -1,
         "overdue"),
        ("CL1", "E1", "T3", "Children in Care Team", "W3", None, 0, d("2024-04-12"), 2,
         "due_soon"),
    ]  # fmt: skip


def test_unallocated_children(lists: dict[str, pl.DataFrame]) -> None:
    columns = ("person_id", "team", "team_name", "open_cases", "professional_id",
               "previous_professional_id", "due_date", "days_unallocated", "status")  # fmt: skip
    assert rows(lists["unallocated"], *columns) == [
        ("CL3", "Unassigned", "Unassigned", "cla_episode E3", None, None, d("2022-05-03"), 708,
         "overdue"),
        ("U1", "T1", "Assessment Team", "referral RU1", None, "W1", d("2024-03-15"), 26,
         "overdue"),
        ("CS1", "T1", "Assessment Team", "referral RS1", None, None, d("2024-03-20"), 21,
         "overdue"),
    ]  # fmt: skip


def test_build_leaves_the_callers_connection_alone(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        build_worklists(con, LA, E)
        temp = con.execute("select count(*) from duckdb_tables() where temporary").fetchone()
        assert temp == (0,)
        assert con.execute("select getvariable('extract_date')").fetchone() == (None,)


# Teams on the lists: T1 (A5, A4, A1; S6, S1; U1, CS1), T2 (A3; S3; CV5, CV4, CV3, CV1; PR1,
# PR2), T3 (CV6; CL2, CL4, CL5, CL1), Unassigned (CL3).
TEAM_FILES = {
    "t1-assessment-team": {"assessments_35wd": 3, "icpc_due": 2, "unallocated": 2},
    "t2-safeguarding-team": {"assessments_35wd": 1, "icpc_due": 1, "cp_visits_due": 5,
                             "cp_reviews_due": 2},
    "t3-children-in-care-team": {"cp_visits_due": 1, "cla_reviews_due": 4},
    "unassigned": {"unallocated": 1},
}  # fmt: skip


def test_write_worklists_files(warehouse: Path, tmp_path: Path) -> None:
    restricted = tmp_path / "restricted"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        written = write_worklists(con, LA, E, restricted)
    folder = restricted / LA / "worklists" / EXTRACT
    expected = {folder / "all-teams.xlsx"}
    for slug in TEAM_FILES:
        expected.add(folder / f"{slug}.xlsx")
        expected.update(folder / slug / f"{key}.csv" for key in WORKLIST_KEYS)
    assert set(written) == expected
    assert all(path.is_file() for path in written)
    # nothing else in the LA's worklists folder (no temporary folder left behind)
    assert [p.name for p in folder.parent.iterdir()] == [EXTRACT]

    for slug, counts in TEAM_FILES.items():
        for key in WORKLIST_KEYS:
            frame = pl.read_csv(folder / slug / f"{key}.csv", infer_schema_length=0)
            assert frame.height == counts.get(key, 0), (slug, key)
            assert frame.columns[:2] == ["team", "team_name"]
    csv = pl.read_csv(folder / "t2-safeguarding-team" / "cp_visits_due.csv", try_parse_dates=True)
    assert csv["person_id"].to_list() == ["CV5", "CV4", "CV3", "CV7", "CV1"]
    assert csv["due_date"].to_list()[0] == d("2024-04-09")


def test_workbook_has_a_restricted_cover_and_formatted_sheets(
    warehouse: Path, tmp_path: Path
) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        write_worklists(con, LA, E, tmp_path / "restricted")
    folder = tmp_path / "restricted" / LA / "worklists" / EXTRACT
    book = openpyxl.load_workbook(folder / "t2-safeguarding-team.xlsx")
    assert book.sheetnames == ["Cover", *WORKLIST_KEYS]
    cover = book["Cover"]
    text = "\n".join(str(c.value) for row in cover.iter_rows() for c in row if c.value)
    assert "RESTRICTED: child-level data" in text and "Do not share or publish" in text
    assert "10 April 2024" in text
    assert "Safeguarding Team (T2)" in text
    for worklist in worklists.WORKLISTS:
        assert worklist.rule in text
    visits = book["cp_visits_due"]
    assert visits.freeze_panes == "A2"
    header = [c.value for c in visits[1]]
    assert header[:3] == ["team", "team_name", "person_id"]
    due = visits.cell(row=2, column=header.index("due_date") + 1)
    assert due.value == dt.datetime(2024, 4, 9)
    assert due.number_format == "dd/mm/yyyy"
    assert visits.column_dimensions["B"].width > 10
    assert visits.max_row == 6  # header + CV5, CV4, CV3, CV7, CV1

    everything = openpyxl.load_workbook(folder / "all-teams.xlsx")
    assert everything["unallocated"].max_row == 4
    assert everything["assessments_35wd"].max_row == 5


def test_rerun_replaces_the_folder_and_a_failure_keeps_the_last_one(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    restricted = tmp_path / "restricted"
    folder = restricted / LA / "worklists" / EXTRACT
    with duckdb.connect(str(warehouse), read_only=True) as con:
        write_worklists(con, LA, E, restricted)
        (folder / "stale.csv").write_text("left from an earlier run")
        write_worklists(con, LA, E, restricted)
        assert not (folder / "stale.csv").exists()

        (folder / "marker.txt").write_text("previous run")

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("disk full")

        monkeypatch.setattr(worklists, "_write_workbook", broken)
        with pytest.raises(RuntimeError, match="disk full"):
            write_worklists(con, LA, E, restricted)
    assert (folder / "marker.txt").read_text() == "previous run"
    assert (folder / "all-teams.xlsx").is_file()
    assert [p.name for p in folder.parent.iterdir()] == [EXTRACT]


@pytest.mark.parametrize("inside", ["published", "published/900", "data/published/restricted"])
def test_refuses_to_write_under_published(warehouse: Path, tmp_path: Path, inside: str) -> None:
    target = tmp_path / inside
    with (
        duckdb.connect(str(warehouse), read_only=True) as con,
        pytest.raises(ValueError, match="published"),
    ):
        write_worklists(con, LA, E, target)
    assert not (tmp_path / "published").exists() and not (tmp_path / "data").exists()


def test_refuses_a_link_into_published(warehouse: Path, tmp_path: Path) -> None:
    (tmp_path / "published").mkdir()
    link = tmp_path / "restricted"
    link.symlink_to(tmp_path / "published", target_is_directory=True)
    with (
        duckdb.connect(str(warehouse), read_only=True) as con,
        pytest.raises(ValueError, match="published"),
    ):
        write_worklists(con, LA, E, link)
    assert list((tmp_path / "published").iterdir()) == []
