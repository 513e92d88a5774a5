"""Golden tests: other notice areas (homeless 16-17, CME and EHE, LADO). Hand working below.

The extract is dated Sunday 14 May 2023. Bank holidays: Fri 7 April 2023 (Good Friday),
Mon 10 April (Easter Monday), Mon 1 May, Mon 8 May (Coronation).
wd(a, b) = working days d with a < d <= b.
"""

from pathlib import Path

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-05-14"
KPIS = [
    "homeless_16_17_presentations",
    "homeless_16_17_assessed_10wd_pct",
    "children_missing_education",
    "children_ehe",
    "lado_referrals",
    "lado_decision_1wd_pct",
]

HOMELESS = """
presentation_id,person_id,presentation_date,assessment_completed_date,outcome
H1,Y1,2023-04-03,2023-04-19,s17_support
H2,Y2,2023-04-03,2023-04-20,housing
H3,Y3,2023-04-26,,
H4,Y4,2023-04-25,,
H5,Y5,2023-05-06,2023-05-09,returned_home
H6,Y6,2023-03-31,2023-04-17,accommodated_s20
H7,Y7,2023-05-10,,
"""
# H1 Mon 3 Apr -> Wed 19 Apr: 4,5,6, (7, 10 holidays), 11,12,13,14, 17,18,19 = wd 10: on time (last day)
# H2 Mon 3 Apr -> Thu 20 Apr: wd 11: late (missed by one day)
# H3 Wed 26 Apr, not assessed: wd(26 Apr, Sun 14 May) = 27,28, 2,3,4,5, 9,10,11,12 = 10, not > 10: left out
# H4 Tue 25 Apr, not assessed: wd to 14 May = 11 > 10: late (overdue and still open)
# H5 Sat 6 May -> Tue 9 May: (Sun, Mon 8 holiday) 9 = wd 1: on time (weekend presentation)
# H6 Fri 31 Mar -> Mon 17 Apr: 3,4,5,6, 11,12,13,14, 17 = wd 9: on time (March)
# H7 Wed 10 May, not assessed: wd to 14 May = 2: left out

EDUCATION = """
record_id,person_id,status,start_date,end_date
R1,X1,CME,2023-01-10,
R2,X2,CME,2023-03-01,2023-04-30
R3,X3,CME,2023-04-29,
R4,X1,CME,2023-02-01,2023-03-15
R5,X4,EHE,2022-09-01,
R6,X5,EHE,2023-04-01,2023-05-07
R7,X6,EHE,2023-05-14,
R8,X2,EHE,2023-04-30,
R9,X7,cme,2023-04-10,2023-04-20
"""
# Open at D = start <= D and (end blank or end > D). Records, not children: X1 has two CME records.
# CME: 28 Feb: R1, R4 = 2 | 31 Mar: R1, R2 (R4 ended 15 Mar) = 2 | week to 16 Apr: R1, R2, R9 = 3 |
#      30 Apr: R1, R3 (R2 ends on D) = 2 | 31 Dec 2022: none = 0
# EHE: 31 Mar: R5 = 1 | 30 Apr: R5, R6, R8 (starts on D; X2 moved from CME to EHE) = 3 |
#      week to 7 May: R5, R8 (R6 ends on D) = 2 | week to 14 May: R5, R8, R7 (starts on D) = 3

LADO = """
lado_id,received_date,initial_consideration_date,outcome
L1,2023-04-06,2023-04-11,substantiated
L2,2023-04-06,2023-04-12,
L3,2023-05-12,,
L4,2023-05-10,,
L5,2023-05-05,2023-05-09,
L6,2023-04-29,2023-05-02,unfounded
L7,2023-05-11,,
"""
# L1 Thu 6 Apr -> Tue 11 Apr: (7 GF, weekend, 10 EM) 11 = wd 1: on time (last day)
# L2 Thu 6 Apr -> Wed 12 Apr: wd 2: late (missed by one day)
# L3 Fri 12 May, open: wd to Sun 14 May = 0: left out
# L4 Wed 10 May, open: wd to 14 May = 2 > 1: late
# L5 Fri 5 May -> Tue 9 May: (weekend, 8 Coronation) 9 = wd 1: on time
# L6 Sat 29 Apr -> Tue 2 May: (Sun, 1 May holiday) 2 = wd 1: on time (weekend referral)
# L7 Thu 11 May, open: wd to 14 May = 1 (Fri 12), not > 1: left out


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("other_areas")
    return run_kpis(
        tmp,
        {
            "ext_homeless_16_17": HOMELESS,
            "ext_education_status": EDUCATION,
            "ext_lado_referrals": LADO,
        },
        EXTRACT,
        KPIS,
    )


