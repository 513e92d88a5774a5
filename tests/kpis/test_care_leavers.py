"""Golden tests: care leavers. Every expected number is worked out by hand below.

ssd_care_leavers is a current-state table: two extracts are loaded, one dated Sunday 19 February
2023 (EARLIER) and the newest dated Sunday 30 April 2023 (EXTRACT). At a period end D the KPIs
read the latest extract dated on or before D:

    D before 19 Feb 2023 (e.g. 31 Jan, week to 12 Feb) -> no extract yet: no value
    D = 19 Feb (week), 28 Feb, 31 Mar 2023              -> the 19 Feb extract
    D = 30 Apr 2023                                     -> the 30 Apr extract

Ages come from ssd_person of the newest extract, in whole years on D. A contact on 3 January 2023
only makes the series start in January.
"""

from pathlib import Path

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-04-30"
EARLIER = "2023-02-19"
KPIS = [
    "care_leavers_in_touch_pct",
    "care_leavers_eet_pct",
    "care_leavers_suitable_accom_pct",
    "care_leavers_21plus_pa_pct",
    "pathway_plans_current_pct",
]

PERSON = """
pers_person_id,pers_sex,pers_ethnicity,pers_dob,pers_death_date
P1,F,WBRI,2004-03-15,
P2,M,WBRI,30/04/2001,
P3,F,WBRI,2003-06-01,
P4,M,WBRI,2002-01-10,
P5,F,WBRI,2003-01-01,2023-04-02
P6,M,WBRI,2003-01-01,
P7,F,WBRI,2003-01-01,
P8,M,WBRI,,
P10,F,WBRI,2003-05-05,
P11,M,WBRI,1998-05-01,
P12,F,WBRI,1997-04-30,
P13,M,WBRI,2000-01-01,
P14,F,WBRI,2001-02-01,
P15,M,WBRI,2007-04-30,
P16,F,WBRI,2006-01-01,
"""
# Ages (whole years) on each D used below:
#          dob          19 Feb  28 Feb  31 Mar  30 Apr
# P1   2004-03-15        18      18      19      19   (19th birthday 15 March)
# P2   2001-04-30        21      21      21      22   (22nd birthday on 30 April itself)
# P3   2003-06-01        19      19      19      19
# P4   2002-01-10        21      21      21      21
# P5-P7 2003-01-01       20      20      20      20
# P10  2003-05-05                                19
# P11  1998-05-01        24      24      24      24   (25th birthday 1 May, the day after)
# P12  1997-04-30        25      25      25      26
# P13  2000-01-01                                23
# P14  2001-02-01                                22
# P15  2007-04-30        15      15      15      16   (16th birthday on 30 April)
# P16  2006-01-01                                17
# P8 has no date of birth and P9 has no ssd_person row: both are left out of everything.

CONTACTS = """
cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code
K1,P1,2023-01-03,6
"""

