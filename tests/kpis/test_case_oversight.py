"""Golden test: children whose case had management oversight in the last N weeks (N = 4, the
parameter oversight_weeks) (issue 18). Every expected number is worked out by hand below.
Extract dated Mon 31 July 2023; the window at D is (D - 28 days, D].
"""

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-07-31"
EPISODES = """
cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_nfa,cine_close_reason,cine_close_date,cine_referral_team
R1,C1,2023-01-01,N1,1A,N,,,T1
R2,C2,2023-05-01,N1,1A,N,RC7,2023-07-31,T1
R3,C3,2023-06-01,N1,1A,Y,,,T1
R4,C4,2023-03-01,N1,1A,N,,,T2
R5,C4,2023-07-01,N1,1A,N,,,T2
R6,C5,2023-07-10,N1,1A,,,,T2
"""
OVERSIGHT = """
oversight_id,person_id,oversight_date,manager_id
O1,C1,2023-07-03,M1
O2,C2,2023-07-20,M1
O3,C3,2023-07-25,M1
O4,C4,31/07/2023,M2
O5,C4,2023-07-15,M2
O6,C9,2023-07-20,M2
O7,C1,2023-06-20,M1
O8,C2,2023-06-02,M1
O9,C4,2023-06-03,
"""
# Children in need at D: an open referral episode at the end of D, NFA referrals left out (C3),
# each child once (C4 has R4 and R5). C9 has no episode, so O6 never counts; O3 is C3's (NFA).
# - D = 2023-07-31, window (3 July, 31 July]: in need C1, C4, C5 (C2's episode closes on D) -> 3.
#   Covered: C4 (O4 on D, written DD/MM/YYYY; O5 too, once). C1's O1 is on 3 July, exactly 28
#   days before: out -> 1 of 3 = 33.333333.
# - D = 2023-07-30 (week), window (2 July, 30 July]: in need C1, C2, C4, C5 -> 4. Covered: C1
#   (O1), C2 (O2), C4 (O5) -> 3 of 4 = 75.
# - D = 2023-06-30, window (2 June, 30 June]: in need C1, C2, C4 (C5 not yet) -> 3. Covered: C1
#   (O7), C4 (O9, blank manager); C2's O8 is on 2 June, exactly 28 days before: out -> 2 of 3.


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("oversight"),
        {"ssd_cin_episodes": EPISODES, "ext_case_oversight": OVERSIGHT},
        EXTRACT,
        ["case_oversight_pct"],
    )


@pytest.mark.parametrize(
    ("grain", "period_end", "expected"),
    [
        ("month", "2023-07-31", (1, 3, 33.333333)),
        ("week", "2023-07-30", (3, 4, 75)),
        ("month", "2023-06-30", (2, 3, 66.666667)),
    ],
)
def test_case_oversight_pct(out: KpiOutput, grain: str, period_end: str, expected: tuple) -> None:
    assert out.row("case_oversight_pct", grain, period_end) == expected
