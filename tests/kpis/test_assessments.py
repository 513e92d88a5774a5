"""Golden tests: assessments (single assessments completed, within 45 working days, open over 45
working days; historic initial and core assessments within 7 and 35 working days).

Every expected number is worked out by hand below, from the catalogue's definitions.
wd(a, b) = working days d with a < d <= b (the start day is day 0).

Bank holidays used: 2023-04-07 (Good Friday), 2023-04-10 (Easter Monday), 2023-05-01,
2023-05-08 (Coronation), 2023-05-29. The extract is dated Monday 31 July 2023 (a month end).
"""

from pathlib import Path

import polars as pl
import pytest

from pipelines.lib.kpi.definitions import load_definitions
from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-07-31"
ASSESSMENTS = """
cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_child_seen,cina_assessment_auth_date,cina_assessment_outcome_nfa,cina_assessment_team,cina_assessment_worker_id
S1,P1,R1,2023-03-06,Y,2023-05-12,N,T1,W1
S2,P2,R2,2023-03-06,Y,2023-05-15,N,T2,W2
S3,P3,R3,2023-04-01,Y,04/04/2023,N,T1,W1
S4,P4,R4,,Y,2023-05-10,N,T2,W2
S5,P5,R5,2023-05-02,,,,T2,W2
S6,P6,R6,2023-03-06,,,,T2,W2
S7,P7,R7,2023-01-09,Y,2023-05-31,N,T1,W1
S8,P8,R8,2023-05-15,Y,2023-05-16,Y,T2,W2
I1,P9,,2023-04-06,Y,2023-04-19,N,T1,W1
I5,P13,,2023-05-20,,,,T1,W1
C3,P14,,2023-04-03,Y,2023-05-10,N,T1,W1
"""
TYPES = """
assessment_id,assessment_type
S8,single
I1,initial
I2,Initial
I3,initial
I4,initial
I5,initial
C1,core
C2,CORE
C3,core
"""
# S1-S7 have no type row -> single; S8 is single by its row (Clarification 10).
#
# Working days, counted by hand:
# - from Mon 6 Mar 2023: 7-10 Mar 4, 13-17 Mar 9, 20-24 Mar 14, 27-31 Mar 19, 3-6 Apr 23 (Fri 7
#   Good Friday), 11-14 Apr 27 (Mon 10 Easter Monday), 17-21 Apr 32, Mon 24 33, Tue 25 34,
#   Wed 26 35, Thu 27 36, Fri 28 37, 2-5 May 41 (Mon 1 holiday), Tue 9 42, Wed 10 43, Thu 11 44,
#   Fri 12 May 45 (Mon 8 Coronation), Mon 15 May 46, ... Fri 19 May 50.
#   So wd(6 Mar, 12 May) = 45, wd(6 Mar, Sun 14 May) = 45, wd(6 Mar, 15 May) = 46,
#   wd(6 Mar, Sun 21 May) = 50, wd(6 Mar, Sun 30 Apr) = 37, wd(6 Mar, Fri 31 Mar) = 19.
# - from Mon 9 Jan 2023: 10-13 Jan 4, 16-20 9, 23-27 14, 30 Jan - 3 Feb 19, 6-10 Feb 24,
#   13-17 29, 20-24 34, 27 Feb - 3 Mar 39, 6-10 Mar 44, Mon 13 Mar 45, Tue 14 Mar 46.
#   So wd(9 Jan, Sun 12 Mar) = 44 and wd(9 Jan, D) > 45 from Tue 14 Mar.
# - from Tue 2 May 2023: 3-5 May 3, 9-12 7, 15-19 12, 22-26 17, 30 May - 2 Jun 21 (Mon 29 May
#   holiday), 5-9 Jun 26, 12-16 31, 19-23 36, 26-30 41, Mon 3 Jul 42, Tue 4 43, Wed 5 44, Thu 6 45,
#   Fri 7 Jul 46. So wd(2 May, Sun 2 Jul) = 41 and wd(2 May, Sun 9 Jul) = 46.
#
# Single assessments authorised (assessments_completed, assessments_45wd_pct):
# - S3 Sat 1 Apr -> Tue 4 Apr: Mon 3, Tue 4 = 2 -> within (a weekend start). April.
# - S1 Mon 6 Mar -> Fri 12 May: 45 -> within, on its last day. May, T1.
# - S2 Mon 6 Mar -> Mon 15 May: 46 -> missed by one day. May, T2.
# - S4 blank start -> Wed 10 May: denominator only (Clarification 10). May, T2.
# - S7 Mon 9 Jan -> Wed 31 May: far beyond 45 -> late. May, T1.
# - S8 Mon 15 May -> Tue 16 May: 1 -> within. May, T2.
# - I1 (initial, April) and C3 (core, May) are typed: not single, left out.
#   April: 1 completed, 1 / 1 within. May: 5 completed (T1 S1, S7; T2 S2, S4, S8), within S1, S8
#   -> 2 / 5 (T1 1 / 2, T2 1 / 3). Week 8-14 May: S1, S4 -> 2 completed, 1 / 2. Week 15-21 May:
#   S2, S8 -> 2 completed, 1 / 2. Rolling 12 months to 31 May: S3, S1, S2, S4, S7, S8 -> 6,
#   within 3 / 6.
#
# assessments_open_over_45wd (single, started by D, not authorised by D, wd(start, D) > 45):
# - S7 (9 Jan - 31 May): over 45 from Tue 14 Mar until Tue 30 May; authorised on 31 May, so not
#   open at the end of 31 May.
# - S6 (6 Mar, never authorised): over 45 from Mon 15 May (at Sun 14 May it is on day 45: not).
# - S2 (6 Mar - 15 May): day 45 at Sun 14 May (not over), authorised 15 May -> never counted.
# - S1 (6 Mar - 12 May): authorised on its 45th day -> never counted.
# - S5 (2 May, never authorised): over 45 from Fri 7 Jul.
# - S4 (blank start) never; I5 (initial, open since Sat 20 May, 50 working days at 31 Jul) is
#   not single -> never.
#   Sun 12 Mar: 0 (S7 on day 44). Fri 31 Mar: S7 -> 1. Sun 30 Apr: S7 -> 1 (S6 day 37).
#   Sun 14 May: S7 -> 1. Sun 21 May: S7, S6 -> 2 (T1 S7, T2 S6). Sun 28 May: S7, S6 -> 2.
#   Wed 31 May: S6 -> 1. Fri 30 Jun: S6 -> 1 (S5 day 41). Sun 2 Jul: S6 -> 1 (S5 day 41).
#   Sun 9 Jul: S6, S5 -> 2. Mon 31 Jul: S6, S5 -> 2 (both T2).
#
# Initial and core assessments (replaced by the single assessment in 2013-14, so their KPIs
# apply until 31 March 2014: in the 2023 extract above they are not applicable, see
# test_eras_*). Their golden tests use HISTORIC, the same cases in 2011, extract dated Sunday
# 3 July 2011. Bank holidays crossed: Good Friday 22 Apr, Easter Monday 25 Apr, the royal
# wedding Fri 29 Apr, Mon 2 May 2011.
#
# initial_assessments_7wd_pct:
# - I1 Tue 5 Apr -> Thu 14 Apr 2011: Wed 6 1, Thu 7 2, Fri 8 3, Mon 11 4, Tue 12 5, Wed 13 6,
#   Thu 14 7 -> within, on its last day. T1.
# - I2 Tue 5 Apr -> Fri 15 Apr: 8 -> missed by one day. T2.
# - I3 blank start -> Fri 15 Apr: denominator only. T2.
# - I4 Wed 27 Apr -> same day: 0 -> within. T1.
# - I5 not authorised: not in a flow KPI of authorisations.
#   April: 2 / 4 (T1 2 / 2, T2 0 / 2). Week 11-17 Apr: I1, I2, I3 -> 1 / 3. Week 25 Apr - 1 May:
#   I4 -> 1 / 1. Quarter Apr-Jun 2011: 2 / 4.
#
# core_assessments_35wd_pct:
# - C1 Mon 7 Mar -> Wed 27 Apr 2011: 8-11 Mar 4, 14-18 9, 21-25 14, 28 Mar - 1 Apr 19, 4-8 Apr
#   24, 11-15 29, 18-21 33 (Fri 22 holiday), Tue 26 34 (Mon 25 holiday), Wed 27 35 -> within, on
#   its last day. T1.
# - C2 Mon 7 Mar -> Thu 28 Apr: 36 -> missed by one day. T2.
# - C3 Mon 4 Apr -> Wed 11 May: 5-8 Apr 4, 11-15 9, 18-21 13, 26-28 16, 3-6 May 20, 9, 10, 11 23
#   -> within. T1.
#   April: 1 / 2 (T1 1 / 1, T2 0 / 1). May: 1 / 1. Week 25 Apr - 1 May: C1, C2 -> 1 / 2.
#   Quarter Apr-Jun 2011: 2 / 3.
HISTORIC_EXTRACT = "2011-07-03"
HISTORIC = """
cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_child_seen,cina_assessment_auth_date,cina_assessment_outcome_nfa,cina_assessment_team,cina_assessment_worker_id
I1,P9,,2011-04-05,Y,2011-04-14,N,T1,W1
I2,P10,,2011-04-05,Y,2011-04-15,N,T2,W2
I3,P11,,,Y,2011-04-15,N,T2,W2
I4,P12,,2011-04-27,Y,2011-04-27,N,T1,W1
I5,P13,,2011-05-20,,,,T1,W1
C1,P9,,2011-03-07,Y,2011-04-27,N,T1,W1
C2,P10,,2011-03-07,Y,2011-04-28,N,T2,W2
C3,P14,,2011-04-04,Y,2011-05-11,N,T1,W1
"""

