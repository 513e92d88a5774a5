"""Golden tests: section 47 and child protection. Every expected number is worked out by hand below.

wd(a, b) = working days d with a < d <= b (England bank holidays excluded; the start day is day 0).
Bank holidays used: 2022-09-19 (State funeral), 2022-12-26/27, 2023-01-02 (New Year substitute),
2023-04-07 (Good Friday), 2023-04-10 (Easter Monday), 2023-05-01, 2023-05-08 (Coronation),
2023-05-29. Population (tests/conftest.py LA_YAML): mid-2022 50,000 (used up to 2023-06-29, and
before 2022-06-30 as the earliest estimate), mid-2023 50,500 (from 2023-06-30).
"""

from pathlib import Path

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

# ---------------------------------------------------------------------------------------------
# Section 47 enquiries and initial child protection conferences (extract dated Mon 31 July 2023)
# ---------------------------------------------------------------------------------------------

S47_EXTRACT = "2023-07-31"
S47 = """
s47e_s47_enquiry_id,s47e_referral_id,s47e_person_id,s47e_s47_start_date,s47e_s47_end_date,s47e_s47_nfa
S1,R1,C1,2022-07-31,2022-08-10,Y
S2,R2,C2,2022-08-01,2022-08-19,N
S12,R12,C13,12/09/2022,2022-10-04,N
S3,R3,C3,2022-12-14,2023-01-09,N
S4,R4,C4,2023-04-04,2023-04-27,N
S5,R5,C5,2023-04-05,2023-05-02,N
S6,R6,C6,2023-04-20,2023-05-15,N
S7,R7,C7,2023-05-22,2023-06-14,N
S8,R8,C8,2023-06-01,,
S11,R11,C4,2023-06-20,2023-06-30,Y
S9,R9,C9,2023-07-24,,
S10,,C10,2023-07-31,,
"""
ICPC = """
icpc_icpc_id,icpc_s47_enquiry_id,icpc_person_id,icpc_cp_plan_id,icpc_icpc_transfer_in,icpc_icpc_target_date,icpc_icpc_date,icpc_icpc_outcome_cp_flag
I2,S2,C2,P2,N,2022-08-22,2022-08-19,Y
I12,S12,C13,P12,N,2022-10-04,2022-10-04,Y
I3,S3,C3,P3,,2023-01-09,2023-01-09,Y
I4,S4,C4,P4,No,2023-04-27,2023-04-27,Y
I5,S5,C5,,N,2023-04-28,2023-05-02,N
I6,S6,C6,P6,N,2023-05-15,2023-05-15,Y
I7,S7,C7,,,2023-06-13,2023-06-14,N
I8,S8,C8,P8,Y,2023-06-22,2023-06-30,Y
I9,S9,C9,,N,2023-08-14,,
I10,,C11,P10,N,,2023-05-10,Y
I11,S99,C12,P11,N,,2023-06-05,Y
"""
# s47_rate_per_10k: every enquiry counts (C4 has two: S4 and S11), placed by its start date,
# summed over (D - 12 months, D] whatever the grain, / population at D x 10,000.
# Start dates: S1 2022-07-31, S2 2022-08-01, S12 2022-09-12, S3 2022-12-14, S4 2023-04-04,
# S5 2023-04-05, S6 2023-04-20, S7 2023-05-22, S8 2023-06-01, S11 2023-06-20, S9 2023-07-24,
# S10 2023-07-31.
# - D = 2023-07-31: (2022-07-31, 2023-07-31]: S1 is exactly D - 12 months, out; S2..S10 -> 11.
#   Population 50,500 (30 June 2023 <= D): 11 x 10,000 / 50,500 = 2.178218.
# - D = 2023-07-30 (week): (2022-07-30, 2023-07-30]: S1 in, S10 (31 July) out -> 11 -> 2.178218.
# - D = 2023-06-30: (2022-06-30, 2023-06-30]: S1..S11, not S9, S10 -> 10; population 50,500 (the
#   mid-2023 estimate applies from 30 June 2023) -> 100,000 / 50,500 = 1.980198.
# - D = 2023-06-25 (week): (2022-06-25, 2023-06-25]: the same 10; population 50,000 -> 2.
# - D = 2022-07-31 (month, the first period): S1 only -> 1; population 50,000 -> 0.2.
#
# icpc_15wd_pct: held ICPCs (dated), not transfer-ins, linked to an enquiry in the extract;
# numerator wd(s47 start, ICPC date) <= 15; placed by the ICPC date.
# I2  Mon 2022-08-01 -> Fri 2022-08-19: 2,3,4,5,8,...,19 Aug = 14, on time.
# I12 Mon 2022-09-12 -> Tue 2022-10-04: 13,14,15,16, (Mon 19 State funeral), 20..30 (9), 3, 4 Oct
#     = 15, on time on the last day (S12's start is written DD/MM/YYYY).
# I3  Wed 2022-12-14 -> Mon 2023-01-09: 15,16,19,20,21,22,23 (7), 26/27 Dec holidays, 28,29,30
#     (10), Mon 2 Jan holiday, 3,4,5,6 (14), 9 (15): on time on the last day. Blank transfer-in
#     flag = not a transfer-in. Counts in January (the ICPC date), not December.
# I4  Tue 2023-04-04 -> Thu 2023-04-27: 5,6 (2), Good Friday 7 and Easter Monday 10 skipped,
#     11..14 (6), 17..21 (11), 24..27 (15): on time, last day. Transfer-in "No".
# I5  Wed 2023-04-05 -> Tue 2023-05-02: 6 (1), 11..14 (5), 17..21 (10), 24..28 (15), Mon 1 May
#     holiday, 2 May (16): missed by one day. Outcome N (no plan) still counts.
# I6  Thu 2023-04-20 -> Mon 2023-05-15: 21 (1), 24..28 (6), 1 May skipped, 2..5 (10), 8 May
#     (Coronation) skipped, 9..12 (14), 15 (15): on time, last day.
# I7  Mon 2023-05-22 -> Wed 2023-06-14: 23..26 (4), 29 May skipped, 30,31 (6), 1,2 Jun (8),
#     5..9 (13), 12,13 (15), 14 (16): late. Blank transfer-in; outcome N.
# I8  transfer-in Y: left out.           I9 not held yet (no date): left out.
# I10 no linked enquiry: left out.       I11 linked to S99, not in the extract: left out.


