"""Golden tests: homeless 16- and 17-year-olds' outcomes (section 20, section 17), days to
resolve a child missing education, and home-educated children known to children's social care
(issue 18). Every expected number is worked out by hand below. Extract dated Mon 31 July 2023.
"""

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-07-31"
HOMELESS = """
presentation_id,person_id,presentation_date,assessment_completed_date,outcome
H1,P1,2023-05-02,2023-05-10,accommodated_s20
H2,P2,2023-05-03,2023-05-20,s17_support
H3,P3,2023-05-04,2023-05-25,housing
H4,P4,2023-05-20,2023-06-02,accommodated_s20
H5,P5,2023-05-21,,
H6,P6,2023-06-01,2023-06-15,returned_home
H7,P7,2023-06-05,2023-06-30,
H8,P8,2023-06-10,2023-06-20,accommodated_s20
"""
# By assessment completion date (H5 not assessed: never counted):
# - May: H1 s20, H2 s17, H3 housing -> s20 1 of 3 = 33.333333; s17 1 of 3.
# - June: H4 s20, H6 returned home, H7 (no outcome), H8 s20 -> s20 2 of 4 = 50; s17 0 of 4.
EDUCATION = """
record_id,person_id,status,start_date,end_date
R1,K1,CME,2023-05-01,2023-05-11
R2,K2,CME,2023-04-20,2023-05-31
R3,K3,CME,2023-05-15,2023-05-15
R4,K4,CME,2023-06-01,
R5,K5,CME,2023-06-01,2023-06-29
R6,K6,cme,2023-06-10,2023-06-12
R7,K7,EHE,2022-09-01,
R8,K8,EHE,2023-01-01,
R9,K9,EHE,2023-02-01,2023-06-30
R10,K10,EHE,2023-03-01,
R11,K7,EHE,2023-05-01,
"""
# cme_days_to_resolve, CME records closed in the period, mean of end - start (calendar days):
# - May: R1 10, R2 41 (20 April to 31 May), R3 0 -> 51 / 3 = 17.
# - June: R5 28, R6 2 ("cme" read as CME) -> 30 / 2 = 15. R4 is still open: not counted.
REFERRALS = """
cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_nfa,cine_close_reason,cine_close_date,cine_referral_team
F7,K7,2021-03-01,N1,2A,N,RC8,2021-04-01,T1
F8,K8,2023-07-15,N1,2A,N,,,T1
F9,K9,2020-01-01,N1,2A,Y,RC8,2020-01-01,T1
"""
# ehe_known_to_csc_pct: children with an EHE record open at D, each once; known = a referral on
# or before D (closed and NFA ones too).
# - D = 2023-07-31: K7 (two records, once; referred 2021), K8 (referred 15 July), K10 (never);
#   K9's record ended 30 June -> 2 of 3 = 66.666667.
# - D = 2023-06-30: K7, K8 (not referred yet), K10; K9 closed on D -> 1 of 3 = 33.333333.
# - D = 2023-05-31: K7, K8, K9 (referred 2020, NFA), K10 -> 2 of 4 = 50.


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("other_new"),
        {
            "ext_homeless_16_17": HOMELESS,
            "ext_education_status": EDUCATION,
            "ssd_cin_episodes": REFERRALS,
        },
        EXTRACT,
        [
            "homeless_16_17_s20_pct",
            "homeless_16_17_s17_pct",
            "cme_days_to_resolve",
            "ehe_known_to_csc_pct",
        ],
    )


@pytest.mark.parametrize(
    ("kpi_id", "period_end", "expected"),
    [
        ("homeless_16_17_s20_pct", "2023-05-31", (1, 3, 33.333333)),
        ("homeless_16_17_s17_pct", "2023-05-31", (1, 3, 33.333333)),
        ("homeless_16_17_s20_pct", "2023-06-30", (2, 4, 50)),
        ("homeless_16_17_s17_pct", "2023-06-30", (0, 4, 0)),
        ("cme_days_to_resolve", "2023-05-31", (51, 3, 17)),
        ("cme_days_to_resolve", "2023-06-30", (30, 2, 15)),
        ("ehe_known_to_csc_pct", "2023-07-31", (2, 3, 66.666667)),
        ("ehe_known_to_csc_pct", "2023-06-30", (1, 3, 33.333333)),
        ("ehe_known_to_csc_pct", "2023-05-31", (2, 4, 50)),
    ],
)
def test_other_areas_measures(
    out: KpiOutput, kpi_id: str, period_end: str, expected: tuple
) -> None:
    assert out.row(kpi_id, "month", period_end) == expected
