"""Golden tests: front door (contacts). Every expected number is worked out by hand below.

Calendar notes for May 2023: Mon 1 May and Mon 8 May (Coronation) are bank holidays.
The extract is dated Sunday 14 May 2023.
"""

from pathlib import Path

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-05-14"
CONTACTS = """
cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code
K1,C1,2023-05-05 16:00,1A
K2,C2,2023-05-04 10:00,6
K3,C3,2023-05-03 09:00,2A
K4,C4,2023-05-06 11:00,3A
K5,C5,2023-05-10 12:00,6
K6,C6,2023-05-12 14:00,6
K7,C7,2023-05-11 09:30,8
K8,C8,2023-04-28 15:00,6
"""
DECISIONS = """
contact_id,decision_datetime,decision,priority
K1,2023-05-09 09:00,referral,amber
K2,2023-05-05 11:00,nfa,
K3,2023-05-05 10:00,early_help,green
K4,2023-05-09 12:00,advice,
K7,2023-05-12 10:00,referral,red
K7,2023-05-11 18:00,existing_case,red
K8,2023-05-02 10:00,referral,
"""
# Hand working, wd = working days after the contact date up to the decision date:
# K1 Fri 5 -> Tue 9: Sat, Sun, Mon 8 (holiday) do not count, Tue 9 does: wd 1, on time (last day)
# K2 Thu 4 -> Fri 5: wd 1, on time
# K3 Wed 3 -> Fri 5: wd 2, late (missed by one day)
# K4 Sat 6 -> Tue 9: Sun, Mon 8 (holiday), Tue 9: wd 1, on time (a weekend contact)
# K5 Wed 10, undecided: wd(10, Sun 14) = Thu, Fri = 2 > 1, late
# K6 Fri 12, undecided: wd(12, Sun 14) = 0, still within its day: left out
# K7 Thu 11, two decisions, the earliest (Thu 11 18:00) counts: wd 0, on time
# K8 Fri 28 Apr -> Tue 2 May: Sat, Sun, Mon 1 May (holiday), Tue 2: wd 1, on time (April)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    tmp: Path = tmp_path_factory.mktemp("front_door")
    return run_kpis(
        tmp,
        {"ssd_contacts": CONTACTS, "ext_contact_decisions": DECISIONS},
        EXTRACT,
        ["contacts_received", "contact_decision_1wd_pct"],
    )


def test_contacts_received(out: KpiOutput) -> None:
    assert out.row("contacts_received", "month", "2023-04-30") == (1, None, 1)
    assert out.row("contacts_received", "week", "2023-05-07") == (4, None, 4)  # K1-K4
    assert out.row("contacts_received", "week", "2023-05-14") == (3, None, 3)  # K5-K7
    assert out.row("contacts_received", "rolling_12m", "2023-05-14") == (8, None, 8)
    # The financial year began on 1 April 2023, so K8 (28 April) is in the year to date.
    assert out.row("contacts_received", "ytd", "2023-05-14") == (8, None, 8)
    assert out.period("contacts_received", "rolling_12m", "2023-04-30") == (
        "2022-05-01",
        "2023-04-30",
    )


def test_periods_end_on_or_before_the_extract_date(out: KpiOutput) -> None:
    # May 2023 is not complete on 14 May: no month row for it yet.
    ends = out.values.filter(out.values["kpi_id"] == "contacts_received")["period_end"]
    assert max(ends).isoformat() == EXTRACT


def test_contact_decision_1wd_pct_weeks(out: KpiOutput) -> None:
    # Week 1-7 May: K1, K2, K4 on time, K3 late -> 3 / 4.
    assert out.row("contact_decision_1wd_pct", "week", "2023-05-07") == (3, 4, 75)
    # Week 8-14 May: K7 on time, K5 late (overdue and undecided), K6 left out -> 1 / 2.
    assert out.row("contact_decision_1wd_pct", "week", "2023-05-14") == (1, 2, 50)


def test_contact_decision_1wd_pct_months(out: KpiOutput) -> None:
    assert out.row("contact_decision_1wd_pct", "month", "2023-04-30") == (1, 1, 100)
    # Year to date on 14 May: K8 + K1..K7 less K6 -> 5 on time of 7.
    assert out.row("contact_decision_1wd_pct", "ytd", "2023-05-14") == (5, 7, 71.428571)


def test_the_series_starts_with_the_period_of_the_first_event(out: KpiOutput) -> None:
    weeks = out.values.filter(
        (out.values["kpi_id"] == "contacts_received") & (out.values["grain"] == "week")
    )
    assert min(weeks["period_end"]).isoformat() == "2023-04-30"  # the week of K8 (28 April)


def test_a_period_with_nothing_due_has_a_blank_percentage(tmp_path: Path) -> None:
    # One contact on Fri 12 May, undecided at Sun 14 May: not yet due, so 0 / 0 -> blank.
    only = run_kpis(
        tmp_path,
        {
            "ssd_contacts": "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code\n"
            "K6,C6,2023-05-12 14:00,6\n",
            "ext_contact_decisions": "contact_id,decision_datetime,decision,priority\n"
            "K0,2023-05-12 15:00,nfa,\n",
        },
        EXTRACT,
        ["contact_decision_1wd_pct"],
    )
    assert only.row("contact_decision_1wd_pct", "week", "2023-05-14") == (0, 0, None)