@pytest.fixture(scope="module")
def s47_out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("s47")
    return run_kpis(
        tmp,
        {"ssd_s47_enquiry": S47, "ssd_initial_cp_conference": ICPC},
        S47_EXTRACT,
        ["s47_rate_per_10k", "icpc_15wd_pct"],
    )


def test_s47_rate_per_10k_is_the_12_months_to_the_period_end(s47_out: KpiOutput) -> None:
    assert s47_out.row("s47_rate_per_10k", "rolling_12m", "2023-07-31") == (11, 50500, 2.178218)
    # Every grain is the 12 months to its end (Clarification 2): the month and the year to date
    # ending 31 July hold the same value as the rolling 12 months.
    assert s47_out.row("s47_rate_per_10k", "month", "2023-07-31") == (11, 50500, 2.178218)
    assert s47_out.row("s47_rate_per_10k", "ytd", "2023-07-31") == (11, 50500, 2.178218)
    assert s47_out.row("s47_rate_per_10k", "week", "2023-07-30") == (11, 50500, 2.178218)


def test_s47_rate_per_10k_population_and_window_edges(s47_out: KpiOutput) -> None:
    assert s47_out.row("s47_rate_per_10k", "month", "2023-06-30") == (10, 50500, 1.980198)
    assert s47_out.row("s47_rate_per_10k", "quarter", "2023-06-30") == (10, 50500, 1.980198)
    assert s47_out.row("s47_rate_per_10k", "week", "2023-06-25") == (10, 50000, 2)
    assert s47_out.row("s47_rate_per_10k", "month", "2022-07-31") == (1, 50000, 0.2)


