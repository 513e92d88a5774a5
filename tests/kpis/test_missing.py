"""Golden tests: missing episodes and return home interviews (RHI). Expected numbers by hand.

The extract is dated Sunday 14 May 2023. Mon 1 May and Mon 8 May (Coronation) are bank holidays,
which does not matter here: the 72 hours are clock hours, not working days. A date-only end is
read as 00:00. "The end of the extract date" is 2023-05-15 00:00.
"""

from pathlib import Path

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-05-14"
# Types and flags arrive in several spellings: Missing/away map to M/A, Yes/N/A to Y/NA.
MISSING = """
miss_table_id,miss_person_id,miss_missing_episode_start_date,miss_missing_episode_type,miss_missing_episode_end_date,miss_missing_rhi_offered,miss_missing_rhi_accepted
M12,C1,2023-03-31 23:30,A,2023-04-01 01:00,NA,NA
M10,C2,2023-04-10,M,2023-04-11 15:00,N,
M1,C1,2023-04-28 20:00,M,2023-04-29 10:00,Y,Y
M2,C3,2023-04-30 18:00,Missing,02/05/2023 09:00,Yes,Yes
M3,C4,2023-05-03 22:00,away,2023-05-04 08:00,Y,Y
M4,C1,2023-05-05,M,2023-05-06,N,
M5,C5,2023-05-07 10:00,M,2023-05-07 22:00,N/A,
M11,C6,2023-05-08 09:00,M,2023-05-08 18:00,Y,N
M6,C2,2023-05-10 01:00,Missing,2023-05-11 07:00,,
M7,C3,2023-05-11 20:00,M,2023-05-12 06:00,Y,Y
M9,C7,2023-05-11,M,2023-05-12,Y,
M8,C8,2023-05-12,M,,,
"""
INTERVIEWS = """
missing_id,rhi_completed_datetime
M1,2023-05-02 10:00
M2,05/05/2023 09:01
M3,2023-05-04 12:00
M4,2023-05-11 09:00
M4,2023-05-09T10:00
M5,2023-05-12 09:00
M5,2023-05-09 16:00
M11,
M99,2023-05-01 10:00
"""
# Hand working, by episode (type, start -> end, offered flag, earliest completed interview):
# M12 A  Fri 31 Mar 23:30 -> 1 Apr 01:00   NA   away: counted as an episode only (March)
# M10 M  Mon 10 Apr (00:00) -> 11 Apr 15:00 N   no interview; 72 h passed long ago: late
# M1  M  28 Apr 20:00 -> Sat 29 Apr 10:00   Y    RHI Tue 2 May 10:00 = exactly 72 h: on time
# M2  M  Sun 30 Apr 18:00 -> Tue 2 May 09:00 Y   RHI Fri 5 May 09:01 = 72 h + 1 min: late
# M3  A  3 May 22:00 -> 4 May 08:00         Y    away: not in the RHI KPIs
# M4  M  5 May -> Sat 6 May (date only: 00:00) N  interviews 9 May 10:00 and 11 May: the earliest
#                                                 is 82 h after 00:00: late (had the end been
#                                                 read as 23:59 it would have been 58 h)
# M5  M  Sun 7 May 10:00 -> 7 May 22:00     NA   interviews 12 May 09:00 and 9 May 16:00: the
#                                                 earliest is 42 h: on time (NA does not matter
#                                                 for rhi_72h_pct)
# M11 M  Mon 8 May 09:00 -> 8 May 18:00     Y    only an interview row with no datetime: not
#                                                 completed; 11 May 18:00 < 15 May 00:00: late
# M6  M  10 May 01:00 -> Thu 11 May 07:00   blank no interview; 14 May 07:00 < 15 May 00:00:
#                                                 the clock ran out on the extract date: late
# M7  M  11 May 20:00 -> Fri 12 May 06:00   Y    no interview; 15 May 06:00: clock still running,
#                                                 left out
# M9  M  11 May -> 12 May (date only: 00:00) Y   no interview; 72 h end exactly at 15 May 00:00,
#                                                 not before it: left out
# M8  M  Fri 12 May, still missing          blank no end: not in the RHI KPIs


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("missing")
    return run_kpis(
        tmp,
        {"ssd_missing": MISSING, "ext_return_interviews": INTERVIEWS},
        EXTRACT,
        ["missing_episodes", "rhi_offered_pct", "rhi_72h_pct"],
    )


