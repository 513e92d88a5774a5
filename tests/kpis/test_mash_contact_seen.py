"""Golden test: mash_contact_seen_5d_pct, the 2022 MASH standard of Ofsted's February 2023
monitoring letter - children allocated for an assessment visited within five days of the contact
to the MASH. Extract dated Friday 30 June 2023; bank holiday Monday 29 May 2023.

wd(a, b) = working days d with a < d <= b (the contact day is day 0); cd = calendar days b - a.

- P1: contact Thu 1 Jun, referral R1 Fri 2 Jun, assessed; seen Thu 8 Jun (CIN visit):
  wd Fri 2, Mon 5, Tue 6, Wed 7, Thu 8 = 5 -> on time on its last day; cd 7 -> late.
- P2: contacts Wed 24 and Fri 26 May, referral R2 Tue 30 May, assessed: the clock starts at the
  latest contact before the referral, Fri 26 May. Seen Fri 2 Jun (CP visit): wd (Mon 29 bank
  holiday) Tue 30, Wed 31, Thu 1, Fri 2 = 4 -> on time; cd 7 -> late. A May contact.
- P3: contact and referral R3 Mon 5 Jun, seen the same day, but never assessed -> left out.
- P4: contact Mon 5 Jun, referral R4 Tue 6 Jun with two assessments (one row); a visit Wed 7 Jun
  with the child not seen does not count; seen Tue 13 Jun (CLA visit): wd 6, 7, 8, 9, 12, 13 = 6
  -> late; cd 8 -> late.
- P5: contact Mon 19 Jun, referral R5 Tue 20 Jun, assessed, never seen: wd(19 Jun, 30 Jun) = 9 > 5
  -> late (cd 11 -> late).
- P6: contact and referral R6 Mon 26 Jun, assessed, not seen: wd(26 Jun, 30 Jun) = 4 and cd 4,
  still within time -> left out.
- P7: referral R7 Thu 1 Jun, assessed, no contact -> left out.
- P8: contact Sat 3 Jun, referral R8 Mon 5 Jun, assessed; seen Fri 9 Jun: wd Mon 5 - Fri 9 = 5 ->
  on time (weekend contact); cd 6 -> late.
- P9: contact 16:00 and referral R9 Thu 1 Jun, assessed, seen the same day: 0 -> on time.

Working days (default): June 2023 contacts P1, P4, P5, P8, P9 -> P1, P8, P9 = 3 / 5; May P2 1 / 1.
By team June: T1 (R1, R8, R9) 3 / 3; T2 (R4, R5) 0 / 2. Week to Sun 4 Jun: P1, P9, P8 -> 3 / 3.
Calendar days: June P9 only = 1 / 5; May 0 / 1.
"""

from pathlib import Path

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

KPI = "mash_contact_seen_5d_pct"
EXTRACT = "2023-06-30"
CONTACTS = """
cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code,cont_contact_outcome_json
K1,P1,2023-06-01 10:00,6,
K2a,P2,2023-05-24 09:00,6,
K2b,P2,2023-05-26 09:00,6,
K3,P3,2023-06-05 09:00,6,
K4,P4,2023-06-05 11:00,6,
K5,P5,2023-06-19 09:00,6,
K6,P6,2023-06-26 09:00,6,
K8,P8,2023-06-03 09:00,6,
K9,P9,2023-06-01 16:00,6,
"""
REFERRALS = """
cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_nfa,cine_close_reason,cine_close_date,cine_referral_team
R1,P1,2023-06-02,N1,6,N,,,T1
R2,P2,2023-05-30,N1,6,N,,,T2
R3,P3,2023-06-05,N1,6,N,,,T1
R4,P4,2023-06-06,N1,6,N,,,T2
R5,P5,2023-06-20,N1,6,N,,,T2
R6,P6,2023-06-26,N1,6,N,,,T1
R7,P7,2023-06-01,N1,6,N,,,T1
R8,P8,2023-06-05,N1,6,N,,,T1
R9,P9,2023-06-01,N1,6,N,,,T1
"""
ASSESSMENTS = """
cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_child_seen,cina_assessment_auth_date,cina_assessment_outcome_nfa,cina_assessment_team,cina_assessment_worker_id
A1,P1,R1,2023-06-02,Y,,,T1,
A2,P2,R2,2023-05-30,Y,,,T2,
A4,P4,R4,2023-06-06,Y,,,T2,
A4b,P4,R4,2023-06-20,Y,,,T2,
A5,P5,R5,2023-06-20,N,,,T2,
A6,P6,R6,2023-06-26,N,,,T1,
A7,P7,R7,2023-06-01,N,,,T1,
A8,P8,R8,2023-06-05,Y,,,T1,
A9,P9,R9,2023-06-01,Y,,,T1,
"""
CIN_VISITS = """
cinv_cin_visit_id,cinv_person_id,cinv_cin_visit_date,cinv_cin_visit_seen,cinv_cin_visit_seen_alone
V1,P1,2023-06-08,Y,N
V3,P3,2023-06-05,Y,N
V4,P4,2023-06-07,N,N
V8,P8,2023-06-09,Y,N
V9,P9,2023-06-01,Y,N
"""
CP_VISITS = """
cppv_cp_visit_id,cppv_person_id,cppv_cp_plan_id,cppv_cp_visit_date,cppv_cp_visit_seen,cppv_cp_visit_seen_alone
W2,P2,CPP2,2023-06-02,Y,N
"""
CLA_VISITS = """
clav_cla_visit_id,clav_cla_id,clav_person_id,clav_cla_visit_date,clav_cla_visit_seen,clav_cla_visit_seen_alone
X4,CLA4,P4,2023-06-13,Y,N
"""
TABLES = {
    "ssd_contacts": CONTACTS,
    "ssd_cin_episodes": REFERRALS,
    "ssd_cin_assessments": ASSESSMENTS,
    "ssd_cin_visits": CIN_VISITS,
    "ssd_cp_visits": CP_VISITS,
    "ssd_cla_visits": CLA_VISITS,
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(tmp_path_factory.mktemp("mash"), TABLES, EXTRACT, [KPI])


def test_seen_within_five_working_days_of_the_contact(out: KpiOutput) -> None:
    assert out.row(KPI, "month", "2023-06-30") == (3, 5, 60)
    assert out.row(KPI, "month", "2023-05-31") == (1, 1, 100)
    assert out.row(KPI, "week", "2023-06-04") == (3, 3, 100)
    assert out.dimension(KPI, "team", "month", "2023-06-30") == {
        "T1": (3, 3, 100),
        "T2": (0, 2, 0),
    }


def test_calendar_days_are_a_parameter(tmp_path: Path) -> None:
    calendar = run_kpis(
        tmp_path, TABLES, EXTRACT, [KPI], parameters={KPI: {"mash_day_convention": "calendar"}}
    )
    assert calendar.row(KPI, "month", "2023-06-30") == (1, 5, 20)
    assert calendar.row(KPI, "month", "2023-05-31") == (0, 1, 0)


def test_an_unknown_day_convention_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="mash_day_convention must be working or calendar"):
        run_kpis(tmp_path, TABLES, EXTRACT, [KPI], parameters={KPI: {"mash_day_convention": "x"}})
