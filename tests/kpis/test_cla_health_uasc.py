"""Golden tests: health assessments and dental checks of children in care for 12 months (LAIT 3)
and unaccompanied asylum-seeking children in care (issue 18). Every expected number is worked out
by hand below. Extract dated Mon 31 July 2023.
"""

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-07-31"
EPISODES = """
clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,clae_cla_primary_need_code,clae_cla_episode_ceased,clae_cla_episode_ceased_reason,clae_cla_id,clae_entered_care_date
H1,C1,2021-01-10,S,N1,,,,
H2,C2,2022-07-31,S,N1,,,,
H3,C3,2022-08-01,S,N1,,,,
H4,C4,2020-05-01,S,N1,2023-07-31,E13,,
H5,C5,2021-03-01,S,N6,,,,
H6a,C6,2022-01-10,S,N1,2022-06-01,X1,,
H6b,C6,2022-06-01,P,N1,,,,
H7a,C7,2021-01-01,S,N1,2023-01-01,E13,,
H7b,C7,2023-02-01,S,N1,,,,
"""
LEGAL = """
lega_legal_status_id,lega_person_id,lega_legal_status,lega_legal_status_start_date,lega_legal_status_end_date
L5,C5,V3,2021-03-01,
"""
HEALTH = """
clah_health_check_id,clah_person_id,clah_health_check_type,clah_health_check_date,clah_health_check_status
K1,C1,HEALTH_ASSESSMENT,2022-07-31,Completed
K2,C1,Dental check,31/07/2023,Completed
K3,C2,Health assessment,2023-01-15,
K4,C4,HEALTH_ASSESSMENT,2023-03-01,Completed
K5,C6,HEALTH_ASSESSMENT,2022-09-01,Completed
K6,C6,HEALTH_ASSESSMENT,2023-06-01,Completed
K7,C6,DENTAL_CHECK,2022-07-31,Completed
K8,C7,HEALTH_ASSESSMENT,2023-03-01,Completed
K9,C3,HEALTH_ASSESSMENT,2023-05-01,Completed
K10,C5,HEALTH_ASSESSMENT,2023-01-01,Completed
"""
# Cohort: looked after at the end of every day from D - 12 months to D (care stretches; C5 is on
# short breaks only, never in). C6's two episodes meet (X1 then P): one stretch from 2022-01-10.
# C7 left care on 2023-01-01 and came back on 2023-02-01: its stretch starts 2023-02-01.
# - D = 2023-07-31 (D - 12 months = 2022-07-31): C1; C2 (in care from 2022-07-31, exactly 12
#   months); C6. Not C3 (from 2022-08-01), C4 (left on D), C7 -> 3 children.
#   Health assessments in (2022-07-31, 2023-07-31]: C1's K1 is exactly D - 12 months (out); C2's K3
#   ("Health assessment", mapped); C6's K5 and K6 (once) -> 2 of 3 = 66.666667.
#   Dental checks: C1's K2 on D (written DD/MM/YYYY, "Dental check" mapped) in; C6's K7 on
#   2022-07-31 out -> 1 of 3 = 33.333333.
# - D = 2023-07-30 (week; D - 12 months = 2022-07-30): C1, C4 (still in care), C6; not C2 (from
#   2022-07-31) -> 3. Health (2022-07-30, 2023-07-30]: C1's K1 in, C4's K4, C6 -> 3 of 3 = 100.
#   Dental: C1's K2 is after D; C6's K7 in -> 1 of 3.
# - D = 2023-06-30 (D - 12 months = 2022-06-30): C1, C4, C6 -> 3; health 3 of 3; dental C6's K7
#   -> 1 of 3. K8 (C7) and K9 (C3) never count: not in care 12 months. K10 (C5): short breaks.


@pytest.fixture(scope="module")
def health(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("health"),
        {"ssd_cla_episodes": EPISODES, "ssd_legal_status": LEGAL, "ssd_cla_health": HEALTH},
        EXTRACT,
        ["cla_health_assessment_pct", "cla_dental_check_pct"],
    )


@pytest.mark.parametrize(
    ("kpi_id", "grain", "period_end", "expected"),
    [
        ("cla_health_assessment_pct", "month", "2023-07-31", (2, 3, 66.666667)),
        ("cla_dental_check_pct", "month", "2023-07-31", (1, 3, 33.333333)),
        ("cla_health_assessment_pct", "week", "2023-07-30", (3, 3, 100)),
        ("cla_dental_check_pct", "week", "2023-07-30", (1, 3, 33.333333)),
        ("cla_health_assessment_pct", "month", "2023-06-30", (3, 3, 100)),
        ("cla_dental_check_pct", "month", "2023-06-30", (1, 3, 33.333333)),
    ],
)
def test_cla_health_and_dental_checks(
    health: KpiOutput, kpi_id: str, grain: str, period_end: str, expected: tuple
) -> None:
    assert health.row(kpi_id, grain, period_end) == expected


IMMIGRATION = """
immi_immigration_status_id,immi_person_id,immi_immigration_status,immi_immigration_status_start_date,immi_immigration_status_end_date
I1,C2,UASC,2022-07-31,
I2,C3,Unaccompanied asylum-seeking child,2022-08-01,2023-07-31
I3,C7,Refugee,2023-02-01,
I4,C5,UASC,2021-03-01,
"""
# cla_uasc_pct: children looked after at the end of D; numerator those with a UASC status open at
# D. C5 is on short breaks (not looked after); C7's status is not UASC.
# - D = 2023-07-31: looked after C1, C2, C3, C6, C7 (C4 left on D) -> 5; UASC: C2 (C3's ended on
#   D) -> 1 of 5 = 20.
# - D = 2023-07-30 (week): C1, C2, C3, C4, C6, C7 -> 6; UASC C2, C3 -> 2 of 6 = 33.333333.
# - D = 2022-07-31: C1, C2 (from that day), C4, C6, C7 (first episode) -> 5; UASC C2 -> 20.
# - D = 2022-06-30: C1, C4, C6, C7 -> 4; no UASC yet -> 0 of 4 = 0.


@pytest.fixture(scope="module")
def uasc(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("uasc"),
        {
            "ssd_cla_episodes": EPISODES,
            "ssd_legal_status": LEGAL,
            "ssd_immigration_status": IMMIGRATION,
        },
        EXTRACT,
        ["cla_uasc_pct"],
    )


@pytest.mark.parametrize(
    ("grain", "period_end", "expected"),
    [
        ("month", "2023-07-31", (1, 5, 20)),
        ("week", "2023-07-30", (2, 6, 33.333333)),
        ("month", "2022-07-31", (1, 5, 20)),
        ("month", "2022-06-30", (0, 4, 0)),
    ],
)
def test_cla_uasc_pct(uasc: KpiOutput, grain: str, period_end: str, expected: tuple) -> None:
    assert uasc.row("cla_uasc_pct", grain, period_end) == expected


def test_cla_uasc_pct_needs_the_immigration_table(tmp_path_factory: pytest.TempPathFactory) -> None:
    out = run_kpis(
        tmp_path_factory.mktemp("no_uasc"),
        {"ssd_cla_episodes": EPISODES},
        EXTRACT,
        ["cla_uasc_pct"],
    )
    available, reason = out.available("cla_uasc_pct")
    assert not available and "ssd_immigration_status" in (reason or "")
