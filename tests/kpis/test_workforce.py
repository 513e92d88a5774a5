"""Golden tests: workforce. Every expected number is worked out by hand below.

The extract is dated Friday 30 June 2023. Bank holidays used: 2022-05-02 (Early May),
2022-12-26 and 2022-12-27 (Christmas, substitute day), 2023-04-07 (Good Friday),
2023-04-10 (Easter Monday), 2023-05-29 (Spring).

la.yaml (tests/conftest.py): roles {SW: ALLOCATED_SOCIAL_WORKER, PA: PERSONAL_ADVISER},
service areas {T1: front_door, T2: fieldwork}; team T3 has no service area.
"""

from pathlib import Path

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-06-30"
KPIS = [
    "sw_fte",
    "agency_rate_pct",
    "agency_headcount",
    "vacancy_rate_pct",
    "turnover_rate_pct",
    "absence_days_per_fte",
    "caseload_avg",
    "unallocated_children",
    "supervision_timely_pct",
]

WORKER_PERIODS = """
worker_id,team_id,period_start,period_end,fte,agency,org_role,leaving_reason
W1,T1,2021-01-04,,1.0,N,5,
W2,T1,2021-01-04,2022-11-30,1.0,N,5,
W2,T2,2022-11-30,,0.8,N,4,
W3,T2,2021-06-01,2023-06-30,0.6,N,5,resigned
W4,T2,2021-06-01,2022-06-30,1.0,N,5,retired
W5,T1,2022-01-10,2022-12-15,1.0,N,5,career break
W5,T1,2023-01-16,,1.0,N,5,
W6,T2,2022-09-01,,1.0,Y,5,
W7,T1,2023-02-01,2023-05-31,0.5,Y,5,end of agency contract
W8,T2,2022-01-01,,1.0,,5,
W9,T1,2022-01-01,,1.0,N,,
W10,T3,2021-01-04,,1.0,N,1,
"""
# Who counts at D (open at D: start <= D and end blank or after D):
#   W1 employed 1.0 T1 throughout.
#   W2 employed; moved T1 -> T2 on 30 Nov 2022 with a contiguous period (0.8 FTE from then).
#   W3 employed 0.6 T2; last day 30 June 2023 = D, so not in post at 30 June, in post before.
#   W4 employed 1.0; left 30 June 2022.
#   W5 employed 1.0; left 15 Dec 2022 and came back 16 Jan 2023 (a gap).
#   W6 agency 1.0 T2 from 1 Sep 2022.   W7 agency 0.5 T1, 1 Feb - 31 May 2023.
#   W8 blank agency flag: neither employed nor agency.   W9 blank org_role: not a social worker.
#   W10 org_role 1 (senior manager), employed 1.0, team T3 (no service area).
# Employed FTE: 30 Jun 23 = W1 1 + W2 0.8 + W5 1 + W10 1 = 3.8;
#               25 Jun, 4 Jun, 31 May, 30 Apr, 31 Jan 23 = 3.8 + W3 0.6 = 4.4;
#               31 Dec, 25 Dec, 18 Dec 22 = W1 1 + W2 0.8 + W3 0.6 + W10 1 = 3.4 (W5 in the gap).
# Agency FTE: 30 Jun, 4 Jun, 31 May = W6 1.0 (W7 ended 31 May); 30 Apr = W6 1 + W7 0.5 = 1.5.

VACANCIES = """
team_id,as_at_date,vacant_fte
T1,2023-03-31,2.0
T1,2023-06-30,1.5
T2,2023-05-15,1.0
"""

