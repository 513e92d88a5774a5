"""Golden tests: placement type mix (LAIT 396, 397, 401) and long-term placement stability (LAIT
393) (issue 18). Every expected number is worked out by hand below. Extract dated Mon 31 July
2023.
"""

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-07-31"
PERSON = """
pers_person_id,pers_sex,pers_ethnicity,pers_dob,pers_death_date
C1,F,WBRI,2010-01-01,
C2,M,WBRI,2012-05-05,
C3,F,WBRI,2007-07-31,
C4,M,WBRI,2015-01-01,
C5,F,WBRI,2011-01-01,
C6,M,WBRI,2009-01-01,
C7,F,WBRI,2013-01-01,
C9,M,WBRI,2012-01-01,
"""
EPISODES = """
clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,clae_cla_primary_need_code,clae_cla_episode_ceased,clae_cla_episode_ceased_reason,clae_cla_id,clae_entered_care_date
E1,C1,2020-01-01,S,N1,,,,
E2,C2,2020-06-01,S,N1,,,,
E3,C3,2019-01-01,S,N1,,,,
E4,C4,2021-01-31,S,N1,,,,
E5,C5,2019-01-01,S,N1,,,,
E6,C6,2018-01-01,S,N1,,,,
E7,C7,2019-01-01,S,N1,,,,
E8,C8,2019-01-01,S,N1,,,,
E9,C9,2019-01-01,S,N6,,,,
"""
LEGAL = """
lega_legal_status_id,lega_person_id,lega_legal_status,lega_legal_status_start_date,lega_legal_status_end_date
L9,C9,V3,2019-01-01,
"""
PLACEMENTS = """
clap_cla_placement_id,clap_cla_id,clap_person_id,clap_cla_placement_start_date,clap_cla_placement_end_date,clap_cla_placement_type,clap_cla_placement_provider,clap_cla_placement_change_reason
PL1,,C1,2020-01-01,2021-07-31,U4,PR1,
PL2,,C1,2021-07-31,,U4,PR1,
PL3,,C2,2020-06-01,2022-01-01,K2,PR4,
PL4,,C2,2022-01-01,,K2,PR4,
PL5,,C3,2019-01-01,,U1,PR1,
PL7,,C4,2021-01-31,2023-03-01,U4,PR1,
PL6,,C4,2023-03-01,,A4,PR1,
PL9,,C5,2019-01-01,2022-08-15,U6,PR1,
PL8,,C5,2022-09-01,,A5,PR1,
PL10,,C7,2019-01-01,,P1,PR0,
PL11,,C8,2023-07-01,,U6,PR4,
PL12,,C9,2019-01-01,,U4,PR1,
"""
# Looked after at D: C1..C8 (C9 is on short breaks: V3). C6 has no placement; C8 has no person
# row (no date of birth).
#
# Placement mix, current placement by type:
# - D = 2023-07-31: 8 children. Foster (U1-U6): C1 U4, C3 U1, C8 U6 -> 3 of 8 = 37.5. Homes
#   (K1, K2): C2 -> 1 of 8 = 12.5. With parents (P1): C7 -> 12.5. C4 (A4) and C5 (A5) are
#   placed for adoption; C6 has none.
# - D = 2023-06-30: foster C1, C3 (C4 is placed for adoption since 1 March; C8's placement
#   starts 1 July) -> 2 of 8 = 25.
#
# Long-term stability: under 16 on D, looked after at every day's end from D - 30 months to D;
# numerator current placement started on or before D - 24 months (placement for adoption: from
# the previous placement's start when that ended the day it began).
# - D = 2023-07-31 (D - 30 months = 2021-01-31, D - 24 months = 2021-07-31): C1 (PL2 from
#   2021-07-31: exactly 2 years, 1), C2 (PL4 from 2022: 0), C4 (in care from 2021-01-31, exactly
#   30 months; PL6 A4 began the day PL7 ended, so from 2021-01-31: 1), C5 (PL8 A5 began after a
#   gap from PL9, so from 2022-09-01: 0), C6 (no placement: 0), C7 (P1 since 2019: 1). C3 is 16
#   on D (born 2007-07-31): out. C8: no date of birth, out -> 3 of 6 = 50.
# - D = 2023-07-30 (week; 2021-01-30 and 2021-07-30): C4 not yet 30 months in care: out; C3 is
#   15: in (U1 since 2019: 1); C1's PL2 a day short of 2 years: 0 -> C1 0, C2 0, C3 1, C5 0,
#   C6 0, C7 1 -> 2 of 6 = 33.333333.
# - D = 2023-06-30 (2020-12-31 and 2021-06-30): C1 0, C2 0, C3 1, C5 0, C6 0, C7 1; C4 out ->
#   2 of 6 = 33.333333.


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("placements_new"),
        {
            "ssd_person": PERSON,
            "ssd_cla_episodes": EPISODES,
            "ssd_legal_status": LEGAL,
            "ssd_cla_placement": PLACEMENTS,
        },
        EXTRACT,
        [
            "cla_foster_pct",
            "cla_childrens_homes_pct",
            "cla_placed_with_parents_pct",
            "cla_long_term_stability_pct",
        ],
    )