def test_homeless_16_17_presentations(out: KpiOutput) -> None:
    assert out.row("homeless_16_17_presentations", "month", "2023-03-31") == (1, None, 1)  # H6
    assert out.row("homeless_16_17_presentations", "quarter", "2023-03-31") == (1, None, 1)
    assert out.row("homeless_16_17_presentations", "month", "2023-04-30") == (4, None, 4)  # H1-H4
    assert out.row("homeless_16_17_presentations", "week", "2023-04-09") == (2, None, 2)  # H1, H2
    assert out.row("homeless_16_17_presentations", "week", "2023-04-30") == (2, None, 2)  # H3, H4
    assert out.row("homeless_16_17_presentations", "week", "2023-05-07") == (1, None, 1)  # H5
    assert out.row("homeless_16_17_presentations", "rolling_12m", "2023-05-14") == (7, None, 7)
    # The financial year began on 1 April: H6 (31 March) is not in the year to date.
    assert out.row("homeless_16_17_presentations", "ytd", "2023-05-14") == (6, None, 6)


def test_homeless_16_17_assessed_10wd_pct(out: KpiOutput) -> None:
    assert out.row("homeless_16_17_assessed_10wd_pct", "month", "2023-03-31") == (1, 1, 100)
    # April: H1 on time, H2 late, H4 late (overdue), H3 left out -> 1 / 3.
    assert out.row("homeless_16_17_assessed_10wd_pct", "month", "2023-04-30") == (1, 3, 33.333333)
    assert out.row("homeless_16_17_assessed_10wd_pct", "week", "2023-05-07") == (1, 1, 100)  # H5
    # Week to 14 May: only H7, not yet due -> 0 / 0, a blank value.
    assert out.row("homeless_16_17_assessed_10wd_pct", "week", "2023-05-14") == (0, 0, None)
    # Year to date: H1, H5 on time of H1, H2, H4, H5 -> 2 / 4; 12 months adds H6 -> 3 / 5.
    assert out.row("homeless_16_17_assessed_10wd_pct", "ytd", "2023-05-14") == (2, 4, 50)
    assert out.row("homeless_16_17_assessed_10wd_pct", "rolling_12m", "2023-05-14") == (3, 5, 60)


def test_children_missing_education(out: KpiOutput) -> None:
    assert out.row("children_missing_education", "month", "2022-12-31") == (0, None, 0)
    assert out.row("children_missing_education", "month", "2023-02-28") == (2, None, 2)
    assert out.row("children_missing_education", "month", "2023-03-31") == (2, None, 2)
    assert out.row("children_missing_education", "week", "2023-04-16") == (3, None, 3)
    assert out.row("children_missing_education", "month", "2023-04-30") == (2, None, 2)
    assert out.row("children_missing_education", "week", "2023-05-14") == (2, None, 2)


def test_children_ehe(out: KpiOutput) -> None:
    assert out.row("children_ehe", "month", "2023-03-31") == (1, None, 1)
    assert out.row("children_ehe", "quarter", "2023-03-31") == (1, None, 1)
    assert out.row("children_ehe", "month", "2023-04-30") == (3, None, 3)
    assert out.row("children_ehe", "week", "2023-05-07") == (2, None, 2)
    assert out.row("children_ehe", "week", "2023-05-14") == (3, None, 3)
    assert out.row("children_ehe", "rolling_12m", "2023-05-14") == (3, None, 3)


def test_lado_referrals(out: KpiOutput) -> None:
    assert out.row("lado_referrals", "month", "2023-04-30") == (3, None, 3)  # L1, L2, L6
    assert out.row("lado_referrals", "week", "2023-04-09") == (2, None, 2)  # L1, L2
    assert out.row("lado_referrals", "week", "2023-05-07") == (1, None, 1)  # L5
    assert out.row("lado_referrals", "week", "2023-05-14") == (3, None, 3)  # L3, L4, L7
    assert out.row("lado_referrals", "ytd", "2023-05-14") == (7, None, 7)


def test_lado_decision_1wd_pct(out: KpiOutput) -> None:
    # April: L1, L6 on time, L2 late -> 2 / 3.
    assert out.row("lado_decision_1wd_pct", "month", "2023-04-30") == (2, 3, 66.666667)
    assert out.row("lado_decision_1wd_pct", "week", "2023-04-30") == (1, 1, 100)  # L6
    assert out.row("lado_decision_1wd_pct", "week", "2023-05-07") == (1, 1, 100)  # L5
    # Week to 14 May: L4 late; L3 and L7 not yet due -> 0 / 1.
    assert out.row("lado_decision_1wd_pct", "week", "2023-05-14") == (0, 1, 0)
    assert out.row("lado_decision_1wd_pct", "ytd", "2023-05-14") == (3, 5, 60)


def test_not_available_without_their_tables(tmp_path: Path) -> None:
    only = run_kpis(
        tmp_path,
        {"ext_lado_referrals": LADO},
        EXTRACT,
        ["lado_referrals", "homeless_16_17_presentations", "children_ehe"],
    )
    assert only.available("lado_referrals") == (True, None)
    for kpi, table in (
        ("homeless_16_17_presentations", "ext_homeless_16_17"),
        ("children_ehe", "ext_education_status"),
    ):
        available, reason = only.available(kpi)
        assert available is False
        assert reason is not None and table in reason