ABSENCES = """
worker_id,start_date,end_date,reason,working_days_lost
W1,2023-04-03,2023-04-14,SIC,
W2,2022-06-27,2022-07-08,SIC,7.5
W3,2023-05-26,2023-06-02,SIC,
W6,2023-03-01,2023-03-03,SIC,
W1,2023-02-01,2023-02-10,MAT,
W5,2023-06-26,,SIC,
W2,2022-12-19,2022-12-30,SIC,
W10,2023-06-28,2023-07-05,SIC,4.8
W8,2023-06-01,2023-06-02,SIC,
W9,2023-06-01,2023-06-01,SIC,
W4,2022-05-03,2022-05-06,SIC,
"""
# Working days (inclusive of both ends) and days lost; status from the period at the start:
#   A1  W1 3-14 Apr 23, blank: 3,4,5,6, (7 GF, 10 EM), 11,12,13,14 = 8 wd x 1.0 = 8
#   A2  W2 27 Jun-8 Jul 22, given 7.5 over 10 wd (W2 then employed in T1, 1.0)
#         wholly inside a window -> 7.5; window from 1 Jul 22 -> 1 Jul, 4-8 Jul = 6 wd -> 7.5 x 6/10 = 4.5
#   A3  W3 (a leaver) Fri 26 May-Fri 2 Jun 23, blank: 26, (29 bank hol), 30, 31, 1, 2 = 5 wd x 0.6 = 3.0;
#         cut at D = 31 May: 26, 30, 31 = 3 wd x 0.6 = 1.8
#   W6 agency, W8 blank agency, W9 not a social worker, W1 MAT: never count
#   A6  W5 from Mon 26 Jun 23, no end, blank: runs to D; at 30 Jun: 26-30 = 5 wd x 1.0 = 5
#   A7  W2 19-30 Dec 22, blank: 19-23, (26, 27 bank hols), 28, 29, 30 = 8 wd x 0.8 (T2 period) = 6.4;
#         cut at D = 25 Dec 22: 19-23 = 5 wd x 0.8 = 4.0
#   A11 W10 28 Jun-5 Jul 23, given 4.8 over 6 wd (28, 29, 30, 3, 4, 5); at 30 Jun 3 wd -> 4.8 x 3/6 = 2.4
#   A12 W4 (left 30 Jun 22) Tue 3-Fri 6 May 22, blank: (2 May bank hol) 3-6 = 4 wd x 1.0 = 4

INVOLVEMENTS = """
invo_involvements_id,invo_professional_id,invo_professional_role_id,invo_professional_team,invo_involvement_start_date,invo_involvement_end_date,invo_worker_change_reason,invo_person_id
I1,W1,SW,T1,2023-01-01,,,C1
I2,W1,SW,T1,2023-03-01,2023-06-30,CHCHAN,C2
I3,W1,sw,T1,2023-06-30,,,C3
I4,W2,SW,T2,2023-02-01,,,C1
I5,W6,SW,T2,2023-01-01,,,C4
I6,W6,SW,T2,2023-01-01,,,C5
I7,W6,SW,T2,2023-03-01,,,C4
I8,W1,PA,T1,2023-01-01,,,C6
I9,W99,SW,T2,2023-01-01,,,C7
I10,W3,SW,T2,2023-01-01,2023-06-30,LEFTRL,C8
I11,W10,XX,T3,2023-01-01,,,C9
I12,W8,SW,T2,2023-01-01,,,C10
I13,W10,SW,T3,2023-01-01,,,C10
"""
# Allocations (role SW, any case) open at 30 Jun 23: W1 {C1, C3 (starts on D)}, W2 {C1},
#   W6 {C4, C5} (C4 twice counts once), W8 {C10}, W10 {C10}, W99 {C7}.
#   I2 (C2) and I10 (C8) end on D; I8 is a personal adviser; I11's role XX is not mapped.
# At 31 May 23 (and 4 Jun): W1 {C1, C2}, W2 {C1}, W6 {C4, C5}, W3 {C8}, W8 {C10}, W10 {C10}, W99 {C7}.