def test_icpc_15wd_pct_months(s47_out: KpiOutput) -> None:
    assert s47_out.row("icpc_15wd_pct", "month", "2023-01-31") == (1, 1, 100)  # I3
    assert s47_out.row("icpc_15wd_pct", "month", "2023-04-30") == (1, 1, 100)  # I4
    # May: I6 on time, I5 late; I10 (no linked enquiry) left out.
    assert s47_out.row("icpc_15wd_pct", "month", "2023-05-31") == (1, 2, 50)
    # June: I7 late; I8 (transfer-in) and I11 (enquiry not in the extract) left out.
    assert s47_out.row("icpc_15wd_pct", "month", "2023-06-30") == (0, 1, 0)
    # July: only I9, not held yet -> nothing held, blank value.
    assert s47_out.row("icpc_15wd_pct", "month", "2023-07-31") == (0, 0, None)


def test_icpc_15wd_pct_weeks_and_longer_grains(s47_out: KpiOutput) -> None:
    assert s47_out.row("icpc_15wd_pct", "week", "2023-05-07") == (0, 1, 0)  # I5 (Tue 2 May)
    assert s47_out.row("icpc_15wd_pct", "week", "2023-05-14") == (0, 0, None)  # I10 only
    assert s47_out.row("icpc_15wd_pct", "week", "2023-05-21") == (1, 1, 100)  # I6 (Mon 15 May)
    assert s47_out.row("icpc_15wd_pct", "quarter", "2023-06-30") == (2, 4, 50)  # I4-I7
    assert s47_out.row("icpc_15wd_pct", "financial_year", "2023-03-31") == (
        3,
        3,
        100,
    )  # I2, I12, I3
    # (2022-07-31, 2023-07-31]: I2, I12, I3, I4, I6 on time; I5, I7 late -> 5 / 7.
    assert s47_out.row("icpc_15wd_pct", "rolling_12m", "2023-07-31") == (5, 7, 71.428571)
    assert s47_out.row("icpc_15wd_pct", "ytd", "2023-07-31") == (2, 4, 50)


# ---------------------------------------------------------------------------------------------
# Plans and open cases (extract dated Mon 31 July 2023)
# ---------------------------------------------------------------------------------------------

PLANS_EXTRACT = "2023-07-31"
PLANS = """
cppl_cp_plan_id,cppl_person_id,cppl_icpc_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,cppl_cp_plan_initial_category,cppl_cp_plan_latest_category
P1,C1,,2021-06-30,,NEG,NEG
P2,C2,,2021-07-01,,Neglect,EMO
P3,C3,,2021-07-02,,PHY,PHY
P4,C4,,2022-01-10,2023-06-30,EMO,EMO
P5,C4,,2023-07-03,,EMO,EMO
P6,C5,,2023-07-10,,SAB,SAB
P7,C5,,2019-03-01,2019-09-01,NEG,NEG
P8,C6,,2023-07-05,,MUL,MUL
P9,C6,,2023-07-05,2023-07-20,NEG,NEG
P10,C7,,2023-03-01,2023-07-31,NEG,NEG
P11,C8,,2023-06-12,,NEG,NEG
"""
EPISODES = """
cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_nfa,cine_close_reason,cine_close_date,cine_referral_team
E1,C1,2021-06-01,N1,1A,N,,,T2
E2,C2,2021-06-15,N1,5A,N,,,T2
E3,C3,2021-06-20,N2,5A,N,,,T2
E4,C4,2021-12-01,N1,6,N,RC8,2023-06-30,T2
E5,C4,2023-07-01,N1,6,N,,,T2
E6,C5,2023-06-01,N1,6,N,,,T2
E7,C6,2023-06-20,N1,6,N,,,T2
E8,C7,2023-02-01,N1,6,N,RC1,2023-07-31,T2
E10,C20,2023-01-10,N3,8,N,,,T2
E14,C20,2023-03-01,N3,8,N,,,T2
E11,C21,2023-05-05,N4,8,N,RC8,2023-07-10,T2
E12,C22,2023-06-30,N5,8,N,,,T2
E13,C23,2023-07-31,N5,8,N,,,T2
E15,C24,2022-10-01,N5,8,N,RC8,2023-01-01,T2
E16,C25,2023-06-30,N9,8,Y,RC9,2023-06-30,T1
"""
# Plans open (start <= D and end blank or > D) at the dates checked:
# - 2023-06-25 (week): P1, P2, P3, P4 (ends 30 June), P10, P11 -> 6 plans; children C1, C2, C3,
#   C4, C7, C8 -> 6.
# - 2023-06-30 (month, quarter): P1, P2, P3, P10, P11 (P4 ends on D: closed) -> 5 plans, 5 children.
# - 2023-07-02 (week): the same 5 (P5 starts 3 July).
# - 2023-07-09 (week): P1, P2, P3, P5, P8, P9, P10, P11 -> 8 plans; children C1, C2, C3, C4, C6
#   (P8 and P9), C7, C8 -> 7.
# - 2023-07-16 (week): as 9 July plus P6 -> 9 plans; 8 children (C5 added).
# - 2023-07-31 (month): P1, P2, P3, P5, P6, P8, P11 (P9 ended 20 July, P10 ends on D) -> 7 plans;
#   7 children C1, C2, C3, C4, C5, C6, C8.
# - 2019-08-31: P7 -> 1; 2019-09-30: P7 ended 1 September -> 0.
#
# Children with an open referral episode (referral date <= D, close blank or > D):
# - 2023-06-30: C1, C2, C3, C5 (E6), C6 (E7), C7 (E8), C20 (E10 and E14: once), C21 (E11),
#   C22 (E12, referred on D) -> 9. Not: C4 (E4 closed on D, E5 from 1 July), C23 (31 July),
#   C24 (closed January), C25 (referred and closed on D).
# - 2023-07-09: C1, C2, C3, C4 (E5), C5, C6, C7, C20, C21 (closes 10 July), C22 -> 10.
# - 2023-07-31: C1, C2, C3, C4, C5, C6, C20, C22, C23 (referred on D) -> 9. Not C7 (E8 closed on
#   D), C21 (closed 10 July).
# C8 is on a plan with no referral episode: counted in the numerator all the same (assumption).
#
# Durations of plans ended (end - start days / 7): P7 184 d (Sep 2019), P4 536 d (June 2023),
# P9 15 d (Thu 20 July 2023), P10 152 d (31 July 2023).
#
# Second or subsequent (an earlier start for the same child, however long ago):
# P5 (C4: P4 earlier) yes; P6 (C5: P7 in 2019) yes; P8 and P9 (C6, same day) no; P10, P11, P1,
# P2, P3, P4, P7 no.
#
# 2 years or more at 2023-06-30: P1 730 days yes, P2 729 days yes, P3 728 days no.
# At 2023-07-02: P3 is 730 days -> P1, P2, P3. At 2023-06-25: P1 is 725 days -> none.