@pytest.mark.parametrize(
    ("kpi_id", "grain", "period_end", "expected"),
    [
        ("cla_foster_pct", "month", "2023-07-31", (3, 8, 37.5)),
        ("cla_childrens_homes_pct", "month", "2023-07-31", (1, 8, 12.5)),
        ("cla_placed_with_parents_pct", "month", "2023-07-31", (1, 8, 12.5)),
        ("cla_foster_pct", "month", "2023-06-30", (2, 8, 25)),
        ("cla_long_term_stability_pct", "month", "2023-07-31", (3, 6, 50)),
        ("cla_long_term_stability_pct", "week", "2023-07-30", (2, 6, 33.333333)),
        ("cla_long_term_stability_pct", "month", "2023-06-30", (2, 6, 33.333333)),
    ],
)
def test_placement_measures(
    out: KpiOutput, kpi_id: str, grain: str, period_end: str, expected: tuple
) -> None:
    assert out.row(kpi_id, grain, period_end) == expected


# Placements more than 20 miles from home: the same children, with distances (miles).
DISTANCES = """
clap_cla_placement_id,clap_cla_id,clap_person_id,clap_cla_placement_start_date,clap_cla_placement_end_date,clap_cla_placement_type,clap_cla_placement_provider,clap_cla_placement_change_reason,clap_cla_placement_distance
PL2,,C1,2021-07-31,,U4,PR1,,20
PL4,,C2,2022-01-01,,K2,PR4,,20.1
PL5,,C3,2019-01-01,,U1,PR1,,
PL7,,C4,2021-01-31,2023-03-01,U4,PR1,,5
PL6,,C4,2023-03-01,,A4,PR1,,35
PL8,,C5,2022-09-01,,A5,PR1,,12
PL10,,C7,2019-01-01,,P1,PR0,,0
PL11,,C8,2023-07-01,,U6,PR4,,45.5
PL12,,C9,2019-01-01,,U4,PR1,,50
"""
# cla_placed_over_20_miles_pct: looked after at D with a current placement whose distance is
# recorded; numerator more than 20 miles. C3's distance is blank and C6 has no placement: both
# out. C9 is on short breaks (not looked after).
# - D = 2023-07-31: C1 (20: not more), C2 (20.1), C4 (35, the A4 since 1 March), C5 (12), C7 (0),
#   C8 (45.5) -> C2, C4, C8 = 3 of 6 = 50.
# - D = 2023-02-28: C1 0, C2 1, C4 (PL7, 5 miles) 0, C5 0, C7 0; C8 not placed yet -> 1 of 5 = 20.


@pytest.fixture(scope="module")
def distances(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("distances"),
        {"ssd_cla_episodes": EPISODES, "ssd_legal_status": LEGAL, "ssd_cla_placement": DISTANCES},
        EXTRACT,
        ["cla_placed_over_20_miles_pct"],
    )


@pytest.mark.parametrize(
    ("period_end", "expected"), [("2023-07-31", (3, 6, 50)), ("2023-02-28", (1, 5, 20))]
)
def test_cla_placed_over_20_miles(distances: KpiOutput, period_end: str, expected: tuple) -> None:
    assert distances.row("cla_placed_over_20_miles_pct", "month", period_end) == expected
