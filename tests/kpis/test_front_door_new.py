"""Golden tests: the front-door measures of issue 18 (referral to strategy discussion, section 47
enquiries leading to an ICPC, referrals assessed as not in need, referral sources). Every expected
number is worked out by hand below. Extract dated Mon 31 July 2023.

wd(a, b) = working days d with a < d <= b. Bank holidays in the fixture's weeks: Mon 2023-05-01,
Mon 2023-05-08 (Coronation), Mon 2023-05-29.
"""

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-07-31"
REFERRALS = """
cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_nfa,cine_close_reason,cine_close_date,cine_referral_team
R1,C1,2023-05-02,N1,6,N,RC8,2023-05-20,T1
R2,C2,2023-05-05,N1,2A,Y,RC8,2023-05-05,T1
R3,C3,10/05/2023,N2,3E,N,RC9,2023-06-01,T1
R4,C4,2023-05-12,N1,3a,N,,,T2
R5,C5,2023-05-31,N1,6,,RC7,2023-07-01,T2
R6,C6,2023-06-01,N1,,N,,,T1
R7,C7,2023-06-15,N3,5D,N,,,T1
R8,C10,2023-04-03,N1,1A,N,RC8,2023-05-10,T2
R9,C11,2023-04-11,N1,8,N,RC7,2023-05-26,T2
"""
# Referrals in May: R1..R5 (5); June: R6, R7 (2); R8 and R9 in April.
# referrals_not_in_need_pct: episodes closed in the period whose referral was not NFA, by close
# date; numerator closed RC8/RC9. R2 (closed RC8 the day it came, NFA) is left out.
# May: R1 (20 May, RC8, T1), R8 (10 May, RC8, T2), R9 (26 May, RC7, T2) -> 2 of 3 = 66.666667;
# by team T1 1 of 1 = 100, T2 1 of 2 = 50. June: R3 (1 June, RC9) -> 1 of 1 = 100. July: R5
# (1 July, RC7; blank NFA flag = not NFA) -> 0 of 1 = 0. R4, R6, R7 are still open.
# Sources, May: police (6) R1, R5 -> 40; schools (2A) R2 -> 20; health (3A-3F) R3 (3E), R4 (3a,
# read as 3A) -> 40. June: R6 (blank) and R7 (5D) -> 0 of 2 for each.
S47 = """
s47e_s47_enquiry_id,s47e_referral_id,s47e_person_id,s47e_s47_start_date,s47e_s47_end_date,s47e_s47_nfa
S1,R1,C1,2023-05-02,2023-05-15,N
S2,R3,C3,2023-05-16,2023-05-31,N
S3,R4,C4,2023-05-30,2023-06-10,N
S4,R5,C5,2023-06-02,2023-06-20,Y
S5,,C8,2023-05-20,2023-05-25,Y
S6,R99,C9,2023-05-03,,
S7,R7,C7,2023-06-14,2023-06-30,N
"""
ICPC = """
icpc_icpc_id,icpc_s47_enquiry_id,icpc_person_id,icpc_cp_plan_id,icpc_icpc_transfer_in,icpc_icpc_target_date,icpc_icpc_date,icpc_icpc_outcome_cp_flag
I1,S1,C1,,N,2023-05-23,2023-05-22,N
I2,S2,C3,,Y,2023-06-07,2023-06-07,Y
I3,S3,C4,,,2023-06-20,,
I4,S7,C7,,N,2023-07-05,2023-07-05,N
"""
# referral_to_strategy_wd: enquiries with a linked referral in the extract, by the enquiry's start.
# S1: Tue 2 May -> Tue 2 May = 0.  S2: Wed 10 May -> Tue 16 May: 11, 12, 15, 16 = 4.
# S3: Fri 12 May -> Tue 30 May: 15-19 (5), 22-26 (10), Mon 29 holiday, 30 (11) = 11.
# S4: Wed 31 May -> Fri 2 June: 1, 2 = 2.  S5: no referral; S6: R99 not in the extract; S7:
# dated the day before its referral -> all three left out.
# May: S1, S2, S3 -> (0 + 4 + 11) / 3 = 15 / 3 = 5. June: S4 -> 2 / 1 = 2.
#
# s47_to_icpc_pct: enquiries that ended, by their end date; numerator a linked ICPC held or
# arranged that is not a transfer-in. May: S1 (I1 held, 1), S2 (I2 is a transfer-in, 0), S5 (none,
# 0) -> 1 of 3 = 33.333333. June: S3 (I3 arranged, target date only, blank transfer-in: 1), S4
# (none, 0), S7 (I4, 1) -> 2 of 3 = 66.666667. S6 is still open: not counted. July: none ended.


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("front_door_new"),
        {
            "ssd_cin_episodes": REFERRALS,
            "ssd_s47_enquiry": S47,
            "ssd_initial_cp_conference": ICPC,
        },
        EXTRACT,
        [
            "referral_to_strategy_wd",
            "s47_to_icpc_pct",
            "referrals_not_in_need_pct",
            "referrals_from_police_pct",
            "referrals_from_schools_pct",
            "referrals_from_health_pct",
        ],
    )


@pytest.mark.parametrize(
    ("kpi_id", "period_end", "expected"),
    [
        ("referral_to_strategy_wd", "2023-05-31", (15, 3, 5)),
        ("referral_to_strategy_wd", "2023-06-30", (2, 1, 2)),
        ("s47_to_icpc_pct", "2023-05-31", (1, 3, 33.333333)),
        ("s47_to_icpc_pct", "2023-06-30", (2, 3, 66.666667)),
        ("s47_to_icpc_pct", "2023-07-31", (0, 0, None)),
        ("referrals_not_in_need_pct", "2023-05-31", (2, 3, 66.666667)),
        ("referrals_not_in_need_pct", "2023-06-30", (1, 1, 100)),
        ("referrals_not_in_need_pct", "2023-07-31", (0, 1, 0)),
        ("referrals_from_police_pct", "2023-05-31", (2, 5, 40)),
        ("referrals_from_schools_pct", "2023-05-31", (1, 5, 20)),
        ("referrals_from_health_pct", "2023-05-31", (2, 5, 40)),
        ("referrals_from_police_pct", "2023-06-30", (0, 2, 0)),
        ("referrals_from_health_pct", "2023-06-30", (0, 2, 0)),
    ],
)
def test_front_door_measures(out: KpiOutput, kpi_id: str, period_end: str, expected: tuple) -> None:
    assert out.row(kpi_id, "month", period_end) == expected


def test_referrals_not_in_need_by_team(out: KpiOutput) -> None:
    by_team = out.dimension("referrals_not_in_need_pct", "team", "month", "2023-05-31")
    assert by_team == {"T1": (1, 1, 100), "T2": (1, 2, 50)}