@pytest.fixture(scope="module")
def plans_out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("cp_plans")
    return run_kpis(
        tmp,
        {"ssd_cp_plans": PLANS, "ssd_cin_episodes": EPISODES},
        PLANS_EXTRACT,
        [
            "cp_plans_open",
            "cp_rate_per_10k",
            "cp_share_of_open_cases_pct",
            "cp_plan_duration_weeks",
            "cp_second_subsequent_pct",
            "cp_2yrs_plus_pct",
            # Their tables are absent from this extract:
            "s47_rate_per_10k",
            "icpc_15wd_pct",
            "cp_reviews_timely_pct",
            "cp_visits_10wd_pct",
        ],
    )


def test_cp_plans_open(plans_out: KpiOutput) -> None:
    assert plans_out.row("cp_plans_open", "week", "2023-06-25") == (6, None, 6)
    assert plans_out.row("cp_plans_open", "month", "2023-06-30") == (5, None, 5)
    assert plans_out.row("cp_plans_open", "quarter", "2023-06-30") == (5, None, 5)
    assert plans_out.row("cp_plans_open", "week", "2023-07-09") == (8, None, 8)  # C6 twice
    assert plans_out.row("cp_plans_open", "week", "2023-07-16") == (9, None, 9)
    assert plans_out.row("cp_plans_open", "month", "2023-07-31") == (7, None, 7)
    assert plans_out.row("cp_plans_open", "month", "2019-08-31") == (1, None, 1)
    assert plans_out.row("cp_plans_open", "month", "2019-09-30") == (0, None, 0)


