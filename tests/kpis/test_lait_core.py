"""Golden tests: the LAIT core measures of issue 18 (children in need, child protection plans
starting and ceasing, plans ceasing after two years, children starting to be looked after).

Every expected number is worked out by hand below. Extract dated Mon 31 July 2023. Population
(tests/conftest.py LA_YAML): mid-2022 50,000 for D before 2023-06-30 (and as the earliest
estimate), mid-2023 50,500 from 2023-06-30. A rate is count x 10,000 / population, rounded to 6
decimals: 1 / 50,000 -> 0.2 per child; 10,000 / 50,500 = 0.198020 per child (2 -> 0.39604,
3 -> 0.594059, 4 -> 0.792079, 5 -> 0.990099).
"""

from pathlib import Path

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-07-31"

# ------------------------------------------------------------------------- children in need
EPISODES = """
cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_nfa,cine_close_reason,cine_close_date,cine_referral_team
R8,C7,2022-11-01,N1,1A,N,RC1,2023-01-31,T1
R1,C1,2023-01-10,N1,5A,N,,,T1
R2,C2,2023-03-01,N1,6,Y,RC8,2023-03-01,T1
R3,C3,2023-02-15,N2,2A,N,RC1,2023-06-30,T2
R4,C3,2023-06-20,N2,2A,N,,,T2
R5,C4,2023-07-03,N3,6,Y,,,T1
R6,C5,30/06/2023,N1,1A,,RC2,2023-07-31,T2
R7,C6,2023-05-05,N1,1A,N,RC8,2023-05-05,T1
"""
# cin_rate_per_10k: children with an episode open at the end of D (referral <= D, close blank or
# after D), NFA referrals left out (R2 closed anyway; R5 is still open but NFA), counted once.
# - 2022-12-31: C7 (R8) -> 1 child, 1 x 10,000 / 50,000 = 0.2.
# - 2023-01-31: C1 (R1 from 10 Jan); C7's R8 closes on 31 Jan, so closed at its end -> 1 -> 0.2.
# - 2023-03-31: C1, C3 (R3); C2 is NFA -> 2 -> 0.4.
# - 2023-05-31: C1, C3; C6's R7 closed the day it opened (never open at a day's end) -> 2 -> 0.4.
# - week 2023-06-25: C1, C3 (R3 and R4 both open, one child) -> 2 -> 0.4 (population 50,000).
# - 2023-06-30: C1, C3 (R3 closes on 30 June, R4 still open), C5 (R6 referred 30 June, written
#   DD/MM/YYYY, blank NFA flag = not NFA) -> 3; population 50,500 -> 0.594059.
# - week 2023-07-30: C1, C3, C5 -> 3 -> 0.594059.
# - 2023-07-31: C5's R6 closes on 31 July; C4's R5 is NFA -> C1, C3 = 2 -> 0.39604.


@pytest.fixture(scope="module")
def cin(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("cin"),
        {"ssd_cin_episodes": EPISODES},
        EXTRACT,
        ["cin_rate_per_10k"],
    )


@pytest.mark.parametrize(
    ("grain", "period_end", "children", "population", "rate"),
    [
        ("month", "2022-12-31", 1, 50000, 0.2),
        ("month", "2023-01-31", 1, 50000, 0.2),
        ("month", "2023-03-31", 2, 50000, 0.4),
        ("month", "2023-05-31", 2, 50000, 0.4),
        ("week", "2023-06-25", 2, 50000, 0.4),
        ("month", "2023-06-30", 3, 50500, 0.594059),
        ("week", "2023-07-30", 3, 50500, 0.594059),
        ("month", "2023-07-31", 2, 50500, 0.39604),
    ],
)
def test_cin_rate_per_10k(
    cin: KpiOutput, grain: str, period_end: str, children: int, population: int, rate: float
) -> None:
    assert cin.row("cin_rate_per_10k", grain, period_end) == (children, population, rate)