CIN = """
cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_nfa,cine_close_reason,cine_close_date,cine_referral_team
R1,C1,2023-01-01,N1,6,N,,,T1
R2,C2,2023-01-01,N1,6,N,,,T1
R3,C3,2023-01-01,N1,6,N,,,T1
R6,C6,2023-01-01,N1,6,N,,,T1
R7,C7,2023-01-01,N1,6,N,,,T2
R8,C8,2023-01-01,N1,6,N,,,T2
R10,C10,2023-01-01,N1,6,N,,,T2
R12,C12,2023-01-01,N1,6,N,RC1,2023-06-30,T2
R13,C13,2023-01-01,N1,6,N,,,T2
"""
CP_PLANS = """
cppl_cp_plan_id,cppl_person_id,cppl_icpc_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,cppl_cp_plan_initial_category,cppl_cp_plan_latest_category
CP9,C9,,2023-02-01,,NEG,NEG
CP13,C13,,2023-02-01,,EMO,EMO
"""
CLA = """
clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,clae_cla_primary_need_code,clae_cla_episode_ceased,clae_cla_episode_ceased_reason,clae_cla_id,clae_entered_care_date
E4,C4,2023-01-01,S,N1,,,LA4,2023-01-01
E5,C5,2023-01-01,S,N1,,,LA5,2023-01-01
E11,C11,2023-06-05,S,N1,,,LA11,2023-06-05
E14,C14,2023-01-01,S,N1,2023-03-31,E11,LA14,2023-01-01
"""
SUPERVISIONS = """
supervision_id,worker_id,supervision_date,supervisor_id
S1,W1,2023-05-31,W10
S2,W2,2023-06-01,W10
S3,W6,2023-06-30,W10
S4,W8,2023-04-15,W10
S5,W10,2023-06-15,
S7,W3,2023-05-01,W10
"""