LEAVERS_HEADER = (
    "clea_table_id,clea_person_id,clea_care_leaver_eligibility,clea_care_leaver_in_touch,"
    "clea_care_leaver_latest_contact,clea_care_leaver_accommodation,clea_care_leaver_accom_suitable,"
    "clea_care_leaver_activity,clea_pathway_plan_review_date,clea_care_leaver_personal_advisor,"
    "clea_care_leaver_allocated_team"
)
# The earlier extract (19 February 2023).
LEAVERS_EARLIER = f"""
{LEAVERS_HEADER}
L1,P1,Former Relevant,NO,,,2,G5,2022-09-01,,LC
L2,P2,Former Relevant,YES,,,1,F1,2022-08-20,PA2,LC
L3,P3,Former Relevant,YES,,,1,F2,2023-02-25,,LC
L4,P4,Former Relevant,NO,,,1,0,2022-08-19,PA4,LC
L5,P5,Former Relevant,YES,,,1,F1,,PA5,LC
L11,P11,Former Relevant,YES,,,1,F1,,,LC
L12,P12,Former Relevant,NREQ,,,,,,,LC
L15,P15,Relevant,YES,,,,,2022-12-01,,LC
"""
# The newest extract (30 April 2023). Codes are written in several forms the ingest accepts
# (Y for YES and for suitable 1, N for suitable 2, FORMER_RELEVANT, lower case).
LEAVERS = f"""
{LEAVERS_HEADER}
L1,P1,Former Relevant,YES,2023-04-20,U1,1,F1,2023-01-10,PA1,LC
L2,P2,Former Relevant,Y,2023-04-20,U1,Y,P2,2022-11-01,PA2,LC
L3,P3,FORMER_RELEVANT,NO,,,2,G4,2022-10-30,,LC
L4,P4,former relevant,REFU,,,,F3,2022-10-31,PA4,LC
L5,P5,Former Relevant,DIED,,,1,F1,2023-04-01,PA5,LC
L6,P6,Former Relevant,RHOM,,,1,F2,,,LC
L7,P7,Relevant,YES,,,1,F1,2023-04-30,PA7,LC
L8,P8,Former Relevant,YES,,,1,F1,2023-04-01,PA8,LC
L9,P9,Former Relevant,YES,,,1,F1,2023-04-01,PA9,LC
L10,P10,Former Relevant,,,,N,P3,,,LC
L11,P11,Former Relevant,YES,,,1,F1,,PA11,LC
L13,P13,Former Relevant,DIED,,,,,,,LC
L14,P14,No Current Eligibility,NO,,,,,,,LC
L15,P15,Relevant,YES,,,,,2023-04-10,PA15,LC
L16,P16,Eligible,YES,,,,,2022-12-01,PA16,LC
"""
# Cohort of the first three KPIs (Former Relevant, aged 19-21 on D, not DIED/RHOM):
#   D = 19 Feb and 28 Feb (earlier extract): P2, P3, P4, P5 (P1 is 18; P11, P12 too old;
#       P15 is Relevant) -> 4
#   D = 31 Mar (earlier extract): P1 turned 19 on 15 March -> P1, P2, P3, P4, P5 -> 5
#   D = 30 Apr (newest extract): P1, P3, P4 ("former relevant" in lower case), P10 (blank
#       in-touch status stays in) -> 4. Out: P2 (22 that day), P5 DIED, P6 RHOM, P7 Relevant,
#       P8 no dob, P9 no person row, P11-P16 by age or eligibility.


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("care_leavers")
    return run_kpis(
        tmp,
        {"ssd_person": PERSON, "ssd_contacts": CONTACTS, "ssd_care_leavers": LEAVERS},
        EXTRACT,
        KPIS,
        earlier_extracts={EARLIER: {"ssd_care_leavers": LEAVERS_EARLIER}},
    )


def test_no_value_before_the_first_care_leaver_extract(out: KpiOutput) -> None:
    # The first care-leaver extract is dated Sun 19 Feb 2023: the series begin with its week.
    for kpi in KPIS:
        rows = out.values.filter(out.values["kpi_id"] == kpi)
        assert min(rows["period_end"]).isoformat() == "2023-02-19", kpi


def test_care_leavers_in_touch_pct(out: KpiOutput) -> None:
    # 19 Feb (the extract of that very day is read): P2, P3, P5 YES, P4 NO -> 3 / 4.
    assert out.row("care_leavers_in_touch_pct", "week", "2023-02-19") == (3, 4, 75)
    assert out.row("care_leavers_in_touch_pct", "month", "2023-02-28") == (3, 4, 75)
    # 31 Mar, between the two extracts -> still the 19 Feb one; P1 now 19, NO -> 3 / 5.
    assert out.row("care_leavers_in_touch_pct", "month", "2023-03-31") == (3, 5, 60)
    assert out.row("care_leavers_in_touch_pct", "quarter", "2023-03-31") == (3, 5, 60)
    # 30 Apr: P1 YES; P3 NO, P4 REFU, P10 blank are not in touch -> 1 / 4.
    assert out.row("care_leavers_in_touch_pct", "month", "2023-04-30") == (1, 4, 25)
    assert out.row("care_leavers_in_touch_pct", "rolling_12m", "2023-04-30") == (1, 4, 25)


def test_care_leavers_eet_pct(out: KpiOutput) -> None:
    # 19 Feb: P2 F1, P3 F2, P5 F1 are EET; P4 activity 0 is not -> 3 / 4.
    assert out.row("care_leavers_eet_pct", "week", "2023-02-19") == (3, 4, 75)
    # 31 Mar: + P1 G5 (not EET) -> 3 / 5.
    assert out.row("care_leavers_eet_pct", "month", "2023-03-31") == (3, 5, 60)
    # 30 Apr: P1 F1, P4 F3 (historic code), P10 P3 (historic code) EET; P3 G4 not -> 3 / 4.
    assert out.row("care_leavers_eet_pct", "month", "2023-04-30") == (3, 4, 75)
    assert out.row("care_leavers_eet_pct", "week", "2023-04-30") == (3, 4, 75)


