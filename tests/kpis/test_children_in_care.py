"""Golden tests: children in care. Every expected number is worked out by hand below.

Two extracts:

- CARE (dated Friday 30 June 2023): ten children A1-A10 for the headcount, rate, starts,
  placement, social worker and visit KPIs.
- REVIEWS (dated Monday 31 July 2023): children R1-R13 for review timeliness.

Calendar notes for 2023: Good Friday 7 April, Easter Monday 10 April, Mon 1 May, Mon 8 May
(Coronation) and Mon 29 May are bank holidays; 2 January 2023 (New Year substitute) too.
"Open at D" = start <= D and (end blank or end > D): something that ends on D is not open at D.
The window "12 months to D" is (D - 12 months, D]: an item that ended exactly on D - 12 months
is out.
"""

from pathlib import Path

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

# ---------------------------------------------------------------------------------------------
# CARE extract
# ---------------------------------------------------------------------------------------------
CARE_EXTRACT = "2023-06-30"
CARE_KPIS = [
    "cla_open",
    "cla_rate_per_10k",
    "cla_started",
    "cla_with_family_pct",
    "cla_residential_pct",
    "cla_under16_unregulated",
    "cla_3plus_placements_pct",
    "cla_3plus_social_workers_pct",
    "cla_visits_6wk_pct",
]
PERSON = """
pers_person_id,pers_sex,pers_ethnicity,pers_dob,pers_death_date
A1,F,WBRI,2010-05-01,
A2,M,WBRI,2012-01-01,
A3,F,WBRI,2011-02-02,
A4,M,WBRI,2014-07-07,
A5,F,WBRI,2008-06-15,
A6,M,WBRI,30/06/2007,
A7,M,WBRI,,
A8,F,WBRI,2009-09-09,
A9,M,WBRI,2006-03-03,
A10,F,WBRI,2015-10-10,
"""
EPISODES = """
clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,clae_cla_primary_need_code,clae_cla_episode_ceased,clae_cla_episode_ceased_reason,clae_cla_id,clae_entered_care_date
E-A1,A1,2022-09-01,S,N1,,,CLA-A1,
E-A2,A2,2023-03-01,S,N9,,,CLA-A2,
E-A3,A3,2022-10-01,S,N9,,,CLA-A3,
E-A4a,A4,2023-01-02,S,N2,2023-01-05,E13,CLA-A4a,
E-A4b,A4,2023-01-10,S,N2,,,CLA-A4b,
E-A5,A5,2023-02-01,S,N4,,,CLA-A5,
E-A6,A6,2022-12-01,S,N4,,,CLA-A6,
E-A7,A7,2023-06-05,S,N1,,,CLA-A7,2023-04-01
E-A8,A8,2022-06-30,S,N1,2023-05-31,E4A,CLA-A8,
E-A9a,A9,2021-03-01,S,N1,2023-04-20,X1,CLA-A9,
E-A9b,A9,2023-04-20,P,N1,,,CLA-A9,
E-A10,A10,2021-01-01,S,N1,,,CLA-A10,
"""
LEGAL = """
lega_legal_status_id,lega_person_id,lega_legal_status,lega_legal_status_start_date,lega_legal_status_end_date
L-A1,A1,C2,2022-09-01,
L-A2,A2,V3,2023-03-01,
L-A3a,A3,v4,2022-10-01,2023-05-31
L-A3b,A3,C2,2023-05-31,
L-A5,A5,V2,2023-02-01,
L-A6,A6,C1,2022-12-01,
L-A7,A7,V2,2023-06-05,
L-A8,A8,C2,2022-06-30,2023-05-31
L-A9,A9,C1,2021-03-01,
L-A10,A10,C2,2021-01-01,
"""
PLACEMENTS = """
clap_cla_placement_id,clap_cla_id,clap_person_id,clap_cla_placement_start_date,clap_cla_placement_end_date,clap_cla_placement_type,clap_cla_placement_provider,clap_cla_placement_change_reason
P-A1a,CLA-A1,A1,2022-09-01,2023-01-15,U4,PR1,CARPL
P-A1b,CLA-A1,A1,2023-01-15,2023-05-31,K2,PR4,CARPL
P-A1c,CLA-A1,A1,2023-05-31,,U1,PR1,
P-A2,CLA-A2,A2,2023-03-01,,R1,PR1,
P-A3a,CLA-A3,A3,2022-10-01,2023-05-31,R1,PR1,
P-A3b,CLA-A3,A3,2023-05-31,,U6,PR4,
P-A3c,CLA-A3,A3,2023-06-10,2023-06-12,T1,,
P-A4a,CLA-A4a,A4,2023-01-02,2023-01-03,U6,PR1,
P-A4b,CLA-A4a,A4,2023-01-03,2023-01-05,T4,,
P-A4c,CLA-A4b,A4,2023-01-10,2023-04-01,U3,PR1,
P-A5,CLA-A5,A5,2023-02-01,,H5,PR4,
P-A6,,A6,2022-12-01,,P2,PR4,
P-A7,CLA-A7,A7,2023-06-05,,K3,PR4,
P-A8,CLA-A8,A8,2022-06-30,2023-05-31,U2,PR1,
P-A9a,CLA-A9,A9,2021-03-01,2023-04-20,K1,PR1,
P-A9b,CLA-A9,A9,2023-04-20,,K2,PR4,
P-A10a,CLA-A10,A10,2021-01-01,2022-06-30,U4,PR1,
P-A10b,CLA-A10,A10,2022-06-30,2023-03-31,U5,PR1,
P-A10c,CLA-A10,A10,2023-03-31,,P1,PR0,
"""
# Role codes: SW = allocated social worker, PA = personal adviser (tests/conftest.py LA_YAML);
# "sw" in lower case maps after trimming and upper-casing; XX is not mapped at all.
INVOLVEMENTS = """
invo_involvements_id,invo_professional_id,invo_professional_role_id,invo_professional_team,invo_involvement_start_date,invo_involvement_end_date,invo_worker_change_reason,invo_person_id
I1,W1,SW,T2,2022-09-01,2023-01-01,,A1
I2,W2,SW,T2,2023-01-01,2023-04-01,LEFTRL,A1
I3,W1,SW,T2,2023-04-01,,ABSENC,A1
I4,W9,PA,T2,2022-09-01,,,A1
I5,W3,sw,T2,2023-06-01,,,A1
I6,W4,SW,T2,2022-01-01,2022-06-30,,A9
I7,W5,SW,T2,2022-06-30,2023-01-01,,A9
I8,W6,SW,T2,2023-01-01,,,A9
I9,W7,PA,T2,2023-02-01,,,A9
I10,W1,SW,T2,2022-08-01,2022-10-01,,A5
I11,W2,SW,T2,2022-10-01,2023-02-01,,A5
I12,W3,SW,T2,2023-02-01,,,A5
I13,W8,XX,T2,2022-01-01,,,A10
I14,W1,SW,T2,2022-01-01,2023-01-01,,A10
I15,W2,SW,T2,2023-01-01,,,A10
I16,W1,SW,T2,2023-03-01,,,A2
I17,W2,SW,T2,2023-03-01,,,A2
I18,W3,SW,T2,2023-03-01,,,A2
"""
CLA_VISITS = """
clav_cla_visit_id,clav_cla_id,clav_person_id,clav_cla_visit_date,clav_cla_visit_seen,clav_cla_visit_seen_alone
V1,CLA-A1,A1,2023-05-19,Y,N
V2,CLA-A3,A3,2023-05-18,Y,Y
V3,CLA-A4b,A4,2023-06-20,N,
V4,CLA-A4b,A4,2023-06-21,,
V5,CLA-A5,A5,2023-06-30,Yes,No
V6,CLA-A7,A7,2023-06-10,1,1
V7,,A9,2023-06-01,Y,Y
V8,,A9,2023-04-19,Y,N
"""
# A CIN visit to A10: it must not count for a CLA visit KPI (Clarification 18).
CIN_VISITS = """
cinv_cin_visit_id,cinv_person_id,cinv_cin_visit_date,cinv_cin_visit_seen,cinv_cin_visit_seen_alone
CV1,A10,2023-06-15,Y,Y
"""
CARE_TABLES = {
    "ssd_person": PERSON,
    "ssd_cla_episodes": EPISODES,
    "ssd_legal_status": LEGAL,
    "ssd_cla_placement": PLACEMENTS,
    "ssd_involvements": INVOLVEMENTS,
    "ssd_cla_visits": CLA_VISITS,
    "ssd_cin_visits": CIN_VISITS,
}