def test_cp_rate_per_10k(plans_out: KpiOutput) -> None:
    assert plans_out.row("cp_rate_per_10k", "week", "2023-06-25") == (6, 50000, 1.2)
    # 5 x 10,000 / 50,500 = 0.990099 (the mid-2023 estimate from 30 June 2023).
    assert plans_out.row("cp_rate_per_10k", "month", "2023-06-30") == (5, 50500, 0.990099)
    # C6 has two open plans and counts once: 7 children -> 70,000 / 50,500 = 1.386139.
    assert plans_out.row("cp_rate_per_10k", "week", "2023-07-09") == (7, 50500, 1.386139)
    assert plans_out.row("cp_rate_per_10k", "week", "2023-07-16") == (8, 50500, 1.584158)
    assert plans_out.row("cp_rate_per_10k", "month", "2023-07-31") == (7, 50500, 1.386139)


def test_cp_share_of_open_cases_pct(plans_out: KpiOutput) -> None:
    assert plans_out.row("cp_share_of_open_cases_pct", "month", "2023-06-30") == (5, 9, 55.555556)
    assert plans_out.row("cp_share_of_open_cases_pct", "quarter", "2023-06-30") == (5, 9, 55.555556)
    assert plans_out.row("cp_share_of_open_cases_pct", "week", "2023-07-09") == (7, 10, 70)
    assert plans_out.row("cp_share_of_open_cases_pct", "month", "2023-07-31") == (7, 9, 77.777778)


def test_cp_plan_duration_weeks(plans_out: KpiOutput) -> None:
    # June 2023: P4, 536 / 7 = 76.571429 weeks.
    assert plans_out.row("cp_plan_duration_weeks", "month", "2023-06-30") == (
        76.571429,
        1,
        76.571429,
    )
    # July 2023: P9 15 d + P10 152 d = 167 d = 23.857143 weeks over 2 plans = 11.928571.
    assert plans_out.row("cp_plan_duration_weeks", "month", "2023-07-31") == (
        23.857143,
        2,
        11.928571,
    )
    # Week ending 23 July: P9 alone, 15 / 7 = 2.142857.
    assert plans_out.row("cp_plan_duration_weeks", "week", "2023-07-23") == (2.142857, 1, 2.142857)
    # (2022-07-31, 2023-07-31]: P4, P9, P10 = 703 d = 100.428571 weeks / 3 = 33.476190.
    assert plans_out.row("cp_plan_duration_weeks", "rolling_12m", "2023-07-31") == (
        100.428571,
        3,
        33.47619,
    )
    assert plans_out.row("cp_plan_duration_weeks", "month", "2019-09-30") == (
        26.285714,
        1,
        26.285714,
    )
    assert plans_out.row("cp_plan_duration_weeks", "month", "2023-05-31") == (0, 0, None)


def test_cp_second_subsequent_pct(plans_out: KpiOutput) -> None:
    assert plans_out.row("cp_second_subsequent_pct", "month", "2023-06-30") == (0, 1, 0)  # P11
    # July: P5 and P6 subsequent (P6's earlier plan is from 2019); P8, P9 start the same day -> 2 / 4.
    assert plans_out.row("cp_second_subsequent_pct", "month", "2023-07-31") == (2, 4, 50)
    assert plans_out.row("cp_second_subsequent_pct", "week", "2023-07-09") == (1, 3, 33.333333)
    assert plans_out.row("cp_second_subsequent_pct", "week", "2023-07-16") == (1, 1, 100)
    # (2022-07-31, 2023-07-31]: P10, P11, P5, P6, P8, P9 -> 2 / 6.
    assert plans_out.row("cp_second_subsequent_pct", "rolling_12m", "2023-07-31") == (
        2,
        6,
        33.333333,
    )
    assert plans_out.row("cp_second_subsequent_pct", "financial_year", "2019-03-31") == (
        0,
        1,
        0,
    )  # P7


def test_cp_2yrs_plus_pct(plans_out: KpiOutput) -> None:
    # 30 June 2023: P1 730 d and P2 729 d count, P3 728 d does not; P10, P11 young -> 2 / 5.
    assert plans_out.row("cp_2yrs_plus_pct", "month", "2023-06-30") == (2, 5, 40)
    assert plans_out.row("cp_2yrs_plus_pct", "quarter", "2023-06-30") == (2, 5, 40)
    assert plans_out.row("cp_2yrs_plus_pct", "week", "2023-06-25") == (0, 6, 0)
    assert plans_out.row("cp_2yrs_plus_pct", "week", "2023-07-02") == (3, 5, 60)
    assert plans_out.row("cp_2yrs_plus_pct", "week", "2023-07-09") == (3, 8, 37.5)
    assert plans_out.row("cp_2yrs_plus_pct", "month", "2023-07-31") == (3, 7, 42.857143)
    assert plans_out.row("cp_2yrs_plus_pct", "month", "2019-09-30") == (0, 0, None)