def test_care_leavers_suitable_accom_pct(out: KpiOutput) -> None:
    # 19 Feb and 28 Feb: P2, P3, P4, P5 all suitable (1) -> 4 / 4.
    assert out.row("care_leavers_suitable_accom_pct", "week", "2023-02-19") == (4, 4, 100)
    assert out.row("care_leavers_suitable_accom_pct", "month", "2023-02-28") == (4, 4, 100)
    # 31 Mar: + P1 with 2 -> 4 / 5.
    assert out.row("care_leavers_suitable_accom_pct", "month", "2023-03-31") == (4, 5, 80)
    # 30 Apr: P1 1 suitable; P3 2, P4 blank, P10 N (= 2) stay in the denominator -> 1 / 4.
    assert out.row("care_leavers_suitable_accom_pct", "month", "2023-04-30") == (1, 4, 25)
    assert out.row("care_leavers_suitable_accom_pct", "rolling_12m", "2023-04-30") == (1, 4, 25)


def test_care_leavers_21plus_pa_pct(out: KpiOutput) -> None:
    # Aged 21-25 on D, any eligibility, not DIED.
    # 19 Feb / 31 Mar (earlier extract): P2 21 (PA2), P4 21 (PA4), P11 24 (none), P12 25 (none,
    # the upper age is inclusive) -> 2 / 4.
    assert out.row("care_leavers_21plus_pa_pct", "week", "2023-02-19") == (2, 4, 50)
    assert out.row("care_leavers_21plus_pa_pct", "month", "2023-03-31") == (2, 4, 50)
    # 30 Apr: P4 21 (PA4), P2 22 (PA2), P11 24 (PA11), P14 22 No Current Eligibility (none);
    # P13 23 DIED is out; P12 is not in the newest extract (and is 26); P8 (PA8) has no dob -> 3 / 4.
    assert out.row("care_leavers_21plus_pa_pct", "month", "2023-04-30") == (3, 4, 75)
    assert out.row("care_leavers_21plus_pa_pct", "week", "2023-04-30") == (3, 4, 75)


def test_pathway_plans_current_pct(out: KpiOutput) -> None:
    # Aged 16-21 on D; reviewed in (D - 6 months, D].
    # 19 Feb: cohort P1 18, P2 21, P3 19, P4 21, P5 20 (P15 is 15) -> 5. Window (19 Aug 22, 19 Feb 23]:
    #   P1 1 Sep yes; P2 20 Aug yes; P3 25 Feb 2023 is after D, no; P4 19 Aug exactly 6 months
    #   before, no; P5 blank, no -> 2 / 5.
    assert out.row("pathway_plans_current_pct", "week", "2023-02-19") == (2, 5, 40)
    # 28 Feb: window (28 Aug 22, 28 Feb 23]: P1 yes, P2 no, P3 25 Feb yes, P4 no, P5 no -> 2 / 5.
    assert out.row("pathway_plans_current_pct", "month", "2023-02-28") == (2, 5, 40)
    # 31 Mar: window (30 Sep 22, 31 Mar 23]: only P3 -> 1 / 5.
    assert out.row("pathway_plans_current_pct", "month", "2023-03-31") == (1, 5, 20)
    # 30 Apr: cohort P1 19, P3 19, P4 21, P5 20 (DIED is not excluded here), P6 20, P7 20,
    # P10 19, P15 16 (birthday that day), P16 17 -> 9 (P2 is 22). Window (30 Oct 22, 30 Apr 23]:
    #   P1 10 Jan yes; P3 30 Oct exactly 6 months before, no; P4 31 Oct yes; P5 1 Apr yes;
    #   P6 blank no; P7 30 Apr (on D) yes; P10 blank no; P15 10 Apr yes; P16 1 Dec yes -> 6 / 9.
    assert out.row("pathway_plans_current_pct", "month", "2023-04-30") == (6, 9, 66.666667)
    assert out.row("pathway_plans_current_pct", "rolling_12m", "2023-04-30") == (6, 9, 66.666667)


def test_not_available_without_a_care_leaver_table(tmp_path: Path) -> None:
    only = run_kpis(
        tmp_path,
        {"ssd_person": PERSON, "ssd_contacts": CONTACTS},
        EXTRACT,
        ["care_leavers_in_touch_pct", "pathway_plans_current_pct"],
    )
    for kpi in ("care_leavers_in_touch_pct", "pathway_plans_current_pct"):
        available, reason = only.available(kpi)
        assert available is False
        assert reason is not None and "ssd_care_leavers" in reason
