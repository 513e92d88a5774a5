"""Golden tests: children on a CP plan and children in need with 3 or more allocated social
workers in the 12 months to D (issue 18; counted as cla_3plus_social_workers_pct, from the block
social_workers_3plus). Every expected number is worked out by hand below. Extract dated Mon 31
July 2023. Role codes: SW = allocated social worker, PA = personal adviser (tests/conftest.py
LA_YAML); XX is not mapped.

A worker counts at D when the involvement started on or before D and its end is blank or after
D - 12 months. For D = 31 July 2023 that is after 31 July 2022; for 30 June 2023 after 30 June
2022; for 31 March 2023 after 31 March 2022.
"""

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-07-31"
PERSON = """
pers_person_id,pers_sex,pers_ethnicity,pers_dob,pers_death_date
B1,F,WBRI,2012-01-01,
B2,M,WBRI,2013-01-01,
B3,F,WBRI,2014-01-01,
B4,M,WBRI,2015-01-01,
B5,F,WBRI,2016-01-01,
B6,M,WBRI,2017-01-01,
B7,F,WBRI,2018-01-01,
"""
PLANS = """
cppl_cp_plan_id,cppl_person_id,cppl_icpc_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,cppl_cp_plan_initial_category,cppl_cp_plan_latest_category
P1,B1,,2022-10-01,,NEG,NEG
P2,B2,,2023-01-15,2023-07-31,NEG,NEG
P3,B3,,2023-05-01,,EMO,EMO
P3b,B3,,2023-06-01,,EMO,EMO
P4,B4,,2023-07-01,2023-07-01,NEG,NEG
"""
EPISODES = """
cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_nfa,cine_close_reason,cine_close_date,cine_referral_team
R1,B1,2022-09-01,N1,1A,N,,,T2
R1b,B1,2023-03-01,N1,1A,N,,,T2
R2,B2,2023-01-10,N1,1A,N,RC1,2023-07-31,T2
R3,B3,2023-04-20,N1,1A,,,,T2
R4,B4,2023-07-01,N1,1A,N,,,T2
R5,B5,2023-02-01,N1,1A,Y,,,T2
R6,B6,2022-05-01,N1,1A,N,RC1,2023-06-30,T2
R7,B7,2023-07-15,N1,1A,N,,,T2
"""
INVOLVEMENTS = """
invo_involvements_id,invo_professional_id,invo_professional_role_id,invo_professional_team,invo_involvement_start_date,invo_involvement_end_date,invo_worker_change_reason,invo_person_id
I1,W1,SW,T2,2022-06-01,2022-07-31,,B1
I2,W2,SW,T2,2022-07-31,2023-02-01,,B1
I3,W3,SW,T2,2023-02-01,,,B1
I4,W1,SW,T2,2023-01-15,2023-03-01,,B2
I5,W2,SW,T2,2023-03-01,2023-05-01,,B2
I6,W1,SW,T2,2023-05-01,,,B2
I7,W9,PA,T2,2023-01-15,,,B2
I8,W4,SW,T2,2022-01-01,2023-05-01,,B3
I9,W5,SW,T2,2023-05-01,2023-06-15,,B3
I10,W6,sw,T2,2023-06-15,,,B3
I11,W8,XX,T2,2023-05-01,,,B3
I12,W7,SW,T2,2023-07-01,2023-07-10,,B4
I13,W8,SW,T2,2023-07-10,2023-07-20,,B4
I14,W10,SW,T2,2023-07-20,,,B4
I15,W1,SW,T2,2023-02-01,,,B5
I16,W2,SW,T2,2023-02-01,,,B5
I17,W3,SW,T2,2023-02-01,,,B5
I18,W1,SW,T2,2022-05-01,2022-09-01,,B6
I19,W2,SW,T2,2022-09-01,2023-01-01,,B6
I20,W3,SW,T2,2023-01-01,2023-06-30,,B6
"""
# Distinct allocated social workers (SW, any case) in the window, per child:
# - B1: W1 (ended 31 Jul 2022), W2, W3. 31 Mar and 30 Jun: 3. 31 Jul: W1 ended exactly on
#   D - 12 months, out -> 2.
# - B2: W1, W2, back to W1 (not a new one), W9 is a PA -> 2 at every D.
# - B3: W4 (ended 1 May 2023), W5, W6 ("sw" maps); W8 XX is unmapped. 30 Jun and 31 Jul: 3.
# - B4: W7, W8, W10 from July -> 3 at 31 Jul.
# - B5: 3 at every D from February (but never in need: the referral was NFA; never on a plan).
# - B6: W1 (ended 1 Sep 2022), W2, W3 -> 3 at 31 Mar.
# - B7: none.
#
# On a CP plan at D (a plan ending on D is closed; B4's plan ends the day it starts: never open):
# - 31 Mar: B1 (3), B2 (2) -> 1 of 2 = 50.
# - 30 Jun: B1 (3), B2 (2), B3 (3; two plans, counted once) -> 2 of 3 = 66.666667.
# - 31 Jul: B1 (2), B3 (3); B2's plan ended on 31 Jul -> 1 of 2 = 50.
#
# In need at D (an open, not-NFA episode; an episode closing on D is closed):
# - 31 Mar: B1 (3; two episodes, counted once), B2 (2), B6 (3) -> 2 of 3 = 66.666667. B5 is NFA.
# - 30 Jun: B1 (3), B2 (2), B3 (3; a blank NFA flag is not NFA); B6 closed on 30 Jun -> 2 of 3.
# - 31 Jul: B1 (2), B3 (3), B4 (3), B7 (0); B2 closed on 31 Jul -> 2 of 4 = 50.


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("social_worker_changes"),
        {
            "ssd_person": PERSON,
            "ssd_cp_plans": PLANS,
            "ssd_cin_episodes": EPISODES,
            "ssd_involvements": INVOLVEMENTS,
        },
        EXTRACT,
        ["cp_3plus_social_workers_pct", "cin_3plus_social_workers_pct"],
    )


@pytest.mark.parametrize(
    ("kpi_id", "period_end", "expected"),
    [
        ("cp_3plus_social_workers_pct", "2023-03-31", (1, 2, 50)),
        ("cp_3plus_social_workers_pct", "2023-06-30", (2, 3, 66.666667)),
        ("cp_3plus_social_workers_pct", "2023-07-31", (1, 2, 50)),
        ("cin_3plus_social_workers_pct", "2023-03-31", (2, 3, 66.666667)),
        ("cin_3plus_social_workers_pct", "2023-06-30", (2, 3, 66.666667)),
        ("cin_3plus_social_workers_pct", "2023-07-31", (2, 4, 50)),
    ],
)
def test_three_or_more_social_workers(
    out: KpiOutput, kpi_id: str, period_end: str, expected: tuple
) -> None:
    assert out.row(kpi_id, "month", period_end) == expected


def test_every_grain_reads_the_period_end(out: KpiOutput) -> None:
    # A snapshot: the rolling 12 months and the quarter to 30 June are the value at 30 June.
    for grain in ("rolling_12m", "quarter"):
        assert out.row("cp_3plus_social_workers_pct", grain, "2023-06-30") == (2, 3, 66.666667)
