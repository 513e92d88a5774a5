"""Every KPI of the catalogue is defined, every definition is valid, and targets name real KPIs."""

import re

import pytest

from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.kpi.targets import load_plans
from tests.conftest import SHARED

CATALOGUE_IDS = {
    # Front door
    "contacts_received", "contact_decision_1wd_pct", "contacts_awaiting_decision",
    "contacts_overdue_decision", "repeat_contacts_12m_pct", "contact_to_referral_pct",
    "referrals_received", "referral_rate_per_10k", "rereferral_12m_pct", "referral_nfa_pct",
    "referral_seen_5wd_pct",
    # Assessments
    "assessments_completed", "assessments_45wd_pct", "assessments_open_over_45wd",
    "initial_assessments_7wd_pct", "core_assessments_35wd_pct",
    # Section 47 and child protection
    "s47_rate_per_10k", "icpc_15wd_pct", "cp_plans_open", "cp_rate_per_10k",
    "cp_share_of_open_cases_pct", "cp_plan_duration_weeks", "cp_second_subsequent_pct",
    "cp_2yrs_plus_pct", "cp_reviews_timely_pct", "cp_visits_10wd_pct",
    # Children in care
    "cla_open", "cla_rate_per_10k", "cla_started", "cla_with_family_pct", "cla_residential_pct",
    "cla_under16_unregulated", "cla_3plus_placements_pct", "cla_reviews_timely_pct",
    "cla_visits_6wk_pct", "cla_3plus_social_workers_pct",
    # Missing and return home interviews
    "missing_episodes", "rhi_offered_pct", "rhi_72h_pct",
    # Care leavers
    "care_leavers_in_touch_pct", "care_leavers_eet_pct", "care_leavers_suitable_accom_pct",
    "care_leavers_21plus_pa_pct", "pathway_plans_current_pct",
    # Workforce
    "sw_fte", "agency_rate_pct", "vacancy_rate_pct", "turnover_rate_pct", "absence_days_per_fte",
    "caseload_avg", "unallocated_children", "supervision_timely_pct",
    # Other notice areas
    "homeless_16_17_presentations", "homeless_16_17_assessed_10wd_pct",
    "children_missing_education", "children_ehe", "lado_referrals", "lado_decision_1wd_pct",
}  # fmt: skip


def test_every_catalogue_kpi_is_defined_and_valid() -> None:
    definitions = load_definitions()  # raises on any invalid YAML
    ids = {k.id for k in definitions}
    assert CATALOGUE_IDS - ids == set(), "catalogue KPIs without a definition"


def test_the_list_above_is_the_catalogue() -> None:
    catalogue = SHARED / "reference" / "kpi-catalogue.md"
    if not catalogue.exists():
        pytest.skip(f"{catalogue} is absent")
    rows = re.findall(r"^\| ([a-z0-9_]+) \| (?:flow|snapshot|rolling)", catalogue.read_text(), re.M)
    assert set(rows) == CATALOGUE_IDS


def test_definitions_say_what_they_assume_and_where_they_come_from() -> None:
    for kpi in load_definitions():
        assert kpi.source, kpi.id
        assert kpi.assumptions, f"{kpi.id}: no assumptions written down"
        assert "select" in kpi.sql.lower(), kpi.id
        assert "{" not in kpi.sql, f"{kpi.id}: values must be bound with getvariable, not formatted"


def test_targets_name_defined_kpis_and_their_areas() -> None:
    ids = {k.id for k in load_definitions()}
    plans = load_plans()
    assert set(plans) == {"improvement_notice_2010", "local_plan_2022"}
    for plan in plans.values():
        for target in plan.targets:
            assert target.kpi_id in ids, f"{plan.id}: {target.kpi_id}"
            assert target.quote
    assert len(plans["local_plan_2022"].areas) == 8
    notice = [
        t
        for t in plans["improvement_notice_2010"].targets
        if t.kpi_id == "initial_assessments_7wd_pct"
    ]
    assert [(t.value, t.due.isoformat(), t.measure) for t in notice] == [
        (60.0, "2010-09-30", "in_month"),
        (70.0, "2011-03-31", "in_month"),
        (75.0, "2011-06-30", "cumulative_quarter"),
    ]
