"""Golden tests: front door (contacts awaiting a decision, repeat contacts, conversion to
referral) and referrals (counts, rate, re-referrals, NFA, child seen within 5 working days).

Every expected number is worked out by hand below, from the catalogue's definitions.
wd(a, b) = working days d with a < d <= b (the start day is day 0).

Bank holidays used: 2022-06-02 and 2022-06-03 (Platinum Jubilee), 2023-05-01, 2023-05-08
(Coronation), 2023-05-29. No bank holiday falls in June or July 2023.
"""

from pathlib import Path

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

# ---------------------------------------------------------------------------------------------
# Contacts. Extract dated Wednesday 31 May 2023 (a month end).
# ---------------------------------------------------------------------------------------------
CONTACTS_EXTRACT = "2023-05-31"
CONTACTS = """
cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code,cont_contact_outcome_json
K01,P1,2022-05-10 10:00,6,
K02,P2,2022-05-09 11:00,6,
K03,P4,2023-04-26 09:00,2A,
K04,P5,2023-04-27 09:00,1A,
K05,P4,2023-04-28 15:00,3A,
K06,P6,2023-05-05 14:00,6,
K07,P7,2023-05-07 09:00,8,
K08,P1,2023-05-10 10:00,6,
K09,P2,2023-05-10 11:00,6,"{""NEW_REFERRAL_FLAG"": ""Y""}"
K10,P3,2023-05-11 09:00,5A,
K11,P3,2023-05-11 15:00,5A,
K12,P8,2023-05-14 10:00,6,
K13,P9,2023-05-15 09:00,6,
K14,P10,2023-05-30 17:00,6,
"""
DECISIONS = """
contact_id,decision_datetime,decision,priority
K01,2022-05-10 12:00,referral,amber
K02,2022-05-10 09:00,nfa,
K03,2023-05-09 10:00,early_help,green
K04,2023-05-02 11:00,referral,
K05,2023-05-02 10:00,referral,
K07,2023-05-07 18:00,advice,
K08,2023-05-10 16:00,referral,
K09,2023-05-11 09:00,nfa,
K10,2023-05-15 10:00,nfa,
K10,2023-05-12 09:00,referral,red
K11,2023-05-11 16:00,existing_case,
K12,2023-05-15 09:00,referral,
K13,2023-05-16 09:00,other,
"""
# Earliest decision date of each contact (Clarification 7): K01 and K02 10 May 2022, K03 Tue 9 May,
# K04 and K05 Tue 2 May, K06 none, K07 Sun 7 May (18:00, the day of the contact), K08 Wed 10,
# K09 Thu 11, K10 Fri 12 (referral; its later nfa on 15 May does not count), K11 Thu 11,
# K12 Mon 15, K13 Tue 16, K14 none.
#
# contacts_awaiting_decision / contacts_overdue_decision (received by D, no decision by D;
# overdue when wd(contact date, D) > 1):
# - Sun 30 Apr: received K01-K05. K01, K02 decided. Awaiting K03, K04, K05 -> 3.
#   K03 wd(Wed 26 Apr, Sun 30 Apr) = Thu 27, Fri 28 = 2 > 1, overdue; K04 wd(Thu 27, Sun 30) = 1,
#   on its last day, not overdue; K05 wd(Fri 28, Sun 30) = 0 -> overdue 1.
# - Sun 7 May: received K01-K07. K04, K05 decided 2 May; K07 decided on D itself (not awaiting).
#   Awaiting K03 (decided 9 May, after D) and K06 -> 2. K03 wd(26 Apr, 7 May) = 27, 28 Apr,
#   (1 May holiday) 2, 3, 4, 5 May = 6, overdue; K06 wd(Fri 5, Sun 7) = 0 -> overdue 1.
# - Sun 14 May: received K01-K12. Awaiting K06 and K12 (received on D, decided 15 May) -> 2.
#   K06 wd(Fri 5, Sun 14) = (Mon 8 Coronation) Tue 9, Wed 10, Thu 11, Fri 12 = 4, overdue;
#   K12 wd = 0 -> overdue 1.
# - Sun 21 May: received K01-K13, awaiting K06 only -> 1, overdue 1.
# - Wed 31 May (the month end and extract date): received K01-K14, awaiting K06 and K14 -> 2.
#   K14 wd(Tue 30, Wed 31) = 1, not overdue -> overdue 1.
# - Sun 15 May 2022: K01 and K02 were both decided on 10 May 2022 -> 0 awaiting.
#
# repeat_contacts_12m_pct (another contact for the child on a strictly earlier day within
# [date - 12 months, date), Clarification 6):
# - K05 (P4, 28 Apr 2023): K03 (P4, 26 Apr 2023) -> repeat.
# - K08 (P1, 10 May 2023): K01 (P1, 10 May 2022) is exactly 12 months earlier -> repeat.
# - K09 (P2, 10 May 2023): K02 (P2, 9 May 2022) is 12 months and a day earlier -> not a repeat.
# - K10 and K11 (P3, both 11 May 2023 at 09:00 and 15:00): same day -> neither is a repeat.
# - every other contact is the child's first -> not a repeat.
#   May 2022: K01, K02 -> 0 / 2. April 2023: K03, K04, K05 -> 1 / 3. May 2023: K06-K14 (9) -> K08,
#   1 / 9. Week 8-14 May 2023: K08-K12 (5) -> 1 / 5. Rolling 12 months to 31 May 2023
#   (1 Jun 2022 - 31 May 2023): K03-K14 (12) -> K05, K08, 2 / 12.
#
# contact_to_referral_pct (earliest decision = referral; every contact in the denominator):
# referrals K01, K04, K05, K08, K10 (earliest is referral), K12 (decided on Mon 15 May, after the
# week of 8-14 May, still counts there: Clarification 1). K09 has NEW_REFERRAL_FLAG = Y in its
# JSON but the decision table says nfa, and the table wins. K06 and K14 (undecided) are in the
# denominator only.
#   May 2022: K01, K02 -> 1 / 2. April 2023: K03, K04, K05 -> 2 / 3. May 2023: K06-K14 -> K08, K10,
#   K12, 3 / 9. Week 8-14 May: K08-K12 -> K08, K10, K12, 3 / 5. Rolling 12 months to 31 May 2023:
#   K03-K14 -> K04, K05, K08, K10, K12, 5 / 12.