def test_kpis_whose_tables_are_absent_are_not_available(plans_out: KpiOutput) -> None:
    assert plans_out.available("cp_plans_open") == (True, None)
    for kpi_id, table in [
        ("s47_rate_per_10k", "ssd_s47_enquiry"),
        ("icpc_15wd_pct", "ssd_initial_cp_conference"),
        ("cp_reviews_timely_pct", "ssd_cp_reviews"),
        ("cp_visits_10wd_pct", "ssd_cp_visits"),
    ]:
        available, reason = plans_out.available(kpi_id)
        assert available is False
        assert reason is not None and table in reason
    assert plans_out.values.filter(plans_out.values["kpi_id"] == "icpc_15wd_pct").height == 0


# ---------------------------------------------------------------------------------------------
# Reviews (extract dated Mon 31 July 2023)
# ---------------------------------------------------------------------------------------------

REVIEWS_EXTRACT = "2023-07-31"
REVIEW_PLANS = """
cppl_cp_plan_id,cppl_person_id,cppl_icpc_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,cppl_cp_plan_initial_category,cppl_cp_plan_latest_category
Q1,C7,,2023-04-30,,NEG,NEG
Q2,C8,,2023-01-16,,NEG,NEG
Q3,C9,,2023-01-16,,NEG,NEG
Q4,C10,,2022-06-15,,NEG,NEG
Q5,C11,,2022-06-15,,NEG,NEG
Q6a,C12,,2023-01-02,,NEG,NEG
Q6b,C12,,2023-02-01,,NEG,NEG
Q7,C13,,2023-02-10,,NEG,NEG
Q8,C14,,2023-05-15,,NEG,NEG
Q9,C15,,2022-11-01,2023-07-20,NEG,NEG
Q10,C16,,2022-08-31,,NEG,NEG
"""
REVIEWS = """
cppr_cp_review_id,cppr_person_id,cppr_cp_plan_id,cppr_cp_review_due,cppr_cp_review_date
V1,C8,Q2,2023-04-16,2023-04-16
V2,C9,Q3,2023-04-16,2023-04-17
V3,C9,Q3,2023-10-17,2023-07-10
V4,C10,Q4,2022-09-15,2022-09-10
V5,C10,Q4,2023-03-10,2023-03-10
V6,C11,Q5,2022-09-15,2022-09-15
V7,C11,Q5,2023-04-01,2023-04-01
V8,C12,Q6a,2023-04-02,2023-03-30
V9,C12,Q6a,2023-09-30,2023-04-20
V10,C13,Q7,2023-02-05,2023-02-05
V11,C15,Q9,2023-02-01,2023-01-25
V12,C16,Q10,2022-11-30,2022-11-30
V13,C16,Q10,2023-05-31,2023-05-31
V14,C14,Q8,2023-08-15,
"""
# Deadline chains (first = start + 3 months, then review + 6 months; months clip to month end):
# Q1  start 2023-04-30 -> 2023-07-30; no review.
# Q2  start 2023-01-16 -> 2023-04-16; V1 on 04-16 (last day) -> 2023-10-16.
# Q3  start 2023-01-16 -> 2023-04-16; V2 on 04-17: late by one day (V3 cannot repair it).
# Q4  start 2022-06-15 -> 2022-09-15; V4 09-10 -> 2023-03-10; V5 03-10 (last day) -> 2023-09-10.
# Q5  start 2022-06-15 -> 2022-09-15; V6 09-15 -> 2023-03-15; V7 2023-04-01 late (its recorded
#     due date 04-01 is not used).
# Q6a start 2023-01-02 -> 2023-04-02; V8 03-30 -> 09-30; V9 04-20 -> 10-20.
# Q6b start 2023-02-01 -> 2023-05-01; no review of its own (V8, V9 are Q6a's: linked by plan id).
# Q7  start 2023-02-10 -> 2023-05-10; V10 (2023-02-05) is before the start and ignored.
# Q8  start 2023-05-15; V14 has no date (not held).
# Q9  start 2022-11-01 -> 2023-02-01; V11 01-25 -> 2023-07-25; the plan ends 2023-07-20.
# Q10 start 2022-08-31 -> 2022-11-30 (clipped); V12 11-30 -> 2023-05-30; V13 05-31 late by a day
#     (the chain runs from the review held, not from start + 9 months = 05-31).
#
# D = Sun 2023-03-12: qualifying (open, start <= months_before(D, 3) = 2022-12-12): Q4, Q5, Q9,
#     Q10. Q4 timely (V5 on 03-10 by D); Q5 deadline 03-15 not yet reached; Q9, Q10 timely -> 4 / 4.
# D = Sun 2023-03-19 (and 2023-03-31, start <= 2022-12-31: the same plans): Q5's 03-15 passed with
#     no review -> 3 / 4.
# D = Sun 2023-04-16: start <= 2023-01-16: Q2, Q3, Q4, Q5, Q6a, Q9, Q10 (children C8, C9, C10,
#     C11, C12, C15, C16). Q2 reviewed on D, its deadline; Q3's deadline is D itself with no review
#     yet: not missed; Q5 late (V7); others timely -> 6 / 7.
# D = Sun 2023-04-23: start <= 2023-01-23: the same plans; Q3 now late (V2) -> 5 / 7.
# D = Sun 2023-07-30: start <= 2023-04-30: Q1, Q2, Q3, Q4, Q5, Q6a+Q6b, Q7, Q10 (Q8 too recent,
#     Q9 ended) -> children C7, C8, C9, C10, C11, C12, C13, C16 = 8. Timely: C7 (deadline 07-30 is
#     D), C8, C10. Not: C9, C11, C12 (Q6b missed 05-01 though Q6a is timely), C13, C16 -> 3 / 8.
# D = Mon 2023-07-31: the same children; Q1's 07-30 has passed -> 2 / 8.