KPIS = [
    "assessments_completed",
    "assessments_45wd_pct",
    "assessments_open_over_45wd",
    "initial_assessments_7wd_pct",
    "core_assessments_35wd_pct",
]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("assessments")
    return run_kpis(
        tmp,
        {"ssd_cin_assessments": ASSESSMENTS, "ext_assessment_types": TYPES},
        EXTRACT,
        KPIS,
    )


@pytest.fixture(scope="module")
def historic(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("assessments-2011")
    tables = {"ssd_cin_assessments": HISTORIC, "ext_assessment_types": TYPES}
    return run_kpis(tmp, tables, HISTORIC_EXTRACT, KPIS)


def test_assessments_completed(out: KpiOutput) -> None:
    kpi = "assessments_completed"
    assert out.row(kpi, "month", "2023-04-30") == (1, None, 1)
    assert out.row(kpi, "month", "2023-05-31") == (5, None, 5)
    assert out.row(kpi, "week", "2023-05-14") == (2, None, 2)
    assert out.row(kpi, "week", "2023-05-21") == (2, None, 2)
    assert out.row(kpi, "rolling_12m", "2023-05-31") == (6, None, 6)
    assert out.dimension(kpi, "team", "month", "2023-05-31") == {
        "T1": (2, None, 2),
        "T2": (3, None, 3),
    }


def test_assessments_45wd_pct(out: KpiOutput) -> None:
    kpi = "assessments_45wd_pct"
    assert out.row(kpi, "month", "2023-04-30") == (1, 1, 100)
    assert out.row(kpi, "month", "2023-05-31") == (2, 5, 40)
    assert out.row(kpi, "week", "2023-05-14") == (1, 2, 50)
    assert out.row(kpi, "week", "2023-05-21") == (1, 2, 50)
    assert out.row(kpi, "rolling_12m", "2023-05-31") == (3, 6, 50)
    # No authorisation in June: 0 / 0 -> blank.
    assert out.row(kpi, "month", "2023-06-30") == (0, 0, None)
    assert out.dimension(kpi, "team", "month", "2023-05-31") == {
        "T1": (1, 2, 50),
        "T2": (1, 3, 33.333333),
    }


def test_assessments_open_over_45wd(out: KpiOutput) -> None:
    kpi = "assessments_open_over_45wd"
    assert out.row(kpi, "week", "2023-03-12") == (0, None, 0)
    assert out.row(kpi, "month", "2023-03-31") == (1, None, 1)
    assert out.row(kpi, "month", "2023-04-30") == (1, None, 1)
    assert out.row(kpi, "week", "2023-05-14") == (1, None, 1)
    assert out.row(kpi, "week", "2023-05-21") == (2, None, 2)
    assert out.row(kpi, "week", "2023-05-28") == (2, None, 2)
    assert out.row(kpi, "month", "2023-05-31") == (1, None, 1)
    assert out.row(kpi, "month", "2023-06-30") == (1, None, 1)
    assert out.row(kpi, "week", "2023-07-02") == (1, None, 1)
    assert out.row(kpi, "week", "2023-07-09") == (2, None, 2)
    assert out.row(kpi, "month", "2023-07-31") == (2, None, 2)
    # A snapshot's value for any period is its value at the period end.
    assert out.row(kpi, "quarter", "2023-06-30") == (1, None, 1)
    assert out.dimension(kpi, "team", "week", "2023-05-21") == {
        "T1": (1, None, 1),
        "T2": (1, None, 1),
    }
    assert out.dimension(kpi, "team", "month", "2023-07-31") == {"T2": (2, None, 2)}


def test_initial_assessments_7wd_pct(historic: KpiOutput) -> None:
    kpi = "initial_assessments_7wd_pct"
    assert historic.row(kpi, "month", "2011-04-30") == (2, 4, 50)
    assert historic.row(kpi, "week", "2011-04-17") == (1, 3, 33.333333)
    assert historic.row(kpi, "week", "2011-05-01") == (1, 1, 100)
    assert historic.row(kpi, "quarter", "2011-06-30") == (2, 4, 50)
    assert historic.dimension(kpi, "team", "month", "2011-04-30") == {
        "T1": (2, 2, 100),
        "T2": (0, 2, 0),
    }


def test_initial_assessments_timescale_is_a_parameter(tmp_path: Path) -> None:
    """Default 7 working days (NI 59, the 2010 notice's baseline); at 10 (Working Together 2010)
    I2's 8 working days (2011 cases) are within too: April 3 / 4 (T1 2 / 2, T2 1 / 2)."""
    kpi = "initial_assessments_7wd_pct"
    assert next(k for k in load_definitions() if k.id == kpi).parameters == {
        "initial_assessment_days": 7
    }
    ten = run_kpis(
        tmp_path,
        {"ssd_cin_assessments": HISTORIC, "ext_assessment_types": TYPES},
        HISTORIC_EXTRACT,
        [kpi],
        parameters={kpi: {"initial_assessment_days": 10}},
    )
    assert ten.row(kpi, "month", "2011-04-30") == (3, 4, 75)
    assert ten.dimension(kpi, "team", "month", "2011-04-30") == {
        "T1": (2, 2, 100),
        "T2": (1, 2, 50),
    }


def test_core_assessments_35wd_pct(historic: KpiOutput) -> None:
    kpi = "core_assessments_35wd_pct"
    assert historic.row(kpi, "month", "2011-04-30") == (1, 2, 50)
    assert historic.row(kpi, "month", "2011-05-31") == (1, 1, 100)
    assert historic.row(kpi, "week", "2011-05-01") == (1, 2, 50)
    assert historic.row(kpi, "quarter", "2011-06-30") == (2, 3, 66.666667)
    assert historic.dimension(kpi, "team", "month", "2011-04-30") == {
        "T1": (1, 1, 100),
        "T2": (0, 1, 0),
    }


def test_eras_single_assessments_in_2011_are_not_applicable(historic: KpiOutput) -> None:
    # Single assessments began in 2013-14: in 2011 there is no count of them, not a 0.
    for kpi in ("assessments_completed", "assessments_45wd_pct", "assessments_open_over_45wd"):
        available, reason = historic.available(kpi)
        assert available is False and reason is not None
        assert reason.startswith("not applicable: single (children and family) assessments")
        assert "applies from 1 April 2013" in reason
        assert historic.values.filter(pl.col("kpi_id") == kpi).height == 0


def test_eras_initial_and_core_assessments_in_2023_are_not_applicable(out: KpiOutput) -> None:
    for kpi in ("initial_assessments_7wd_pct", "core_assessments_35wd_pct"):
        available, reason = out.available(kpi)
        assert available is False and reason is not None
        assert reason.startswith("not applicable: initial and core assessments were replaced")
        assert out.values.filter(pl.col("kpi_id") == kpi).height == 0


# Without ext_assessment_types every assessment is single (Clarification 10). The same I1 and I2 rows, extract dated Sunday 30 April 2023:
# I1 (6 Apr -> 19 Apr, 7 working days) and I2 (6 Apr -> 20 Apr, 8) are now single assessments
# authorised in April, both within 45 -> completed 2, 2 / 2. Both are authorised, so nothing is
# open at 30 April -> 0.
UNTYPED = """
cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_child_seen,cina_assessment_auth_date,cina_assessment_outcome_nfa,cina_assessment_team,cina_assessment_worker_id
I1,P9,,2023-04-06,Y,2023-04-19,N,T1,W1
I2,P10,,2023-04-06,Y,2023-04-20,N,T2,W2
"""


def test_without_assessment_types_every_assessment_is_single(tmp_path: Path) -> None:
    untyped = run_kpis(tmp_path, {"ssd_cin_assessments": UNTYPED}, "2023-04-30", KPIS)
    assert untyped.row("assessments_completed", "month", "2023-04-30") == (2, None, 2)
    assert untyped.row("assessments_45wd_pct", "month", "2023-04-30") == (2, 2, 100)
    assert untyped.row("assessments_open_over_45wd", "month", "2023-04-30") == (0, None, 0)
    for kpi in ("initial_assessments_7wd_pct", "core_assessments_35wd_pct"):
        available, reason = untyped.available(kpi)
        assert available is False
        # Not applicable in 2023 whatever the extract holds (their era ended in 2014).
        assert reason is not None and reason.startswith("not applicable")
