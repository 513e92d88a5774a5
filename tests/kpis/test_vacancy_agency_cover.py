"""Golden test: vacancies covered by agency social workers (issue 18): the council's agency FTE in
post at D up to its vacant FTE, over vacant FTE at D. Every expected number is worked out by hand
below. Extract dated Mon 31 July 2023.
"""

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-07-31"
WORKER_PERIODS = """
worker_id,team_id,period_start,period_end,fte,agency,org_role,leaving_reason
A1,T1,2023-01-01,,1.0,Y,5,
A2,T1,2023-03-01,2023-06-30,0.5,Y,4,
A3,T2,2023-02-01,,0.8,,5,
A4,T2,2023-07-01,,1.0,Y,3,
A5,T2,2023-07-01,,0.5,Y,1,
E1,T1,2022-01-01,,1.0,N,5,
"""
VACANCIES = """
team_id,as_at_date,vacant_fte
T1,2023-03-31,2.0
T1,2023-06-30,1.5
T2,2023-05-15,1.0
T2,2023-07-31,0.5
"""
# Agency FTE at D (agency Y, period open at D; A3's blank flag is not agency, E1 is employed):
# A1 1.0 from January; A2 0.5 from 1 March until its period ends on 30 June (not open then);
# A4 1.0 + A5 0.5 from 1 July. 28 Feb 1.0; 31 Mar and 31 May 1.5; 30 Jun 1.0; 31 Jul 2.5.
# Vacant FTE at D (each team's latest row on or before D, summed): T1 2.0 from 31 Mar, 1.5 from
# 30 Jun; T2 1.0 from 15 May, 0.5 from 31 Jul (the extract day).
# - 28 Feb: no vacancy row yet -> denominator 0, value blank.
# - 31 Mar: 1.5 of 2.0 -> 75.
# - 31 May: 1.5 of 2.0 + 1.0 = 3.0 -> 50.
# - 30 Jun: 1.0 of 1.5 + 1.0 = 2.5 -> 40.
# - 31 Jul: 2.5 agency for 1.5 + 0.5 = 2.0 vacant covers 2.0 (the rest covers none) -> 100.


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("vacancy_agency_cover"),
        {"ext_worker_periods": WORKER_PERIODS, "ext_vacancies": VACANCIES},
        EXTRACT,
        ["vacancy_agency_cover_pct", "vacancy_rate_pct"],
    )


@pytest.mark.parametrize(
    ("period_end", "expected"),
    [
        ("2023-02-28", (0, 0, None)),
        ("2023-03-31", (1.5, 2, 75)),
        ("2023-05-31", (1.5, 3, 50)),
        ("2023-06-30", (1, 2.5, 40)),
        ("2023-07-31", (2, 2, 100)),
    ],
)
def test_vacancy_agency_cover(out: KpiOutput, period_end: str, expected: tuple) -> None:
    assert out.row("vacancy_agency_cover_pct", "month", period_end) == expected


def test_vacancy_rate_reads_the_same_vacancies(out: KpiOutput) -> None:
    # vacancy_rate_pct from the shared block: 31 Jul, vacant 2.0 over 2.0 + employed E1 1.0.
    assert out.row("vacancy_rate_pct", "month", "2023-07-31") == (2, 3, 66.666667)