@pytest.fixture(scope="module")
def reviews_out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("cp_reviews")
    return run_kpis(
        tmp,
        {"ssd_cp_plans": REVIEW_PLANS, "ssd_cp_reviews": REVIEWS},
        REVIEWS_EXTRACT,
        ["cp_reviews_timely_pct"],
    )


def test_cp_reviews_timely_pct_deadline_before_and_after_d(reviews_out: KpiOutput) -> None:
    assert reviews_out.row("cp_reviews_timely_pct", "week", "2023-03-12") == (4, 4, 100)
    assert reviews_out.row("cp_reviews_timely_pct", "week", "2023-03-19") == (3, 4, 75)
    assert reviews_out.row("cp_reviews_timely_pct", "month", "2023-03-31") == (3, 4, 75)
    assert reviews_out.row("cp_reviews_timely_pct", "financial_year", "2023-03-31") == (3, 4, 75)


def test_cp_reviews_timely_pct_deadline_on_d(reviews_out: KpiOutput) -> None:
    assert reviews_out.row("cp_reviews_timely_pct", "week", "2023-04-16") == (6, 7, 85.714286)
    assert reviews_out.row("cp_reviews_timely_pct", "week", "2023-04-23") == (5, 7, 71.428571)
    assert reviews_out.row("cp_reviews_timely_pct", "week", "2023-07-30") == (3, 8, 37.5)
    assert reviews_out.row("cp_reviews_timely_pct", "month", "2023-07-31") == (2, 8, 25)
    assert reviews_out.row("cp_reviews_timely_pct", "rolling_12m", "2023-07-31") == (2, 8, 25)


# ---------------------------------------------------------------------------------------------
# Visits (extract dated Fri 30 June 2023)
# ---------------------------------------------------------------------------------------------

