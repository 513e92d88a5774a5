"""Golden test: a child whose episodes follow one another (a new episode at every placement
move, as the SSDA903 records them) has been in care continuously since the first one: the
long-term stability cohort (LAIT 393: in care 2.5 years or more) and the health-check cohort
(in care 12 months or more) count them. Until issue 18's second batch the block care_stretches
split care at every episode, so children who had moved dropped out of both cohorts and the demo
showed 100% long-term stability. Every expected number is worked out by hand below. Extract
dated Mon 31 July 2023.
"""

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-07-31"
PERSON = """
pers_person_id,pers_sex,pers_ethnicity,pers_dob,pers_death_date
C1,F,WBRI,2012-01-01,
C2,M,WBRI,2013-01-01,
C3,F,WBRI,2014-01-01,
C4,M,WBRI,2011-01-01,
"""
EPISODES = """
clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,clae_cla_primary_need_code,clae_cla_episode_ceased,clae_cla_episode_ceased_reason,clae_cla_id,clae_entered_care_date
E1a,C1,2020-01-01,S,N1,2021-06-01,X1,,
E1b,C1,2021-06-01,P,N1,,,,
E2a,C2,2020-03-01,S,N1,2023-01-10,X1,,
E2b,C2,2023-01-10,P,N1,,,,
E3,C3,2022-01-01,S,N1,,,,
E4a,C4,2019-01-01,S,N1,2022-05-01,E11,,
E4b,C4,2022-05-02,S,N1,,,,
"""
PLACEMENTS = """
clap_cla_placement_id,clap_cla_id,clap_person_id,clap_cla_placement_start_date,clap_cla_placement_end_date,clap_cla_placement_type,clap_cla_placement_provider,clap_cla_placement_change_reason
PL1,,C1,2020-01-01,2021-06-01,U4,PR1,CARPL
PL2,,C1,2021-06-01,,U4,PR1,
PL3,,C2,2020-03-01,2023-01-10,U4,PR1,ALLEG
PL4,,C2,2023-01-10,,U6,PR4,
PL5,,C3,2022-01-01,,U4,PR1,
PL6,,C4,2019-01-01,2022-05-01,U4,PR1,
PL7,,C4,2022-05-02,,U4,PR1,
"""
HEALTH = """
clah_health_check_id,clah_person_id,clah_health_check_type,clah_health_check_date,clah_health_check_status
H1,C2,HEALTH_ASSESSMENT,2023-03-01,
H2,C4,HEALTH_ASSESSMENT,2022-12-01,
"""
# In care continuously (episodes ceasing and starting on one day are one time in care):
# C1 since 2020-01-01; C2 since 2020-03-01; C3 since 2022-01-01; C4 since 2022-05-02 (its first
# episode ceased on 1 May 2022 and the next began a day later: a new time in care).
#
# cla_long_term_stability_pct (under 16; in care since D - 30 months or earlier; numerator: the
# current placement started on or before D - 24 months):
# - D = 2023-07-31: D - 30 months = 2021-01-31, D - 24 months = 2021-07-31. Cohort C1, C2 (C3
#   and C4 too recent). C1's PL2 from 2021-06-01: stable. C2's PL4 from 2023-01-10: not.
#   -> 1 of 2 = 50.
# - D = 2023-01-31: D - 30 months = 2020-07-31, D - 24 months = 2021-01-31. Cohort C1, C2 (C4's
#   time in care is from 2022-05-02). C1's PL2 from 2021-06-01: not yet; C2's PL4 from 2023-01-10:
#   not. -> 0 of 2 = 0.
#
# cla_health_assessment_pct (in care since D - 12 months or earlier; numerator: a health
# assessment in (D - 12 months, D]):
# - D = 2023-07-31: D - 12 months = 2022-07-31. Cohort C1, C2, C3, C4 (since 2022-05-02).
#   C2 (1 Mar 2023) and C4 (1 Dec 2022) had one. -> 2 of 4 = 50.


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("continuous_care"),
        {
            "ssd_person": PERSON,
            "ssd_cla_episodes": EPISODES,
            "ssd_cla_placement": PLACEMENTS,
            "ssd_cla_health": HEALTH,
        },
        EXTRACT,
        ["cla_long_term_stability_pct", "cla_health_assessment_pct", "cla_open"],
    )


@pytest.mark.parametrize(
    ("kpi_id", "period_end", "expected"),
    [
        ("cla_long_term_stability_pct", "2023-07-31", (1, 2, 50)),
        ("cla_long_term_stability_pct", "2023-01-31", (0, 2, 0)),
        ("cla_health_assessment_pct", "2023-07-31", (2, 4, 50)),
        # Each child once, whatever its episodes: C1-C4 at 31 July 2023 and at 30 April 2022.
        ("cla_open", "2023-07-31", (4, None, 4)),
        ("cla_open", "2022-04-30", (4, None, 4)),
    ],
)
def test_continuous_care(out: KpiOutput, kpi_id: str, period_end: str, expected: tuple) -> None:
    assert out.row(kpi_id, "month", period_end) == expected