def test_missing_episodes(out: KpiOutput) -> None:
    # By start date (missing and away alike; M8 has not ended and still counts).
    assert out.row("missing_episodes", "month", "2023-03-31") == (1, None, 1)  # M12 at 23:30
    assert out.row("missing_episodes", "month", "2023-04-30") == (3, None, 3)  # M10 M1 M2
    assert out.row("missing_episodes", "week", "2023-04-16") == (1, None, 1)  # M10
    assert out.row("missing_episodes", "week", "2023-04-30") == (2, None, 2)  # M1 M2
    assert out.row("missing_episodes", "week", "2023-05-07") == (3, None, 3)  # M3 M4 M5
    assert out.row("missing_episodes", "week", "2023-05-14") == (5, None, 5)  # M11 M6 M7 M9 M8
    assert out.row("missing_episodes", "rolling_12m", "2023-05-14") == (12, None, 12)
    # The financial year began on 1 April: M12 (31 March) is not in the year to date.
    assert out.row("missing_episodes", "ytd", "2023-05-14") == (11, None, 11)


def test_rhi_offered_pct(out: KpiOutput) -> None:
    # Type M by end date; NA left out; blank stays in the denominator.
    # April: M10 N, M1 Y -> 1 / 2
    assert out.row("rhi_offered_pct", "month", "2023-04-30") == (1, 2, 50)
    assert out.row("rhi_offered_pct", "week", "2023-04-16") == (0, 1, 0)  # M10 N
    # Week 1-7 May: M2 Y, M4 N; M5 NA left out; M3 is away -> 1 / 2
    assert out.row("rhi_offered_pct", "week", "2023-05-07") == (1, 2, 50)
    # Week 8-14 May: M11 Y, M6 blank, M7 Y, M9 Y -> 3 / 4 (M8 has not ended)
    assert out.row("rhi_offered_pct", "week", "2023-05-14") == (3, 4, 75)
    # Rolling 12 months: 5 / 8
    assert out.row("rhi_offered_pct", "rolling_12m", "2023-05-14") == (5, 8, 62.5)


def test_rhi_72h_pct(out: KpiOutput) -> None:
    # April (by end date): M1 on time (exactly 72 h), M10 late (never done) -> 1 / 2
    assert out.row("rhi_72h_pct", "month", "2023-04-30") == (1, 2, 50)
    assert out.row("rhi_72h_pct", "week", "2023-04-30") == (1, 1, 100)  # M1 (ended Sat 29)
    # Week 1-7 May: M2 late (72 h + 1 min), M4 late (date-only end), M5 on time -> 1 / 3
    assert out.row("rhi_72h_pct", "week", "2023-05-07") == (1, 3, 33.333333)
    # Week 8-14 May: M11 and M6 late (72 h passed by the end of 14 May); M7 and M9 still
    # within their 72 hours at the end of the extract date: left out -> 0 / 2
    assert out.row("rhi_72h_pct", "week", "2023-05-14") == (0, 2, 0)
    # Rolling 12 months and year to date: on time M1, M5 of M10 M1 M2 M4 M5 M11 M6 -> 2 / 7
    assert out.row("rhi_72h_pct", "rolling_12m", "2023-05-14") == (2, 7, 28.571429)
    assert out.row("rhi_72h_pct", "ytd", "2023-05-14") == (2, 7, 28.571429)


def test_rhi_72h_pct_is_not_available_without_interview_times(tmp_path: Path) -> None:
    only = run_kpis(
        tmp_path,
        {"ssd_missing": MISSING},
        EXTRACT,
        ["missing_episodes", "rhi_offered_pct", "rhi_72h_pct"],
    )
    available, reason = only.available("rhi_72h_pct")
    assert not available
    assert reason is not None and "ext_return_interviews" in reason
    # The flags alone still give the offered rate: same as with the interview table.
    assert only.available("rhi_offered_pct") == (True, None)
    assert only.row("rhi_offered_pct", "week", "2023-05-14") == (3, 4, 75)
    assert only.row("missing_episodes", "week", "2023-05-14") == (5, None, 5)
