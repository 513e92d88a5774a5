"""Golden tests: return home interviews accepted and completed, and children in care who went
missing (LAIT 161) (issue 18). Every expected number is worked out by hand below. Extract dated
Mon 31 July 2023: a clock still running counts once return + 72 hours is before 2023-08-01 00:00.
"""

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-07-31"
MISSING = """
miss_table_id,miss_person_id,miss_missing_episode_start_date,miss_missing_episode_type,miss_missing_episode_end_date,miss_missing_rhi_offered,miss_missing_rhi_accepted
M1,C1,2023-06-01 10:00,M,2023-06-02 08:00,Y,Y
M2,C1,2023-06-10,M,2023-06-11,Y,N
M3,C2,2023-06-15,M,2023-06-16,Y,
M4,C3,2023-06-20,M,2023-06-21,N,NA
M5,C4,2023-06-25,A,2023-06-26,Y,Y
M6,C2,2023-06-27,M,2023-06-28,Y,NA
M7,C5,2023-06-28,M,2023-06-29,Y,Y
M12,C9,2023-06-05,M,2023-06-05,Y,Y
M8,C6,2023-07-27,M,2023-07-29 12:00,Y,Y
M9,C6,2023-07-26,M,2023-07-28 00:00,Y,Y
M10,C7,2023-07-01,M,2023-07-02,Y,Y
M11,C8,2023-07-10,M,2023-07-10,Y,N
M13,C10,2022-07-31,M,2022-08-01,NA,NA
"""
INTERVIEWS = """
missing_id,rhi_completed_datetime
M1,2023-06-03 10:00
M12,2023-06-06 09:00
M10,2023-07-20 15:00
"""
# rhi_accepted_pct: type M, ended in the period (the return's date), offered Y; accepted NA out,
# blank in the denominator.
# - June: M1 Y, M2 N, M3 blank, M7 Y, M12 Y -> 3 of 5 = 60. M4 not offered, M5 away (A), M6
#   accepted NA: left out.
# - July: M8, M9, M10 Y, M11 N -> 3 of 4 = 75.
# rhi_completed_pct: type M, ended in the period, accepted Y; completed at any time, or not
# completed once return + 72 h < 2023-08-01 00:00.
# - June: M1 (completed), M12 (completed), M7 (none; 29 June + 72 h long past) -> 2 of 3.
# - July: M10 (completed 18 days late: still completed), M9 (none; 28 July 00:00 + 72 h = 31 July
#   00:00, before 1 August: counts as not done); M8 (29 July 12:00 + 72 h = 1 August 12:00, clock
#   still running: left out) -> 1 of 2 = 50.
EPISODES = """
clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,clae_cla_primary_need_code,clae_cla_episode_ceased,clae_cla_episode_ceased_reason,clae_cla_id,clae_entered_care_date
E1,C1,2022-01-01,S,N1,,,,
E2,C2,2023-01-01,S,N1,,,,
E3,C3,2021-01-01,S,N1,2022-09-01,E13,,
E4,C4,2022-01-01,S,N1,,,,
E5,C5,2022-05-01,S,N1,,,,
E6,C6,2023-07-01,S,N1,,,,
E10,C10,2020-01-01,S,N1,,,,
"""
# cla_missing_pct: children looked after at the end of a day in (D - 12 months, D]; numerator
# those with a type M episode starting in the same window. C7, C8, C9 were never in care.
# - D = 2023-07-31 (window from 2022-08-01): in care C1, C2, C3 (until 31 Aug 2022), C4, C5, C6,
#   C10 -> 7. Missing: C1 (M1), C2 (M3), C3 (M4, after leaving care: still counted), C5 (M7), C6
#   (M8, M9). C4's only episode is away (A); C10's M13 started 2022-07-31, exactly D - 12 months:
#   out -> 5 of 7 = 71.428571.
# - D = 2023-07-30 (week; window from 2022-07-31): the same 7; C10's M13 now in -> 6 of 7 =
#   85.714286.
# - D = 2023-05-31 (window from 2022-06-01): C1, C2, C3, C4, C5, C10 (C6 not yet in care) -> 6;
#   only C10's M13 -> 1 of 6 = 16.666667.


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("missing_new"),
        {
            "ssd_missing": MISSING,
            "ext_return_interviews": INTERVIEWS,
            "ssd_cla_episodes": EPISODES,
        },
        EXTRACT,
        ["rhi_accepted_pct", "rhi_completed_pct", "cla_missing_pct"],
    )


@pytest.mark.parametrize(
    ("kpi_id", "grain", "period_end", "expected"),
    [
        ("rhi_accepted_pct", "month", "2023-06-30", (3, 5, 60)),
        ("rhi_accepted_pct", "month", "2023-07-31", (3, 4, 75)),
        ("rhi_completed_pct", "month", "2023-06-30", (2, 3, 66.666667)),
        ("rhi_completed_pct", "month", "2023-07-31", (1, 2, 50)),
        ("cla_missing_pct", "month", "2023-07-31", (5, 7, 71.428571)),
        ("cla_missing_pct", "week", "2023-07-30", (6, 7, 85.714286)),
        ("cla_missing_pct", "month", "2023-05-31", (1, 6, 16.666667)),
    ],
)
def test_missing_measures(
    out: KpiOutput, kpi_id: str, grain: str, period_end: str, expected: tuple
) -> None:
    assert out.row(kpi_id, grain, period_end) == expected
