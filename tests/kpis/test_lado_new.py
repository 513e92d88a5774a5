"""Golden tests: LADO referrals resolved within one and three months (Keeping children safe in
education 2023: 80% and 90%) and resolved as substantiated (issue 18). Every expected number is
worked out by hand below. Extract dated Mon 31 July 2023.

Deadlines are received + 1 or 3 calendar months, clipped to month end (months_after); one not
resolved is late once its deadline is before the extract date.
"""

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-07-31"
LADO = """
lado_id,received_date,initial_consideration_date,outcome,resolved_date
L1,2023-01-31,2023-01-31,substantiated,2023-02-28
L2,2023-01-10,2023-01-11,unsubstantiated,2023-02-11
L3,2023-01-20,2023-01-20,Substantiated ,01/05/2023
L4,2023-01-25,2023-01-26,,
L8,2023-06-05,2023-06-05,substantiated,2023-06-30
L7,2023-06-30,2023-06-30,,
L6,2023-07-03,2023-07-03,unfounded,2023-07-20
L5,2023-07-10,2023-07-10,false,
"""
# Received in January: L1, L2, L3, L4.
# - L1 31 Jan: one month -> 28 Feb (clipped), three -> 30 Apr; resolved 28 Feb: on time for both,
#   on the last day of the month.
# - L2 10 Jan: one month -> 10 Feb; resolved 11 Feb, a day late; three -> 10 Apr: on time.
# - L3 20 Jan: resolved 1 May (written DD/MM/YYYY): late for one (20 Feb) and three (20 Apr).
# - L4 25 Jan: not resolved; 25 Feb and 25 Apr are before 31 July: late for both.
#   lado_resolved_1m_pct January: 1 of 4 = 25; lado_resolved_3m_pct January: 2 of 4 = 50.
# June: L8 (5 Jun, resolved 30 Jun: on time for both); L7 (30 Jun, not resolved: one month ->
# 30 Jul, before 31 July: late; three months -> 30 Sep, not yet due: left out).
#   1m: 1 of 2 = 50; 3m: 1 of 1 = 100.
# July: L6 (resolved 20 Jul, on time); L5 (10 Jul, not resolved, 10 Aug not yet due: left out).
#   1m and 3m: 1 of 1 = 100.
# lado_substantiated_pct, by resolution date: February L1 (substantiated), L2 -> 1 of 2 = 50; May
# L3 ("Substantiated " read without case or spaces) -> 1 of 1; July L6 (unfounded) -> 0 of 1.
# Not resolved (L4, L5, L7) never count.


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("lado_new"),
        {"ext_lado_referrals": LADO},
        EXTRACT,
        ["lado_resolved_1m_pct", "lado_resolved_3m_pct", "lado_substantiated_pct"],
    )


@pytest.mark.parametrize(
    ("kpi_id", "period_end", "expected"),
    [
        ("lado_resolved_1m_pct", "2023-01-31", (1, 4, 25)),
        ("lado_resolved_3m_pct", "2023-01-31", (2, 4, 50)),
        ("lado_resolved_1m_pct", "2023-06-30", (1, 2, 50)),
        ("lado_resolved_3m_pct", "2023-06-30", (1, 1, 100)),
        ("lado_resolved_1m_pct", "2023-07-31", (1, 1, 100)),
        ("lado_resolved_3m_pct", "2023-07-31", (1, 1, 100)),
        ("lado_substantiated_pct", "2023-02-28", (1, 2, 50)),
        ("lado_substantiated_pct", "2023-05-31", (1, 1, 100)),
        ("lado_substantiated_pct", "2023-07-31", (0, 1, 0)),
    ],
)
def test_lado_resolution(out: KpiOutput, kpi_id: str, period_end: str, expected: tuple) -> None:
    assert out.row(kpi_id, "month", period_end) == expected