TABLES = {
    "ext_worker_periods": WORKER_PERIODS,
    "ext_vacancies": VACANCIES,
    "ext_absences": ABSENCES,
    "ext_supervisions": SUPERVISIONS,
    "ssd_involvements": INVOLVEMENTS,
    "ssd_cin_episodes": CIN,
    "ssd_cp_plans": CP_PLANS,
    "ssd_cla_episodes": CLA,
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("workforce")
    return run_kpis(tmp, TABLES, EXTRACT, KPIS)


def test_sw_fte(out: KpiOutput) -> None:
    # Employed + agency; W8 (blank agency) and W9 (no org_role) never count.
    assert out.row("sw_fte", "month", "2023-06-30") == (4.8, None, 4.8)  # 3.8 + W6 1.0
    assert out.row("sw_fte", "week", "2023-06-04") == (5.4, None, 5.4)  # 4.4 + W6 1.0
    assert out.row("sw_fte", "month", "2023-04-30") == (5.9, None, 5.9)  # 4.4 + 1.5
    assert out.row("sw_fte", "month", "2022-12-31") == (4.4, None, 4.4)  # 3.4 + W6 1.0
    assert out.row("sw_fte", "quarter", "2023-06-30") == (4.8, None, 4.8)


def test_agency_rate_pct(out: KpiOutput) -> None:
    # 30 Jun: agency W6 1.0 / (1.0 + employed 3.8).
    assert out.row("agency_rate_pct", "month", "2023-06-30") == (1, 4.8, 20.833333)
    # 30 Apr: (W6 1 + W7 0.5) / (1.5 + 4.4) = 1.5 / 5.9.
    assert out.row("agency_rate_pct", "month", "2023-04-30") == (1.5, 5.9, 25.423729)
    # By team at 30 Jun: T1 W1, W5 employed; T2 W2 0.8 employed + W6 agency (W8 blank: neither);
    # T3 W10 employed.
    assert out.dimension("agency_rate_pct", "team", "month", "2023-06-30") == {
        "T1": (0, 2, 0),
        "T2": (1, 1.8, 55.555556),
        "T3": (0, 1, 0),
    }
    # By team at 30 Apr: T1 + W7 0.5 agency -> 0.5 / 2.5; T2 + W3 0.6 employed -> 1 / 2.4.
    assert out.dimension("agency_rate_pct", "team", "month", "2023-04-30") == {
        "T1": (0.5, 2.5, 20),
        "T2": (1, 2.4, 41.666667),
        "T3": (0, 1, 0),
    }
    # Service areas through la.yaml: T1 front_door, T2 fieldwork, T3 none (blank).
    assert out.dimension("agency_rate_pct", "service_area", "month", "2023-06-30") == {
        "front_door": (0, 2, 0),
        "fieldwork": (1, 1.8, 55.555556),
        None: (0, 1, 0),
    }


def test_vacancy_rate_pct(out: KpiOutput) -> None:
    # 30 Jun: T1's row of 30 Jun (on D) 1.5 + T2's row of 15 May 1.0 = 2.5; / (2.5 + 3.8).
    assert out.row("vacancy_rate_pct", "month", "2023-06-30") == (2.5, 6.3, 39.68254)
    # 31 May: T1's row of 31 Mar 2.0 + T2 1.0 = 3.0; / (3.0 + 4.4).
    assert out.row("vacancy_rate_pct", "month", "2023-05-31") == (3, 7.4, 40.540541)
    # 30 Apr: T1 2.0 only (T2 has no row yet) -> 2 / 6.4.
    assert out.row("vacancy_rate_pct", "month", "2023-04-30") == (2, 6.4, 31.25)
    # Week to 26 Mar: no row on or before D -> 0 / 4.4.
    assert out.row("vacancy_rate_pct", "week", "2023-03-26") == (0, 4.4, 0)


def test_vacancy_rate_pct_by_team(out: KpiOutput) -> None:
    # 30 Jun: T1 vacancies 1.5 over 1.5 + employed W1 1 + W5 1; T2 1.0 over 1.0 + W2 0.8 (W3
    # left on D); T3 no vacancy row, W10 1 employed -> 0 of 1.
    assert out.dimension("vacancy_rate_pct", "team", "month", "2023-06-30") == {
        "T1": (1.5, 3.5, 42.857143),
        "T2": (1, 1.8, 55.555556),
        "T3": (0, 1, 0),
    }
    # 30 Apr: T1's row of 31 Mar 2.0 over 2.0 + W1 1 + W5 1; T2 no row yet: 0 over W2 0.8 + W3
    # 0.6 (a team with employed staff and no vacancy row shows 0%).
    assert out.dimension("vacancy_rate_pct", "team", "month", "2023-04-30") == {
        "T1": (2, 4, 50),
        "T2": (0, 1.4, 0),
        "T3": (0, 1, 0),
    }
    # Service areas through la.yaml: T1 front_door, T2 fieldwork, T3 none (blank).
    assert out.dimension("vacancy_rate_pct", "service_area", "month", "2023-06-30") == {
        "front_door": (1.5, 3.5, 42.857143),
        "fieldwork": (1, 1.8, 55.555556),
        None: (0, 1, 0),
    }


def test_agency_headcount(out: KpiOutput) -> None:
    # Agency social workers: W6 (T2, from 1 Sep 2022) and W7 (T1, 1 Feb - 31 May 2023); W8's
    # blank agency flag is not agency; the FTE (W7 0.5) is not looked at.
    assert out.row("agency_headcount", "month", "2023-06-30") == (1, None, 1)
    assert out.row("agency_headcount", "month", "2023-04-30") == (2, None, 2)  # W6 + W7
    assert out.row("agency_headcount", "month", "2023-05-31") == (1, None, 1)  # W7 ends on D
    assert out.row("agency_headcount", "month", "2022-08-31") == (0, None, 0)  # W6 not yet
    assert out.row("agency_headcount", "week", "2022-09-04") == (1, None, 1)  # W6 from 1 Sep
    assert out.dimension("agency_headcount", "team", "month", "2023-04-30") == {
        "T1": (1, None, 1),
        "T2": (1, None, 1),
    }
    assert out.dimension("agency_headcount", "service_area", "month", "2023-06-30") == {
        "fieldwork": (1, None, 1)
    }


def test_turnover_rate_pct(out: KpiOutput) -> None:
    # 30 Jun 23, window (30 Jun 22, 30 Jun 23]: W3 left on D (0.6). W4 left 30 Jun 22, exactly
    # 12 months before: out. W2's team move and W5 (back since 16 Jan, latest period open) are not
    # leavers; W7 is agency. -> 0.6 / 3.8.
    assert out.row("turnover_rate_pct", "month", "2023-06-30") == (0.6, 3.8, 15.789474)
    assert out.row("turnover_rate_pct", "rolling_12m", "2023-06-30") == (0.6, 3.8, 15.789474)
    # 31 May 23, window (31 May 22, 31 May 23]: W4 1.0 -> 1 / 4.4.
    assert out.row("turnover_rate_pct", "month", "2023-05-31") == (1, 4.4, 22.727273)
    # 31 Dec 22, window (31 Dec 21, 31 Dec 22]: W4 1.0. W5 (in the gap, latest period ended
    # 15 Dec) started on 10 Jan 22, inside the window: started and left in the same year, left out
    # as the DfE does. W2's T1 period ended 30 Nov but the contiguous T2 period is the latest
    # -> 1 / 3.4. Week to 18 Dec 22, window (18 Dec 21, 18 Dec 22]: the same.
    assert out.row("turnover_rate_pct", "month", "2022-12-31") == (1, 3.4, 29.411765)
    assert out.row("turnover_rate_pct", "week", "2022-12-18") == (1, 3.4, 29.411765)
    # 31 Jan 23: W5 is back (latest period open), so only W4 -> 1 / 4.4.
    assert out.row("turnover_rate_pct", "month", "2023-01-31") == (1, 4.4, 22.727273)


def test_absence_days_per_fte(out: KpiOutput) -> None:
    # 30 Jun 23: A1 8 + A2 4.5 + A3 3.0 + A6 5 + A7 6.4 + A11 2.4 = 29.3 (A12 May 22 is out) / 3.8.
    assert out.row("absence_days_per_fte", "month", "2023-06-30") == (29.3, 3.8, 7.710526)
    assert out.row("absence_days_per_fte", "rolling_12m", "2023-06-30") == (29.3, 3.8, 7.710526)
    # Week to 25 Jun 23: A1 8 + A2 7.5 + A3 3.0 + A7 6.4 = 24.9 (A6, A11 not started) / 4.4.
    assert out.row("absence_days_per_fte", "week", "2023-06-25") == (24.9, 4.4, 5.659091)
    # 31 May 23: A1 8 + A2 7.5 + A3 cut 1.8 + A7 6.4 = 23.7 / 4.4.
    assert out.row("absence_days_per_fte", "month", "2023-05-31") == (23.7, 4.4, 5.386364)
    # 30 Apr 23: A1 8 + A2 7.5 + A7 6.4 + A12 4 (a leaver's absence) = 25.9 / 4.4.
    assert out.row("absence_days_per_fte", "month", "2023-04-30") == (25.9, 4.4, 5.886364)
    # Week to 25 Dec 22: A12 4 + A2 7.5 + A7 cut 4.0 = 15.5 / 3.4.
    assert out.row("absence_days_per_fte", "week", "2022-12-25") == (15.5, 3.4, 4.558824)


def test_caseload_avg(out: KpiOutput) -> None:
    # 30 Jun: W1 2 (1.0), W2 1 (0.8), W6 2 (1.0), W8 1 (1.0), W10 1 (1.0); W99 has no period
    # (left out) -> 7 / 4.8. W5, W7 hold no case: their FTE is not counted.
    assert out.row("caseload_avg", "month", "2023-06-30") == (7, 4.8, 1.458333)
    # 31 May: + W1's C2, + W3 1 (0.6) -> 8 / 5.4.
    assert out.row("caseload_avg", "month", "2023-05-31") == (8, 5.4, 1.481481)
    assert out.dimension("caseload_avg", "team", "month", "2023-06-30") == {
        "T1": (2, 1, 2),
        "T2": (4, 2.8, 1.428571),  # W2 1 + W6 2 + W8 1 over 0.8 + 1 + 1
        "T3": (1, 1, 1),
    }
    assert out.dimension("caseload_avg", "team", "month", "2023-05-31") == {
        "T1": (2, 1, 2),
        "T2": (5, 3.4, 1.470588),  # + W3 1 over 0.6
        "T3": (1, 1, 1),
    }
    assert out.dimension("caseload_avg", "service_area", "month", "2023-06-30") == {
        "front_door": (2, 1, 2),
        "fieldwork": (4, 2.8, 1.428571),
        None: (1, 1, 1),
    }


def test_unallocated_children(out: KpiOutput) -> None:
    # 30 Jun: open cases C1, C2, C3, C6, C7, C8, C10, C13 (referrals; C12 closes on D),
    # C9, C13 (CP), C4, C5, C11 (care). Allocated: C1, C3, C4, C5, C7 (W99), C10.
    # Unallocated: C2 and C8 (allocations end on D), C6 (a personal adviser only),
    # C9 (role XX), C11, C13 (referral and plan, counted once) -> 6.
    assert out.row("unallocated_children", "month", "2023-06-30") == (6, None, 6)
    # 31 May: C11 not yet in care; C12 still open; C2, C8 allocated; C3 not yet ->
    # C3, C6, C9, C12, C13 -> 5.
    assert out.row("unallocated_children", "month", "2023-05-31") == (5, None, 5)
    assert out.row("unallocated_children", "week", "2023-06-04") == (5, None, 5)


def test_supervision_timely_pct(out: KpiOutput) -> None:
    # 30 Jun: org_role 4/5 case holders W1, W2, W6, W8 (W10 is role 1; W99 has no period).
    # Window (31 May, 30 Jun]: W1's 31 May is exactly 30 days before, out; W2 1 Jun in (29 days);
    # W6 30 Jun (on D) in; W8 15 Apr out -> 2 / 4.
    assert out.row("supervision_timely_pct", "month", "2023-06-30") == (2, 4, 50)
    # 31 May: + W3 (case C8). Window (1 May, 31 May]: W1 31 May in; W3 1 May out -> 1 / 5.
    assert out.row("supervision_timely_pct", "month", "2023-05-31") == (1, 5, 20)
    # Week to 4 Jun: window (5 May, 4 Jun]: W1 31 May, W2 1 Jun -> 2 / 5.
    assert out.row("supervision_timely_pct", "week", "2023-06-04") == (2, 5, 40)


def test_not_available_without_their_tables(tmp_path: Path) -> None:
    only = run_kpis(
        tmp_path,
        {"ext_worker_periods": WORKER_PERIODS},
        EXTRACT,
        [
            "sw_fte",
            "absence_days_per_fte",
            "vacancy_rate_pct",
            "caseload_avg",
            "supervision_timely_pct",
        ],
    )
    assert only.available("sw_fte") == (True, None)
    assert only.row("sw_fte", "month", "2023-06-30") == (4.8, None, 4.8)
    for kpi, table in (
        ("absence_days_per_fte", "ext_absences"),
        ("vacancy_rate_pct", "ext_vacancies"),
        ("caseload_avg", "ssd_involvements"),
        ("supervision_timely_pct", "ext_supervisions"),
    ):
        available, reason = only.available(kpi)
        assert available is False
        assert reason is not None and table in reason