VISITS_EXTRACT = "2023-06-30"
VISIT_PLANS = """
cppl_cp_plan_id,cppl_person_id,cppl_icpc_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,cppl_cp_plan_initial_category,cppl_cp_plan_latest_category
W1,C1,,2023-01-10,,NEG,NEG
W2,C2,,2023-01-10,,NEG,NEG
W3,C3,,2023-05-16,,NEG,NEG
W4,C4,,2023-05-15,,NEG,NEG
W5a,C5,,2023-01-03,,NEG,NEG
W5b,C5,,2023-05-24,,NEG,NEG
W6,C6,,2023-03-01,2023-05-31,NEG,NEG
W7,C7,,2023-02-01,,NEG,NEG
W8,C8,,2023-02-01,,NEG,NEG
W9,C9,,2023-02-01,,NEG,NEG
"""
VISITS = """
cppv_cp_visit_id,cppv_person_id,cppv_cp_plan_id,cppv_cp_visit_date,cppv_cp_visit_seen,cppv_cp_visit_seen_alone
X1,C1,W1,2023-05-16,Y,Y
X2,C2,W2,2023-05-15,Y,N
X3,C2,W2,2023-05-20,N,N
X4,C4,W4,2023-06-01,Y,Y
X5,C5,W5a,2023-05-23,Y,Y
X6,C6,W6,2023-05-30,Y,Y
X7,C7,W7,2023-05-20,Y,Y
X8,C8,,2023-05-25,Yes,
X9,C8,W1,2023-06-02,1,
X10,C9,W9,2023-05-30,,
"""
# Working days back from D (29 May is a bank holiday):
# D = Wed 2023-05-31: wd(s, D) <= 10 for s >= Tue 16 May (17,18,19,22,23,24,25,26,30,31);
#     wd(15 May, D) = 11. Due children: wd(start, D) > 10, i.e. start <= 15 May.
# D = Sun 2023-05-28: wd(s, D) <= 10 for s >= Sun 14 May (15..19, 22..26); start <= 12 May due.
# D = Sun 2023-06-04: wd(s, D) <= 10 for s >= Thu 18 May (18,19,22..26,30,31,1,2); start <= 17 May.
#
# C1 visit 05-16: on the last day at 05-31 (10 wd), too old at 06-04 (12 wd).
# C2 visit 05-15: in at 05-28 (9 wd), a day too old at 05-31 (11 wd); 05-20 visit not seen (N).
# C3 plan 05-16: wd 10 at 05-31, not yet due (left out); due at 06-04 (12 wd), not visited.
# C4 plan 05-15: not due at 05-28 (9 wd); due at 05-31 (11 wd) with no visit yet; visit 06-01
#    counts at 06-04.
# C5 old plan W5a (due) and newer plan W5b from 05-24 (latest): the visit on 05-23 is before the
#    latest plan's start, so it never counts (Clarification 13).
# C6 plan ends 05-31: due at 05-28 (visit 05-30 is after D), not open at 05-31 or 06-04.
# C7 Saturday visit 05-20: 7 wd to 05-31, 9 wd to 06-04 -> counts.
# C8 visit 05-25 (seen "Yes", no plan id) and 06-02 (seen "1", another child's plan id): matched
#    by person -> counts at every date.
# C9 visit 05-30 with a blank seen flag: never counts.
# D = 2023-05-28: due C1, C2, C5, C6, C7, C8, C9 = 7; seen C1, C2, C7, C8 -> 4 / 7.
# D = 2023-05-31: due C1, C2, C4, C5, C7, C8, C9 = 7; seen C1, C7, C8 -> 3 / 7.
# D = 2023-06-04: due C1, C2, C3, C4, C5, C7, C8, C9 = 8; seen C4, C7, C8 -> 3 / 8.


@pytest.fixture(scope="module")
def visits_out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("cp_visits")
    return run_kpis(
        tmp,
        {"ssd_cp_plans": VISIT_PLANS, "ssd_cp_visits": VISITS},
        VISITS_EXTRACT,
        ["cp_visits_10wd_pct"],
    )


def test_cp_visits_10wd_pct(visits_out: KpiOutput) -> None:
    assert visits_out.row("cp_visits_10wd_pct", "week", "2023-05-28") == (4, 7, 57.142857)
    assert visits_out.row("cp_visits_10wd_pct", "month", "2023-05-31") == (3, 7, 42.857143)
    assert visits_out.row("cp_visits_10wd_pct", "week", "2023-06-04") == (3, 8, 37.5)
    # A snapshot's value for a longer period is its value at the period end.
    assert visits_out.row("cp_visits_10wd_pct", "rolling_12m", "2023-05-31") == (3, 7, 42.857143)