# Who is looked after (CLA) at each date D checked below (open episode, no V3/V4 open at D):
#   A1  episode from 2022-09-01, C2: CLA throughout.
#   A2  V3 (short breaks) open from 2023-03-01: never CLA, although its episode is open.
#   A3  V4 from 2022-10-01 to 2023-05-31, then C2: out at 30 Apr; in from 31 May (the V4 row
#       ends on D, so it is not open at D).
#   A4  two periods (2-5 Jan, then from 10 Jan 2023), no legal-status row at all: CLA (Cl. 15).
#   A5, A6, A10  CLA throughout.  A7  from 5 June.  A8  ceased on 31 May: CLA at 30 Apr only.
#   A9  two contiguous episodes (X1 on 20 April, then RNE P): one child, CLA throughout.
# CLA at Sun 30 Apr: A1 A4 A5 A6 A8 A9 A10 = 7
# CLA at Wed 31 May: A1 A3 A4 A5 A6 A9 A10 = 7
# CLA at Sun 4 Jun:  A1 A3 A4 A5 A6 A9 A10 = 7 (A7 starts on 5 June)
# CLA at Sun 11 Jun and Fri 30 Jun: A1 A3 A4 A5 A6 A7 A9 A10 = 8


@pytest.fixture(scope="module")
def care(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("children_in_care")
    return run_kpis(tmp, CARE_TABLES, CARE_EXTRACT, CARE_KPIS)


def test_cla_open(care: KpiOutput) -> None:
    assert care.row("cla_open", "month", "2023-04-30") == (7, None, 7)
    assert care.row("cla_open", "month", "2023-05-31") == (7, None, 7)
    assert care.row("cla_open", "week", "2023-06-04") == (7, None, 7)
    assert care.row("cla_open", "week", "2023-06-11") == (8, None, 8)
    assert care.row("cla_open", "month", "2023-06-30") == (8, None, 8)
    # A snapshot's value for any period is its value at the period end.
    assert care.row("cla_open", "rolling_12m", "2023-06-30") == (8, None, 8)
    assert care.row("cla_open", "quarter", "2023-06-30") == (8, None, 8)


def test_cla_rate_per_10k(care: KpiOutput) -> None:
    # Population: mid-2022 = 50,000 until 29 June 2023; mid-2023 = 50,500 from 30 June 2023.
    # 30 Apr: 7 / 50,000 x 10,000 = 1.4
    assert care.row("cla_rate_per_10k", "month", "2023-04-30") == (7, 50000, 1.4)
    # Sun 11 Jun: 8 / 50,000 x 10,000 = 1.6
    assert care.row("cla_rate_per_10k", "week", "2023-06-11") == (8, 50000, 1.6)
    # 30 Jun: 8 / 50,500 x 10,000 = 1.5841584... -> 1.584158
    assert care.row("cla_rate_per_10k", "month", "2023-06-30") == (8, 50500, 1.584158)
    assert care.row("cla_rate_per_10k", "rolling_12m", "2023-06-30") == (8, 50500, 1.584158)


def test_cla_started(care: KpiOutput) -> None:
    # Episodes with RNE = S by start date: A10 2021-01-01, A9 2021-03-01, A8 2022-06-30,
    # A1 2022-09-01, A3 2022-10-01, A6 2022-12-01, A4 2023-01-02 and 2023-01-10 (two periods of
    # care: two starts), A5 2023-02-01, A2 2023-03-01 (a V3 short break, but RNE S: counted, see
    # the assumptions), A7 2023-06-05. A9's second episode (RNE P, 20 April) is not a start.
    assert care.row("cla_started", "month", "2023-01-31") == (2, None, 2)
    assert care.row("cla_started", "month", "2023-04-30") == (0, None, 0)
    assert care.row("cla_started", "month", "2023-06-30") == (1, None, 1)
    assert care.row("cla_started", "quarter", "2023-03-31") == (4, None, 4)  # A4 x2, A5, A2
    assert care.row("cla_started", "financial_year", "2023-03-31") == (8, None, 8)
    # Rolling 12 months to 30 Jun 2023 = 1 Jul 2022 - 30 Jun 2023: A8 (30 June 2022) is out.
    # A1 A3 A6 A4 A4 A5 A2 A7 = 8
    assert care.row("cla_started", "rolling_12m", "2023-06-30") == (8, None, 8)
    assert care.row("cla_started", "ytd", "2023-06-30") == (1, None, 1)  # A7


# Current placement (open at D, latest start if several, matched by person):
#           30 Apr     31 May          Sun 11 Jun               30 Jun
#   A1      K2         U1 (K2 ends)    U1                       U1
#   A3      -          U6 (R1 ends)    T1 (T1 and U6 open: T1   U6 (T1 ended 12 June)
#                                      started last)
#   A4      none (U3 ended 1 April)  - in denominators only
#   A5      H5         H5              H5                       H5
#   A6      P2         P2              P2                       P2 (no cla id: matched by person)
#   A7      -          -               K3                       K3
#   A8      U2         -               -                        -
#   A9      K2         K2              K2                       K2
#   A10     P1         P1              P1                       P1
def test_cla_with_family_pct(care: KpiOutput) -> None:
    # U1, U2, U3, P1. 30 Apr: A8 (U2), A10 (P1) of 7 -> 28.571429
    assert care.row("cla_with_family_pct", "month", "2023-04-30") == (2, 7, 28.571429)
    # 31 May: A1 (U1 from 31 May), A10 of 7
    assert care.row("cla_with_family_pct", "month", "2023-05-31") == (2, 7, 28.571429)
    # Sun 11 Jun: A1, A10 of 8 (A3 on T1, A4 with no placement in the denominator)
    assert care.row("cla_with_family_pct", "week", "2023-06-11") == (2, 8, 25)
    assert care.row("cla_with_family_pct", "month", "2023-06-30") == (2, 8, 25)
    assert care.row("cla_with_family_pct", "rolling_12m", "2023-06-30") == (2, 8, 25)


def test_cla_residential_pct(care: KpiOutput) -> None:
    # K1, K2, R1, R2, R5, S1. 30 Apr: A1 (K2), A9 (K2) of 7 -> 28.571429
    assert care.row("cla_residential_pct", "month", "2023-04-30") == (2, 7, 28.571429)
    # 31 May: A1 left K2 and A3 left R1 on 31 May (ended on D: not open). A9 only -> 14.285714
    assert care.row("cla_residential_pct", "month", "2023-05-31") == (1, 7, 14.285714)
    assert care.row("cla_residential_pct", "week", "2023-06-11") == (1, 8, 12.5)
    assert care.row("cla_residential_pct", "month", "2023-06-30") == (1, 8, 12.5)
    # A2 is in R1 but on a V3 short break: not looked after, so nowhere in the figures.


def test_cla_under16_unregulated(care: KpiOutput) -> None:
    # H5, K3, P2 and aged under 16 on D:
    #   A5 (H5, born 15 Jun 2008): 14 on 31 May, 15 on 30 Jun -> counts throughout.
    #   A6 (P2, born 30 Jun 2007): 15 until 29 Jun 2023, 16 on 30 Jun -> out on 30 Jun.
    #   A7 (K3 from 5 June) has no date of birth: left out (Clarification 19).
    assert care.row("cla_under16_unregulated", "month", "2023-04-30") == (2, None, 2)
    assert care.row("cla_under16_unregulated", "month", "2023-05-31") == (2, None, 2)
    assert care.row("cla_under16_unregulated", "week", "2023-06-11") == (2, None, 2)
    assert care.row("cla_under16_unregulated", "month", "2023-06-30") == (1, None, 1)
    assert care.row("cla_under16_unregulated", "rolling_12m", "2023-06-30") == (1, None, 1)


def test_cla_3plus_placements_pct(care: KpiOutput) -> None:
    # Placements in effect in (D - 12 months, D]: start <= D and (end blank or end > D - 12 m),
    # counted as LAIT 372: temporary placements (T0-T4) and ones under 24 hours left out.
    #   A1: U4 (Sep-Jan), K2 (Jan-31 May), U1 (from 31 May): 2 at 30 Apr, 3 from 31 May.
    #   A3: R1 (to 31 May), U6 (from 31 May); T1 (10-12 June) is temporary: 2.
    #   A4: U6 (Jan 2-3, one day: 24 hours or more), T4 temporary, U3 (second period of care): 2.
    #   A9: K1, K2: 2.  A5, A6, A7, A8: 1 each.
    #   A10: U4 (ended 30 Jun 2022), U5, P1: 3 at 30 Apr and 31 May; at 30 Jun 2023 the window
    #       is (30 Jun 2022, 30 Jun 2023] and U4 ended exactly on 30 Jun 2022: out -> 2.
    # 30 Apr: A10 of 7 -> 14.285714
    assert care.row("cla_3plus_placements_pct", "month", "2023-04-30") == (1, 7, 14.285714)
    # 31 May: A1, A10 of 7 -> 28.571429
    assert care.row("cla_3plus_placements_pct", "month", "2023-05-31") == (2, 7, 28.571429)
    # 30 Jun: A1 of 8 -> 12.5
    assert care.row("cla_3plus_placements_pct", "month", "2023-06-30") == (1, 8, 12.5)
    assert care.row("cla_3plus_placements_pct", "rolling_12m", "2023-06-30") == (1, 8, 12.5)


def test_cla_3plus_social_workers_pct(care: KpiOutput) -> None:
    # Distinct SW-role workers whose involvement overlaps (D - 12 months, D]:
    #   A1: W1, W2, back to W1 (not a new one), W3 ("sw") from 1 June; W9 is a PA (not an
    #       allocation): 2 at 30 Apr and 31 May, 3 from Sun 4 Jun.
    #   A5: W1 (Aug-Oct 2022, before care: still counts), W2, W3: 3 throughout.
    #   A9: W4 (to 30 Jun 2022), W5, W6; W7 is a PA: 3 at 30 Apr, 31 May and 4 Jun; at 30 Jun
    #       W4 ended exactly on D - 12 months: out -> 2.
    #   A10: W1, W2 (W8's role XX is not mapped): 2.   A2 (3 workers) is not looked after.
    # 30 Apr: A5, A9 of 7 -> 28.571429
    assert care.row("cla_3plus_social_workers_pct", "month", "2023-04-30") == (2, 7, 28.571429)
    assert care.row("cla_3plus_social_workers_pct", "month", "2023-05-31") == (2, 7, 28.571429)
    # Sun 4 Jun: A1, A5, A9 of 7 -> 42.857143
    assert care.row("cla_3plus_social_workers_pct", "week", "2023-06-04") == (3, 7, 42.857143)
    # 30 Jun: A1, A5 of 8 -> 25
    assert care.row("cla_3plus_social_workers_pct", "month", "2023-06-30") == (2, 8, 25)
    assert care.row("cla_3plus_social_workers_pct", "rolling_12m", "2023-06-30") == (2, 8, 25)


def test_cla_visits_6wk_pct(care: KpiOutput) -> None:
    # Entered care: clae_entered_care_date, else the start of the continuous period of care.
    #   A9: 1 Mar 2021 (the 20 April episode continues the period: X1 on the same day); with
    #       the episode start A9 would have been in care only 41 days on 31 May.
    #   A4: 10 Jan 2023 (a new period after the gap from 5 to 10 January).
    #   A7: 1 Apr 2023 from clae_entered_care_date, although its episode starts on 5 June.
    # Everyone CLA at the dates below entered care more than 42 days before D.
    # Visits with seen = Y count when 0 <= D - visit <= 42:
    # 31 May (visits from 19 Apr): A1 (19 May), A3 (18 May), A9 (19 Apr: exactly 42 days) of 7.
    assert care.row("cla_visits_6wk_pct", "month", "2023-05-31") == (3, 7, 42.857143)
    # Sun 4 Jun (from 23 Apr): A1, A3, A9 (1 Jun) of 7.
    assert care.row("cla_visits_6wk_pct", "week", "2023-06-04") == (3, 7, 42.857143)
    # Sun 11 Jun (from 30 Apr): A1, A3, A7 (10 Jun), A9 of 8 (A7 in care since 1 April: 71 days).
    assert care.row("cla_visits_6wk_pct", "week", "2023-06-11") == (4, 8, 50)
    # 30 Jun (from 19 May): A1 (19 May: exactly 42 days, the last day), A5 (30 Jun, D itself),
    # A7, A9 of 8. A3 (18 May: 43 days) is one day late; A4's visits were not seen (N, blank);
    # A10 only had a CIN visit, which does not count.
    assert care.row("cla_visits_6wk_pct", "month", "2023-06-30") == (4, 8, 50)
    assert care.row("cla_visits_6wk_pct", "rolling_12m", "2023-06-30") == (4, 8, 50)


# ---------------------------------------------------------------------------------------------
# REVIEWS extract
# ---------------------------------------------------------------------------------------------
REVIEWS_EXTRACT = "2023-07-31"
REVIEW_EPISODES = """
clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,clae_cla_primary_need_code,clae_cla_episode_ceased,clae_cla_episode_ceased_reason,clae_cla_id,clae_entered_care_date
E-R1,R1,2023-04-03,S,N1,,,CLA-R1,
E-R2,R2,2023-04-03,S,N1,,,CLA-R2,
E-R3,R3,2023-04-03,S,N1,,,CLA-R3,
E-R4,R4,2023-04-28,S,N1,,,CLA-R4,
E-R5,R5,2022-10-03,S,N1,,,CLA-R5,
E-R6,R6,2022-11-03,S,N1,,,CLA-R6,
E-R7,R7,2022-11-03,S,N1,,,CLA-R7,
E-R8,R8,2023-03-13,S,N1,,,CLA-R8,
E-R9,R9,2023-04-03,S,N1,,,CLA-R9,
E-R10a,R10,2022-08-01,S,N1,2023-03-01,X1,CLA-R10,
E-R10b,R10,2023-03-01,P,N1,,,CLA-R10b,
E-R11,R11,2023-04-03,S,N1,,,CLA-R11,2023-04-17
E-R13,R13,2023-06-12,S,N1,,,CLA-R13,
"""
REVIEW_LEGAL = """
lega_legal_status_id,lega_person_id,lega_legal_status,lega_legal_status_start_date,lega_legal_status_end_date
L-R1,R1,C2,2023-04-03,
L-R5,R5,C2,2022-10-03,
L-R10,R10,C1,2022-08-01,
"""
# clar_cla_review_due_date is not used: R2's record says due 10 May, but the rule says 4 May.
REVIEWS = """
clar_cla_review_id,clar_cla_id,clar_cla_review_due_date,clar_cla_review_date,clar_cla_review_cancelled
RV1,CLA-R1,2023-05-04,2023-05-04,N
RV2,CLA-R2,2023-05-10,2023-05-05,
RV3,CLA-R3,2023-05-02,,N
RV4,CLA-R4,,2023-06-01,N
RV5a,CLA-R5,,2022-10-20,N
RV5b,CLA-R5,,2023-01-20,N
RV6a,CLA-R6,,2022-11-30,N
RV6b,CLA-R6,,2023-02-28,N
RV7a,CLA-R7,,2022-11-30,N
RV7b,CLA-R7,,2023-03-01,N
RV8a,CLA-R8,,2023-03-31,N
RV8b,CLA-R8,,2023-07-03,N
RV9a,CLA-R9,,2023-04-20,Y
RV9b,CLA-R9,,2023-05-09,N
RV10a,CLA-R10,,2022-08-25,N
RV10b,CLA-R10,,2022-11-24,N
RV10c,CLA-R10b,,2023-05-24,N
RV11,CLA-R11,,2023-05-10,N
"""
# Hand working. Entered care (E) and review deadlines; wd(a, b) = working days d, a < d <= b.
# R1  E Mon 3 Apr 2023. 20th working day = Thu 4 May (Apr 4-6 = 3; 7 and 10 Apr holidays;
#     Apr 11-14 = 7, 17-21 = 12, 24-28 = 17; 1 May holiday; May 2-4 = 20). Review 4 May: on
#     time on its last day. Second due 4 Aug (after E): timely everywhere.
# R2  E 3 Apr, first review Fri 5 May: wd 21, missed by one day -> never timely.
# R3  E 3 Apr, no review held (RV3 has no date): not timely once wd(E, D) > 20.
# R4  E Fri 28 Apr. wd(28 Apr, Wed 31 May) = 20 (29 May holiday): the deadline is D itself, so
#     on 31 May R4 is not yet due and is left out. Review Thu 1 Jun: wd 21, late.
# R5  E 3 Oct 2022, reviews 20 Oct (wd 13), 20 Jan 2023 (= 20 Oct + 3 months, on time);
#     third due 20 Jul 2023: none by 31 Jul -> missed.
# R6  E 3 Nov 2022, reviews 30 Nov (wd 19) and 28 Feb 2023 (30 Nov + 3 months is clipped to
#     28 Feb: on time); third due 28 Aug: timely everywhere.
# R7  As R6 but the second review on 1 Mar 2023: a day late -> never timely.
# R8  E 13 Mar 2023, review 31 Mar (wd 14); second due 31 Mar + 3 months = Fri 30 Jun. On 30 Jun
#     the deadline is D itself: not missed (as Clarification 12), timely. On Sun 2 Jul it has
#     passed with no review: not timely; the review on 3 Jul was late.
# R9  E 3 Apr; the 20 Apr review was cancelled (ignored), the next on 9 May is wd 22: late.
# R10 Episodes 1 Aug 2022 - 1 Mar 2023 (X1) and from 1 Mar (RNE P, another cla id): one period
#     of care, E = 1 Aug 2022. Reviews 25 Aug (wd 18), 24 Nov (due 25 Nov), 24 May 2023 (linked
#     to the second episode's cla id; due 24 Nov + 6 months = 24 May, on its last day); next
#     due 24 Nov 2023: timely everywhere.
# R11 Episode from 3 Apr but clae_entered_care_date 17 Apr: review 10 May is wd(17 Apr) = 15,
#     on time (wd 23 from 3 April would have been late). wd(17 Apr, 7 May) = 13: not yet due
#     on 7 May. Second due 10 Aug: timely.
# R13 E 12 Jun: wd(12 Jun, 30 Jun) = 14 and wd(12 Jun, 2 Jul) = 14: left out; wd(12 Jun, 31 Jul)
#     = 35 with no review: not timely.
#
#               denominator (wd(E, D) > 20)             timely
# 30 Apr        R5 R6 R7 R8 R10 (3 Apr ones: wd 17)    R5 R6 R8 R10          4 / 5
# Sun 7 May     + R1 R2 R3 R9 (wd 21)                  R1 R5 R6 R8 R10       5 / 9
# 31 May        + R11 (R4 left out: wd 20)             R1 R5 R6 R8 R10 R11   6 / 10
# Sun 4 Jun     + R4 (wd 22)                           same                  6 / 11
# 30 Jun        same 11 (R13 wd 14)                    same (R8 due on D)    6 / 11
# Sun 2 Jul     same 11                                R1 R5 R6 R10 R11      5 / 11
# 31 Jul        + R13                                  R1 R6 R10 R11         4 / 12


@pytest.fixture(scope="module")
def reviews(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("cla_reviews")
    return run_kpis(
        tmp,
        {
            "ssd_cla_episodes": REVIEW_EPISODES,
            "ssd_legal_status": REVIEW_LEGAL,
            "ssd_cla_reviews": REVIEWS,
        },
        REVIEWS_EXTRACT,
        ["cla_reviews_timely_pct"],
    )


def test_cla_reviews_timely_pct_months(reviews: KpiOutput) -> None:
    assert reviews.row("cla_reviews_timely_pct", "month", "2023-04-30") == (4, 5, 80)
    assert reviews.row("cla_reviews_timely_pct", "month", "2023-05-31") == (6, 10, 60)
    assert reviews.row("cla_reviews_timely_pct", "month", "2023-06-30") == (6, 11, 54.545455)
    assert reviews.row("cla_reviews_timely_pct", "month", "2023-07-31") == (4, 12, 33.333333)
    assert reviews.row("cla_reviews_timely_pct", "rolling_12m", "2023-07-31") == (4, 12, 33.333333)
    assert reviews.row("cla_reviews_timely_pct", "quarter", "2023-06-30") == (6, 11, 54.545455)


def test_cla_reviews_timely_pct_weeks(reviews: KpiOutput) -> None:
    assert reviews.row("cla_reviews_timely_pct", "week", "2023-05-07") == (5, 9, 55.555556)
    assert reviews.row("cla_reviews_timely_pct", "week", "2023-06-04") == (6, 11, 54.545455)
    # R8's deadline (30 June) passed with no review by Sunday 2 July.
    assert reviews.row("cla_reviews_timely_pct", "week", "2023-07-02") == (5, 11, 45.454545)


# ---------------------------------------------------------------------------------------------
# Not available
# ---------------------------------------------------------------------------------------------
def test_kpis_whose_tables_are_absent_are_not_available(tmp_path: Path) -> None:
    # Only the episodes: starts and children looked after can be counted; the placement and
    # review KPIs need their tables.
    out = run_kpis(
        tmp_path,
        {"ssd_cla_episodes": EPISODES},
        CARE_EXTRACT,
        ["cla_started", "cla_open", "cla_with_family_pct", "cla_reviews_timely_pct"],
    )
    assert out.available("cla_started") == (True, None)
    assert out.row("cla_started", "month", "2023-01-31") == (2, None, 2)
    # No legal-status rows (Clarification 15: a child with none counts): at 30 Apr the open
    # episodes are A1, A2, A3, A4b, A5, A6, A8, A9b and A10 -> 9, short breaks A2 and A3 included
    # (with the legal statuses the answer is 7, test_cla_open).
    assert out.available("cla_open") == (True, None)
    assert out.row("cla_open", "month", "2023-04-30") == (9, None, 9)
    for kpi_id, table in (("cla_with_family_pct", "ssd_cla_placement"),
                          ("cla_reviews_timely_pct", "ssd_cla_reviews")):  # fmt: skip
        available, reason = out.available(kpi_id)
        assert not available
        assert reason is not None and table in reason


# cla_3plus_placements_pct with the same children and other placements (extract 30 Jun 2023):
#   A1: U4 (1 Sep 22 - 15 Jan 23), U1 (15 Jan - 1 Mar), A5 from 1 Mar: placed for adoption with
#       the current foster carers from the day U1 ended - one placement with U1: 2 (rows: 3).
#   A5: H5 on 1 Feb 2023 ending the same day (under 24 hours: out), U1 (1 Feb - 1 Apr), U3 from
#       1 Apr: 2 (rows: 3).
#   A9: K1 (to 20 Apr), K2 (20 Apr - 10 May), A4 from 10 May (adoption, not with the current
#       carers: a new placement): 2 at 30 Apr, 3 from 10 May.
#   A10 as above: 3 at 30 Apr and 31 May, 2 at 30 Jun. Everyone else 1 or 2.
# 30 Apr: A10 -> 1 / 7. 31 May: A9, A10 -> 2 / 7. 30 Jun: A9 -> 1 / 8.
PLACEMENTS_MOVES = """
clap_cla_placement_id,clap_cla_id,clap_person_id,clap_cla_placement_start_date,clap_cla_placement_end_date,clap_cla_placement_type,clap_cla_placement_provider,clap_cla_placement_change_reason
P-A1a,CLA-A1,A1,2022-09-01,2023-01-15,U4,PR1,CARPL
P-A1b,CLA-A1,A1,2023-01-15,2023-03-01,U1,PR1,
P-A1c,CLA-A1,A1,2023-03-01,,A5,PR1,
P-A2,CLA-A2,A2,2023-03-01,,R1,PR1,
P-A3a,CLA-A3,A3,2022-10-01,2023-05-31,R1,PR1,
P-A3b,CLA-A3,A3,2023-05-31,,U6,PR4,
P-A4c,CLA-A4b,A4,2023-01-10,2023-04-01,U3,PR1,
P-A5a,CLA-A5,A5,2023-02-01,2023-02-01,H5,PR4,
P-A5b,CLA-A5,A5,2023-02-01,2023-04-01,U1,PR1,
P-A5c,CLA-A5,A5,2023-04-01,,U3,PR1,
P-A6,,A6,2022-12-01,,P2,PR4,
P-A7,CLA-A7,A7,2023-06-05,,K3,PR4,
P-A8,CLA-A8,A8,2022-06-30,2023-05-31,U2,PR1,
P-A9a,CLA-A9,A9,2021-03-01,2023-04-20,K1,PR1,
P-A9b,CLA-A9,A9,2023-04-20,2023-05-10,K2,PR4,
P-A9c,CLA-A9,A9,2023-05-10,,A4,PR1,
P-A10a,CLA-A10,A10,2021-01-01,2022-06-30,U4,PR1,
P-A10b,CLA-A10,A10,2022-06-30,2023-03-31,U5,PR1,
P-A10c,CLA-A10,A10,2023-03-31,,P1,PR0,
"""


def test_cla_3plus_placements_same_carers_and_under_24_hours(tmp_path: Path) -> None:
    kpi = "cla_3plus_placements_pct"
    out = run_kpis(
        tmp_path, {**CARE_TABLES, "ssd_cla_placement": PLACEMENTS_MOVES}, CARE_EXTRACT, [kpi]
    )
    assert out.row(kpi, "month", "2023-04-30") == (1, 7, 14.285714)
    assert out.row(kpi, "month", "2023-05-31") == (2, 7, 28.571429)
    assert out.row(kpi, "month", "2023-06-30") == (1, 8, 12.5)