# ------------------------------------------------------------------- child protection plans
PLANS = """
cppl_cp_plan_id,cppl_person_id,cppl_icpc_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,cppl_cp_plan_initial_category,cppl_cp_plan_latest_category
P1,C1,,2021-04-01,2023-03-30,NEG,NEG
P2,C2,,2021-04-01,2023-03-31,NEG,NEG
P3,C3,,2022-08-15,2023-04-03,EMO,EMO
P4,C4,,2020-06-01,2023-04-20,PHY,PHY
P5,C4,,2023-04-20,,PHY,PHY
P6,C5,,2023-05-10,2023-05-10,NEG,NEG
P7,C6,,2022-07-31,,NEG,NEG
P8,C7,,31/07/2023,,SAB,SAB
"""
# Plan lengths (end - start, calendar days): 2021-04-01 -> 2022-04-01 is 365 days, -> 2023-04-01
# 730, so P1 (ends 2023-03-30) = 728: under two years, by one day; P2 (ends 2023-03-31) = 729:
# two years on the last possible day. P3 231 days, P4 (from 2020-06-01) over 1,000, P6 0.
#
# cp_ceased_2yrs_plus_pct: plans ending in the period; numerator those with length >= 729.
# - month 2023-03-31: P1 (no), P2 (yes) -> (1, 2, 50).
# - month 2023-04-30: P3 (no), P4 (yes) -> (1, 2, 50).
# - month 2023-05-31: P6, started and ended the same day (no) -> (0, 1, 0).
# - month 2023-06-30: none ended -> (0, 0, blank).
# - quarter 2023-06-30 (Apr-Jun): P3, P4, P6 -> (1, 3, 33.333333).
# - financial_year 2023-03-31: P1, P2 -> (1, 2, 50).
#
# cp_plans_started_per_10k: plans starting in (D - 12 months, D] / population at D x 10,000.
# - D = 2023-07-31: (2022-07-31, 2023-07-31]: P7 starts exactly on D - 12 months (out); P3, P5,
#   P6, P8 (on D, written DD/MM/YYYY) -> 4, population 50,500 -> 0.792079.
# - D = 2023-07-30 (week): (2022-07-30, 2023-07-30]: P7 in, P8 out -> P3, P5, P6, P7 = 4.
# - D = 2023-04-30: (2022-04-30, 2023-04-30]: P7, P3, P5 -> 3, population 50,000 -> 0.6.
# - D = 2023-03-31 (financial year): (2022-03-31, 2023-03-31]: P7, P3 -> 2 -> 0.4.
#
# cp_plans_ceased_per_10k: plans ending in (D - 12 months, D].
# - D = 2023-07-31: P1, P2, P3, P4, P6 (same-day plan still ended) -> 5, 50,500 -> 0.990099.
# - D = 2023-03-31: P1, P2 -> 2, 50,000 -> 0.4.
# - D = 2023-03-26 (week): none yet (P1 ends 30 March) -> 0 -> 0.


@pytest.fixture(scope="module")
def cp(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("cp"),
        {"ssd_cp_plans": PLANS},
        EXTRACT,
        ["cp_ceased_2yrs_plus_pct", "cp_plans_started_per_10k", "cp_plans_ceased_per_10k"],
    )


@pytest.mark.parametrize(
    ("grain", "period_end", "expected"),
    [
        ("month", "2023-03-31", (1, 2, 50)),
        ("month", "2023-04-30", (1, 2, 50)),
        ("month", "2023-05-31", (0, 1, 0)),
        ("month", "2023-06-30", (0, 0, None)),
        ("quarter", "2023-06-30", (1, 3, 33.333333)),
        ("financial_year", "2023-03-31", (1, 2, 50)),
    ],
)
def test_cp_ceased_2yrs_plus_pct(
    cp: KpiOutput, grain: str, period_end: str, expected: tuple[int, int, float | None]
) -> None:
    assert cp.row("cp_ceased_2yrs_plus_pct", grain, period_end) == expected


