"""Golden tests: care leavers aged 17-18 and 21-25 in touch, in education, employment or
training, and in suitable accommodation (issue 18). Every expected number is worked out by hand
below. One extract, dated Mon 31 July 2023: the care-leaver state is in force from that day, so
the month ending 31 July 2023 is the first value.
"""

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-07-31"
PERSON = """
pers_person_id,pers_sex,pers_ethnicity,pers_dob,pers_death_date
Y1,F,WBRI,2006-07-31,
Y2,M,WBRI,2005-08-01,
Y3,F,WBRI,2005-07-31,
Y4,M,WBRI,2004-07-31,
Y5,F,WBRI,2006-08-01,
Y6,M,WBRI,2005-01-01,
Y7,F,WBRI,2002-07-31,
Y8,M,WBRI,1997-08-01,
Y9,F,WBRI,1997-07-31,
Y10,M,WBRI,2000-01-01,
Y11,F,WBRI,2001-01-01,
Y12,M,WBRI,1999-05-05,
Y13,F,WBRI,2000-06-06,
Y14,M,WBRI,2006-01-01,
"""
CARE_LEAVERS = """
clea_table_id,clea_person_id,clea_care_leaver_eligibility,clea_care_leaver_in_touch,clea_care_leaver_latest_contact,clea_care_leaver_accommodation,clea_care_leaver_accom_suitable,clea_care_leaver_activity,clea_pathway_plan_review_date,clea_care_leaver_personal_advisor,clea_care_leaver_allocated_team
T1,Y1,Relevant,YES,2023-07-01,B,1,F2,,PA1,T1
T2,Y2,Former Relevant,NO,2023-07-01,B,Y,G4,,PA1,T1
T3,Y3,former relevant,YES,2023-07-01,B,2,P5,,PA1,T1
T4,Y4,Former Relevant,YES,2023-07-01,B,1,F1,,PA1,T1
T5,Y5,Relevant,YES,2023-07-01,B,1,F1,,PA1,T1
T6,Y6,Eligible,YES,2023-07-01,B,1,F1,,PA1,T1
T7,Y7,Former Relevant,YES,2023-07-01,B,1,F1,,PA1,T1
T8,Y8,Former Relevant,REFU,2023-07-01,B,1,,,PA1,T1
T9,Y9,Former Relevant,YES,2023-07-01,B,1,F1,,PA1,T1
T10,Y10,Qualifying,YES,2023-07-01,B,1,F1,,PA1,T1
T11,Y11,Former Relevant,DIED,2023-07-01,B,1,F1,,PA1,T1
T12,Y12,Former Relevant,RHOM,2023-07-01,B,1,F1,,PA1,T1
T13a,Y13,Former Relevant,YES,2023-07-01,B,1,G6,,PA1,T1
T13b,Y13,Former Relevant,NO,2023-07-01,B,2,F1,,PA1,T1
T14,Y14,Relevant,,2023-07-01,B,,P1,,PA1,T1
"""
# Ages on 31 July 2023: Y1 17 (17th birthday that day), Y2 17 (18 tomorrow), Y3 18, Y4 19, Y5 16
# (17 tomorrow), Y6 18, Y7 21 (that day), Y8 25 (26 tomorrow), Y9 26 (that day), Y10 23, Y11 22,
# Y12 24, Y13 23, Y14 17.
# 17-18 (Relevant or Former Relevant): Y1, Y2, Y3 ("former relevant": case ignored), Y14 -> 4.
#   Not Y4 (19), Y5 (16), Y6 (Eligible: still in care).
#   In touch (YES): Y1, Y3 -> 2 of 4 = 50 (Y14's blank stays in, not in touch).
#   EET: Y1 F2, Y3 P5, Y14 P1 -> 3 of 4 = 75 (Y2 G4 is not).
#   Suitable: Y1 1, Y2 Y (staged as 1) -> 2 of 4 = 50 (Y3 2, Y14 blank are not).
# 21-25 (Former Relevant): Y7, Y8, Y13 -> 3. Not Y9 (26), Y10 (Qualifying), Y11 (DIED), Y12
#   (RHOM). Y13 has two rows: any row counts.
#   In touch: Y7, Y13 (T13a) -> 2 of 3 = 66.666667 (Y8 REFU is not).
#   EET: Y7 F1, Y13 (T13b F1) -> 2 of 3 (Y8 blank is not).
#   Suitable: Y7, Y8, Y13 (T13a) -> 3 of 3 = 100.
KPIS = {
    "care_leavers_17_18_in_touch_pct": (2, 4, 50),
    "care_leavers_17_18_eet_pct": (3, 4, 75),
    "care_leavers_17_18_suitable_accom_pct": (2, 4, 50),
    "care_leavers_21_25_in_touch_pct": (2, 3, 66.666667),
    "care_leavers_21_25_eet_pct": (2, 3, 66.666667),
    "care_leavers_21_25_suitable_accom_pct": (3, 3, 100),
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("care_leavers_ages"),
        {"ssd_person": PERSON, "ssd_care_leavers": CARE_LEAVERS},
        EXTRACT,
        list(KPIS),
    )


@pytest.mark.parametrize(("kpi_id", "expected"), list(KPIS.items()))
def test_care_leavers_other_ages(out: KpiOutput, kpi_id: str, expected: tuple) -> None:
    assert out.row(kpi_id, "month", "2023-07-31") == expected