CONTACT_KPIS = [
    "contacts_awaiting_decision",
    "contacts_overdue_decision",
    "repeat_contacts_12m_pct",
    "contact_to_referral_pct",
]


@pytest.fixture(scope="module")
def contacts(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("front_door_contacts")
    return run_kpis(
        tmp,
        {"ssd_contacts": CONTACTS, "ext_contact_decisions": DECISIONS},
        CONTACTS_EXTRACT,
        CONTACT_KPIS,
    )


def test_contacts_awaiting_decision(contacts: KpiOutput) -> None:
    kpi = "contacts_awaiting_decision"
    assert contacts.row(kpi, "week", "2022-05-15") == (0, None, 0)
    assert contacts.row(kpi, "month", "2023-04-30") == (3, None, 3)
    assert contacts.row(kpi, "week", "2023-04-30") == (3, None, 3)
    assert contacts.row(kpi, "week", "2023-05-07") == (2, None, 2)
    assert contacts.row(kpi, "week", "2023-05-14") == (2, None, 2)
    assert contacts.row(kpi, "week", "2023-05-21") == (1, None, 1)
    assert contacts.row(kpi, "month", "2023-05-31") == (2, None, 2)
    # A snapshot's value for any period is its value at the period end.
    assert contacts.row(kpi, "rolling_12m", "2023-05-31") == (2, None, 2)


def test_contacts_overdue_decision(contacts: KpiOutput) -> None:
    kpi = "contacts_overdue_decision"
    assert contacts.row(kpi, "month", "2023-04-30") == (1, None, 1)  # K03
    assert contacts.row(kpi, "week", "2023-05-07") == (1, None, 1)  # K03 (K06 on day 0)
    assert contacts.row(kpi, "week", "2023-05-14") == (1, None, 1)  # K06 (K12 on day 0)
    assert contacts.row(kpi, "week", "2023-05-21") == (1, None, 1)  # K06
    assert contacts.row(kpi, "month", "2023-05-31") == (1, None, 1)  # K06 (K14 on its last day)


def test_repeat_contacts_12m_pct(contacts: KpiOutput) -> None:
    kpi = "repeat_contacts_12m_pct"
    assert contacts.row(kpi, "month", "2022-05-31") == (0, 2, 0)
    assert contacts.row(kpi, "month", "2023-04-30") == (1, 3, 33.333333)
    assert contacts.row(kpi, "month", "2023-05-31") == (1, 9, 11.111111)
    assert contacts.row(kpi, "week", "2023-05-14") == (1, 5, 20)
    assert contacts.row(kpi, "rolling_12m", "2023-05-31") == (2, 12, 16.666667)


def test_contact_to_referral_pct_from_decisions(contacts: KpiOutput) -> None:
    kpi = "contact_to_referral_pct"
    assert contacts.row(kpi, "month", "2022-05-31") == (1, 2, 50)
    assert contacts.row(kpi, "month", "2023-04-30") == (2, 3, 66.666667)
    assert contacts.row(kpi, "month", "2023-05-31") == (3, 9, 33.333333)
    assert contacts.row(kpi, "week", "2023-05-14") == (3, 5, 60)
    assert contacts.row(kpi, "rolling_12m", "2023-05-31") == (5, 12, 41.666667)


# Without a decision table the contact outcome JSON is read: NEW_REFERRAL_FLAG a yes flag.
# Extract dated Wednesday 31 May 2023.
JSON_CONTACTS = """
cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code,cont_contact_outcome_json
J1,Q1,2023-05-02 10:00,6,"{""NEW_REFERRAL_FLAG"": ""Y"", ""NFA_FLAG"": ""N""}"
J2,Q2,2023-05-03 10:00,6,"{""NEW_REFERRAL_FLAG"": ""N"", ""NFA_FLAG"": ""Y""}"
J3,Q3,2023-05-04 10:00,6,
J4,Q4,2023-05-05 10:00,6,"{""NEW_REFERRAL_FLAG"": ""Yes""}"
J5,Q5,2023-05-09 10:00,6,"{""EXISTING_REFERRAL_FLAG"": ""Y"", ""NEW_REFERRAL_FLAG"": ""N""}"
J6,Q6,2023-05-10 10:00,6,not json
"""
# J1 Y -> referral; J2 N; J3 blank JSON -> not a referral, in the denominator; J4 "Yes" is a yes
# flag (Clarification 5) -> referral; J5 an existing referral is not a new one; J6 unreadable JSON
# -> not a referral, in the denominator.
# Week 1-7 May: J1-J4 -> J1, J4 = 2 / 4. Week 8-14 May: J5, J6 -> 0 / 2. May: 2 / 6.


@pytest.fixture(scope="module")
def json_only(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("front_door_json")
    return run_kpis(
        tmp,
        {"ssd_contacts": JSON_CONTACTS},
        CONTACTS_EXTRACT,
        [*CONTACT_KPIS, "referrals_received", "referral_seen_5wd_pct"],
    )


def test_contact_to_referral_pct_from_the_outcome_json(json_only: KpiOutput) -> None:
    kpi = "contact_to_referral_pct"
    assert json_only.available(kpi) == (True, None)
    assert json_only.row(kpi, "week", "2023-05-07") == (2, 4, 50)
    assert json_only.row(kpi, "week", "2023-05-14") == (0, 2, 0)
    assert json_only.row(kpi, "month", "2023-05-31") == (2, 6, 33.333333)


def test_front_door_kpis_not_available_without_their_tables(json_only: KpiOutput) -> None:
    # No decision table: waiting cannot be measured.
    for kpi in ("contacts_awaiting_decision", "contacts_overdue_decision"):
        available, reason = json_only.available(kpi)
        assert available is False
        assert reason is not None and "ext_contact_decisions" in reason
    # Repeat contacts need the contacts only.
    assert json_only.available("repeat_contacts_12m_pct") == (True, None)
    # No referrals table.
    for kpi in ("referrals_received", "referral_seen_5wd_pct"):
        available, reason = json_only.available(kpi)
        assert available is False
        assert reason is not None and "ssd_cin_episodes" in reason


# ---------------------------------------------------------------------------------------------
# Referrals. Extract dated Sunday 9 July 2023. la.yaml: population {2022: 50000, 2023: 50500};
# service areas T1 front_door, T2 fieldwork.
# ---------------------------------------------------------------------------------------------
REFERRALS_EXTRACT = "2023-07-09"
REFERRALS = """
cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_nfa,cine_close_reason,cine_close_date,cine_referral_team
R01,P1,2022-06-01,N1,6,N,RC8,2022-07-01,T1
R02,P2,31/05/2022,N1,2A,N,RC8,2022-06-30,T1
R05,P4,2023-05-05,N2,6,N,,,T2
R08,P1,2023-06-01,N1,6,Y,RC8,2023-06-02,T1
R09,P2,2023-06-01,N3,1A,,,,T2
R10,P3,2023-06-05,N1,6,N,,,T2
R11,P3,2023-06-05,N1,6,Y,RC8,2023-06-05,T2
R12,P4,2023-06-06,N2,3A,N,,,T1
R13,P6,2023-07-03,N1,6,N,,,T1
R14,P7,2023-06-29,N1,6,N,,,T2
R15,P8,2023-06-30,N1,6,N,,,T1
R16,P9,2023-07-04,N1,6,N,,,T2
R17,P10,2023-06-10,N1,6,no,,,T2
"""
CIN_VISITS = """
cinv_cin_visit_id,cinv_person_id,cinv_cin_visit_date,cinv_cin_visit_seen,cinv_cin_visit_seen_alone
V1,P2,2022-06-01,N,N
V2,P2,2022-06-10,Y,N
V3,P4,2023-06-06,Y,Y
V4,P2,2023-06-08,Y,N
V5,P3,2023-06-07,N,N
V6,P9,2023-07-05,Y,Y
"""
CP_VISITS = """
cppv_cp_visit_id,cppv_person_id,cppv_cp_plan_id,cppv_cp_visit_date,cppv_cp_visit_seen,cppv_cp_visit_seen_alone
W1,P1,CPP1,2022-06-10,Y,Y
W2,P3,CPP2,2023-06-13,Y,N
W3,P3,CPP2,2023-06-12,,N
"""
CLA_VISITS = """
clav_cla_visit_id,clav_cla_id,clav_person_id,clav_cla_visit_date,clav_cla_visit_seen,clav_cla_visit_seen_alone
X1,CLA1,P4,2023-05-04,Y,Y
X2,CLA1,P4,2023-05-22,Y,Y
X3,CLA2,P10,2023-06-16,Yes,N
"""
# Referrals by month: May 2022 R02; June 2022 R01; May 2023 R05; June 2023 R08, R09, R10, R11, R12,
# R14, R15, R17 (8: T1 R08, R12, R15; T2 R09, R10, R11, R14, R17); July 2023 R13, R16.
# Weeks: 29 May - 4 Jun 2023 R08, R09; 5-11 Jun R10, R11, R12, R17; 3-9 Jul R13, R16.
#
# referral_rate_per_10k (the 12 months to D, (D - 12 months, D]; population at D):
# - 31 May 2022: R02 -> 1; no estimate has 30 June on or before D, so the earliest (2022) 50000:
#   1 / 50000 x 10000 = 0.2.
# - 31 May 2023: 1 Jun 2022 - 31 May 2023: R01, R05 -> 2 (R02 on 31 May 2022 = D - 12 months is
#   out); mid-2022 50000 (30 Jun 2023 is after D) -> 0.4.
# - 30 Jun 2023: 1 Jul 2022 - 30 Jun 2023: R05 + the 8 of June 2023 = 9; mid-2023 50500 (30 June
#   2023 is on D) -> 90000 / 50500 = 1.7821782 -> 1.782178. By team: T1 R08, R12, R15 = 3 ->
#   0.594059; T2 R05, R09, R10, R11, R14, R17 = 6 -> 1.188119.
# - week ending Sun 9 Jul 2023: all 11 referrals of 2023 -> 110000 / 50500 = 2.178218.
#
# rereferral_12m_pct (previous referral on a strictly earlier day in [date - 12 months, date)):
# - R08 (P1, 1 Jun 2023): R01 (1 Jun 2022) exactly 12 months before -> re-referral.
# - R09 (P2, 1 Jun 2023): R02 (31 May 2022) 12 months and a day before -> not.
# - R10, R11 (P3, both 5 Jun 2023): same day -> neither.
# - R12 (P4, 6 Jun 2023): R05 (5 May 2023) -> re-referral.
#   June 2023: 2 / 8. Week to 4 Jun: R08 of R08, R09 -> 1 / 2. Week to 11 Jun: R12 -> 1 / 4.
#   Rolling 12 months to 30 Jun 2023: R05 + June's 8 = 9 -> 2 / 9. By team June 2023: T1 R08, R12
#   of 3; T2 0 of 5.
#
# referral_nfa_pct: NFA = Y on R08 and R11; R09's blank flag stays in the denominator
# (Clarification 8); "no" (R17) is N.
#   June 2022: R01 -> 0 / 1. June 2023: 2 / 8. Week to 4 Jun: R08 Y, R09 blank -> 1 / 2. Rolling to
#   30 Jun 2023: 2 / 9. By team June 2023: T1 R08 of 3; T2 R11 of 5.
#
# referral_seen_5wd_pct (earliest visit with seen = Y, any of the three tables, by person, on or
# after the referral date; numerator wd(referral, seen) <= 5; not seen: late once
# wd(referral, extract date Sun 9 Jul) > 5, otherwise left out):
# - R02 (Tue 31 May 2022): V1 on 1 Jun is not seen; V2 Fri 10 Jun: Wed 1, (Thu 2, Fri 3 Jubilee)
#   Mon 6, Tue 7, Wed 8, Thu 9, Fri 10 = 6 -> late, missed by one day.
# - R01 (Wed 1 Jun 2022): W1 (CP visit) Fri 10 Jun = 5 -> on time on its last day.
# - R05 (Fri 5 May 2023): X1 (4 May) is before the referral and does not count; X2 Mon 22 May:
#   (Mon 8 Coronation) 9, 10, 11, 12, 15-19, 22 = 10 -> late.
# - R08 (Thu 1 Jun 2023, NFA and closed next day, not exempt): P1 not seen since -> wd(1 Jun,
#   9 Jul) > 5 -> late.
# - R09 (Thu 1 Jun 2023): V4 Thu 8 Jun: Fri 2, Mon 5, Tue 6, Wed 7, Thu 8 = 5 -> on time.
# - R10, R11 (Mon 5 Jun 2023): V5 (7 Jun) not seen; W3 (12 Jun) blank seen flag = not seen;
#   W2 Tue 13 Jun: 6, 7, 8, 9, 12, 13 = 6 -> both late (R11 NFA'd the same day is not exempt).
# - R12 (Tue 6 Jun 2023): V3 the same day -> 0, on time.
# - R17 (Sat 10 Jun 2023): X3 Fri 16 Jun: Mon 12 - Fri 16 = 5 -> on time (weekend referral).
# - R14 (Thu 29 Jun 2023): not seen; wd(29 Jun, Sun 9 Jul) = Fri 30, Mon 3 - Fri 7 = 6 -> late.
# - R15 (Fri 30 Jun 2023): not seen; wd(30 Jun, 9 Jul) = 5, still within its time -> left out.
# - R13 (Mon 3 Jul 2023): not seen; wd(3 Jul, 9 Jul) = 4 -> left out.
# - R16 (Tue 4 Jul 2023): V6 Wed 5 Jul = 1 -> on time.
#   May 2022: R02 -> 0 / 1. June 2022: R01 -> 1 / 1. Week 30 May - 5 Jun 2022: R02, R01 -> 1 / 2.
#   May 2023: R05 -> 0 / 1. June 2023: R08, R09, R10, R11, R12, R17, R14 (R15 left out) ->
#   R09, R12, R17 = 3 / 7. Week to 4 Jun: R08, R09 -> 1 / 2. Week to 2 Jul: R14 (R15 left out)
#   -> 0 / 1. Week to 9 Jul: R16 (R13 left out) -> 1 / 1. Rolling to 30 Jun 2023: R05 + June's 7
#   -> 3 / 8. By team June 2023: T1 R08 late, R12 on time (R15 left out) -> 1 / 2; T2 R09, R17 on
#   time, R10, R11, R14 late -> 2 / 5.

REFERRAL_KPIS = [
    "referrals_received",
    "referral_rate_per_10k",
    "rereferral_12m_pct",
    "referral_nfa_pct",
    "referral_seen_5wd_pct",
]


@pytest.fixture(scope="module")
def referrals(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("front_door_referrals")
    return run_kpis(
        tmp,
        {
            "ssd_cin_episodes": REFERRALS,
            "ssd_cin_visits": CIN_VISITS,
            "ssd_cp_visits": CP_VISITS,
            "ssd_cla_visits": CLA_VISITS,
        },
        REFERRALS_EXTRACT,
        REFERRAL_KPIS,
    )


def test_referrals_received(referrals: KpiOutput) -> None:
    kpi = "referrals_received"
    assert referrals.row(kpi, "month", "2022-05-31") == (1, None, 1)
    assert referrals.row(kpi, "month", "2022-06-30") == (1, None, 1)
    assert referrals.row(kpi, "month", "2023-05-31") == (1, None, 1)
    assert referrals.row(kpi, "month", "2023-06-30") == (8, None, 8)
    assert referrals.row(kpi, "week", "2023-06-04") == (2, None, 2)
    assert referrals.row(kpi, "week", "2023-06-11") == (4, None, 4)
    assert referrals.row(kpi, "week", "2023-07-09") == (2, None, 2)
    assert referrals.row(kpi, "rolling_12m", "2023-06-30") == (9, None, 9)
    assert referrals.dimension(kpi, "team", "month", "2023-06-30") == {
        "T1": (3, None, 3),
        "T2": (5, None, 5),
    }
    assert referrals.dimension(kpi, "service_area", "month", "2023-06-30") == {
        "front_door": (3, None, 3),
        "fieldwork": (5, None, 5),
    }


def test_referral_rate_per_10k(referrals: KpiOutput) -> None:
    kpi = "referral_rate_per_10k"
    assert referrals.row(kpi, "month", "2022-05-31") == (1, 50000, 0.2)
    assert referrals.row(kpi, "month", "2023-05-31") == (2, 50000, 0.4)
    assert referrals.row(kpi, "month", "2023-06-30") == (9, 50500, 1.782178)
    # Whatever the grain, the 12 months to the period end (Clarification 2).
    assert referrals.row(kpi, "quarter", "2023-06-30") == (9, 50500, 1.782178)
    assert referrals.row(kpi, "week", "2023-07-09") == (11, 50500, 2.178218)
    assert referrals.dimension(kpi, "team", "month", "2023-06-30") == {
        "T1": (3, 50500, 0.594059),
        "T2": (6, 50500, 1.188119),
    }


def test_rereferral_12m_pct(referrals: KpiOutput) -> None:
    kpi = "rereferral_12m_pct"
    assert referrals.row(kpi, "month", "2023-06-30") == (2, 8, 25)
    assert referrals.row(kpi, "week", "2023-06-04") == (1, 2, 50)
    assert referrals.row(kpi, "week", "2023-06-11") == (1, 4, 25)
    assert referrals.row(kpi, "rolling_12m", "2023-06-30") == (2, 9, 22.222222)
    assert referrals.dimension(kpi, "team", "month", "2023-06-30") == {
        "T1": (2, 3, 66.666667),
        "T2": (0, 5, 0),
    }


def test_referral_nfa_pct(referrals: KpiOutput) -> None:
    kpi = "referral_nfa_pct"
    assert referrals.row(kpi, "month", "2022-06-30") == (0, 1, 0)
    assert referrals.row(kpi, "month", "2023-06-30") == (2, 8, 25)
    assert referrals.row(kpi, "week", "2023-06-04") == (1, 2, 50)  # the blank flag stays in
    assert referrals.row(kpi, "rolling_12m", "2023-06-30") == (2, 9, 22.222222)
    assert referrals.dimension(kpi, "team", "month", "2023-06-30") == {
        "T1": (1, 3, 33.333333),
        "T2": (1, 5, 20),
    }


def test_referral_seen_5wd_pct(referrals: KpiOutput) -> None:
    kpi = "referral_seen_5wd_pct"
    assert referrals.row(kpi, "month", "2022-05-31") == (0, 1, 0)
    assert referrals.row(kpi, "month", "2022-06-30") == (1, 1, 100)
    assert referrals.row(kpi, "week", "2022-06-05") == (1, 2, 50)
    assert referrals.row(kpi, "month", "2023-05-31") == (0, 1, 0)
    assert referrals.row(kpi, "month", "2023-06-30") == (3, 7, 42.857143)
    assert referrals.row(kpi, "week", "2023-06-04") == (1, 2, 50)
    assert referrals.row(kpi, "week", "2023-07-02") == (0, 1, 0)
    assert referrals.row(kpi, "week", "2023-07-09") == (1, 1, 100)
    assert referrals.row(kpi, "rolling_12m", "2023-06-30") == (3, 8, 37.5)
    assert referrals.dimension(kpi, "team", "month", "2023-06-30") == {
        "T1": (1, 2, 50),
        "T2": (2, 5, 40),
    }


# One visit table is enough; with none, whether a child was seen is unknown (blank, not 0%).
# Extract dated Friday 30 June 2023.
FEW_REFERRALS = """
cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_nfa,cine_close_reason,cine_close_date,cine_referral_team
S1,P1,2023-06-05,N1,6,N,,,T1
S2,P2,2023-06-06,N1,6,N,,,T1
"""
FEW_CLA_VISITS = """
clav_cla_visit_id,clav_cla_id,clav_person_id,clav_cla_visit_date,clav_cla_visit_seen,clav_cla_visit_seen_alone
Y1,CLA1,P1,2023-06-07,Y,Y
"""
# S1 (Mon 5 Jun) seen Wed 7 Jun: wd 2 -> on time. S2 (Tue 6 Jun) never seen: wd(6 Jun, Fri 30 Jun)
# = 18 > 5 -> late. Week 5-11 Jun: 1 / 2. Without any visit table whether a child was seen is
# unknown: the KPI is not available (any_of_tables).


def test_referral_seen_5wd_pct_with_one_visit_table(tmp_path: Path) -> None:
    out = run_kpis(
        tmp_path,
        {"ssd_cin_episodes": FEW_REFERRALS, "ssd_cla_visits": FEW_CLA_VISITS},
        "2023-06-30",
        ["referral_seen_5wd_pct"],
    )
    assert out.row("referral_seen_5wd_pct", "week", "2023-06-11") == (1, 2, 50)


def test_referral_seen_5wd_pct_without_visit_tables_is_not_available(tmp_path: Path) -> None:
    out = run_kpis(
        tmp_path, {"ssd_cin_episodes": FEW_REFERRALS}, "2023-06-30", ["referral_seen_5wd_pct"]
    )
    available, reason = out.available("referral_seen_5wd_pct")
    assert available is False
    assert reason is not None and "none of ssd_cin_visits, ssd_cp_visits, ssd_cla_visits" in reason