@pytest.mark.parametrize(
    ("kpi_id", "grain", "period_end", "expected"),
    [
        ("cp_plans_started_per_10k", "month", "2023-07-31", (4, 50500, 0.792079)),
        ("cp_plans_started_per_10k", "week", "2023-07-30", (4, 50500, 0.792079)),
        ("cp_plans_started_per_10k", "month", "2023-04-30", (3, 50000, 0.6)),
        ("cp_plans_started_per_10k", "financial_year", "2023-03-31", (2, 50000, 0.4)),
        ("cp_plans_ceased_per_10k", "month", "2023-07-31", (5, 50500, 0.990099)),
        ("cp_plans_ceased_per_10k", "month", "2023-03-31", (2, 50000, 0.4)),
        ("cp_plans_ceased_per_10k", "week", "2023-03-26", (0, 50000, 0)),
    ],
)
def test_cp_plans_starting_and_ceasing_per_10k(
    cp: KpiOutput, kpi_id: str, grain: str, period_end: str, expected: tuple[int, int, float]
) -> None:
    assert cp.row(kpi_id, grain, period_end) == expected


# ------------------------------------------------------- children starting to be looked after
CLA_EPISODES = """
clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,clae_cla_primary_need_code,clae_cla_episode_ceased,clae_cla_episode_ceased_reason,clae_cla_id,clae_entered_care_date
E7,C5,2022-07-31,S,N1,,,,
E1,C1,2022-09-01,S,N1,2022-10-01,E13,,
E2,C1,2023-02-01,S,N1,,,,
E5,C3,2023-01-15,S,N6,,,,
E3,C2,2023-03-10,S,N1,2023-05-01,X1,,
E4,C2,2023-05-01,P,N1,,,,
E6,C4,2023-04-10,S,N2,,,,
E10,C8,2023-06-15,S,N1,,,,
E8,C6,2023-07-31,S,N1,,,,
"""
CLA_LEGAL = """
lega_legal_status_id,lega_person_id,lega_legal_status,lega_legal_status_start_date,lega_legal_status_end_date
L1,C2,C2,2023-03-10,
L2,C3,V3,2023-01-15,
L3,C4,V4,2023-01-01,2023-04-10
L4,C4,C2,2023-04-10,
"""
# cla_started_per_10k: children with an S episode starting in (D - 12 months, D], counted once;
# an S episode while a V3/V4 status is open on its first day is a short break, left out.
# - C3 (E5): V3 open from its first day -> never counted.
# - C4 (E6, 10 April): its V4 ended on 10 April, so is not open at the end of that day -> counts.
# - C2: E3 is the start; E4 (P, a placement change) is not a start.
# - D = 2023-07-31: (2022-07-31, 2023-07-31]: C5's E7 is exactly D - 12 months (out); C1 (E1 and
#   E2, one child), C2, C4, C8, C6 (E8, on D) -> 5, population 50,500 -> 0.990099.
# - D = 2023-07-30 (week): (2022-07-30, 2023-07-30]: C5 in, C6 out -> C5, C1, C2, C4, C8 = 5.
# - D = 2023-01-31: (2022-01-31, 2023-01-31]: C5, C1 (E1); C3 left out -> 2, 50,000 -> 0.4.
# - D = 2023-03-31 (financial year): (2022-03-31, 2023-03-31]: C5, C1 (twice, once), C2 -> 3 -> 0.6.


@pytest.fixture(scope="module")
def cla(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("cla"),
        {"ssd_cla_episodes": CLA_EPISODES, "ssd_legal_status": CLA_LEGAL},
        EXTRACT,
        ["cla_started_per_10k"],
    )


@pytest.mark.parametrize(
    ("grain", "period_end", "expected"),
    [
        ("month", "2023-07-31", (5, 50500, 0.990099)),
        ("week", "2023-07-30", (5, 50500, 0.990099)),
        ("month", "2023-01-31", (2, 50000, 0.4)),
        ("financial_year", "2023-03-31", (3, 50000, 0.6)),
    ],
)
def test_cla_started_per_10k(
    cla: KpiOutput, grain: str, period_end: str, expected: tuple[int, int, float]
) -> None:
    assert cla.row("cla_started_per_10k", grain, period_end) == expected


def test_cla_started_per_10k_without_legal_status_counts_every_start(tmp_path: Path) -> None:
    # No ssd_legal_status: C3's start cannot be seen as a short break, so it counts. D = 2023-01-31:
    # C5, C1, C3 -> 3 -> 0.6.
    out = run_kpis(tmp_path, {"ssd_cla_episodes": CLA_EPISODES}, EXTRACT, ["cla_started_per_10k"])
    assert out.row("cla_started_per_10k", "month", "2023-01-31") == (3, 50000, 0.6)
