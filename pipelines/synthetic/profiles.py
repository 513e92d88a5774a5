"""The two stories the synthetic data tells, as parameters in one place.

A profile is a set of rates and percentages, each a *curve*: anchor points given in months
relative to the LA's Improvement Notice, interpolated linearly between anchors and held flat
outside them. The simulation reads a curve at the date of each event (a contact, a referral, a
new placement, a month of the workforce...), so a change in a curve shows up in the weekly and
monthly KPI series of every extract. The figures in brackets below are what the KPIs come out at
from the demo extracts (scale 1), by half-year.

``county`` (Fenshire; history 2008-04 to 2011-09; Improvement Notice 29 June 2010)
    Before continuous assessment: every assessment is an ``initial`` assessment and a share go on
    to a ``core`` assessment; ``ext_assessment_types`` has a row for each (no ``single``).
    Performance slides to the notice and then recovers: initial assessments within 7 working days
    (63% -> 54% in the half-year before the notice -> 77% in early 2011); core assessments within
    35 working days (54% -> 47% -> 74%); re-referrals within 12 months (32% -> 25%); the front door
    builds a backlog before the notice and clears it after (contacts decided within one working
    day 84% -> 64% -> 90%); agency social workers (19% -> 11% of FTE); vacancy rate (14% -> 7.5%);
    sickness absence (13 -> under 10 days per FTE), turnover (20% -> 13%); CP reviews on time
    (88% -> 96%). CP and CLA rates stay near the England level.

``city`` (Kingsmere; history 2021-04 to 2024-03; Improvement Notice 24 October 2022)
    Continuous assessments: every assessment has an ``ext_assessment_types`` row ``single``.
    A front-door backlog builds through 2022 (decided within one working day 82% -> 61% in the
    second half of 2022) and clears by 2023-24 (89%); children seen within 5 working days of
    referral (63% -> 65% -> 85%); CP plans get shorter (mean length of plans at their start
    60 -> 30 weeks, so the mean duration of ending plans falls from 57-60 to 43-45 weeks) and
    fewer ICPCs lead to a plan, so the share of open cases on a CP plan falls (16% -> 8%);
    new placements are more often with family, so the share of children in care placed with
    family rises (31% -> 40%); agency social workers (25% -> 15% of FTE). Two planted objectives
    that are *slow to progress* do not move: return home interviews within 72 hours stay at ~60%
    (local target 80%) and care leavers aged 21+ with a personal adviser stay at ~75% (local
    target 90%).
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np

# (months relative to the notice, value); flat before the first and after the last anchor.
Curve = tuple[tuple[float, float], ...]

DAYS_PER_MONTH = 365.25 / 12


def flat(value: float) -> Curve:
    return ((0.0, value),)


@dataclass(frozen=True)
class Profile:
    """Every parameter of one story. Percentages are 0-100; rates are per 10,000 children a year."""

    name: str
    notice_date: dt.date
    population_0_17: int  # at scale 1, mid-year of the start date
    population_growth_pct: float  # a year
    targets: tuple[str, ...]
    # Published figures shown beside the LA's (la.yaml `benchmarks`): the statistical neighbours
    # of the council whose notice the story borrows.
    benchmarks: dict[str, str]
    assessment_model: str  # "single" or "initial_core"
    # Front door
    referrals_per_10k: Curve
    contacts_per_referral: float
    contact_decision_1wd_pct: Curve
    rereferral_pct: Curve
    referral_nfa_pct: float
    seen_5wd_pct: Curve
    # Assessments
    single_45wd_pct: Curve
    initial_7wd_pct: Curve
    core_35wd_pct: Curve
    core_share_pct: float  # of initial assessments (not s47) that go on to a core assessment
    assessment_nfa_pct: float  # of assessed referrals without an s47
    cin_plan_months: Curve  # median length of a child-in-need episode after assessment
    # Child protection
    s47_per_10k: Curve
    icpc_per_s47_pct: Curve
    icpc_15wd_pct: Curve
    plan_per_icpc_pct: Curve
    cp_plan_weeks: Curve  # mean planned length of a plan, by its start date
    second_plan_pct: float  # of new plans, for a child who had a plan before
    cp_review_timely_pct: Curve  # of single reviews (a plan is timely only if all were)
    cp_visit_gap_days: float  # mean days between statutory CP visits
    # Children in care
    cla_per_10k_at_start: float
    cla_entries_per_10k: Curve  # entries that do not come from a CP plan or CIN episode
    cp_to_care_pct: float  # of ending CP plans that end because the child comes into care
    with_family_pct: Curve  # of new placements: U1-U3 or P1
    placement_moves_a_year: float
    cla_review_timely_pct: float  # of single reviews (a child is timely only if all were)
    missing_child_pct: float  # of children in care aged 11+ who go missing at all
    rhi_72h_pct: Curve  # return home interviews completed within 72 hours of return
    # Care leavers
    care_leavers_per_10k_per_year_of_age: float
    pa_21plus_pct: Curve  # former relevant care leavers who keep a PA to 25 (else to 21)
    # Workforce (social workers, CSWW org roles 1-6)
    sw_fte_per_10k: float
    agency_pct: Curve  # agency FTE / all FTE
    vacancy_pct: Curve  # vacant FTE / (vacant + employed FTE)
    turnover_pct: Curve  # employed leavers a year / employed FTE
    sickness_days_per_fte: Curve
    worker_changes_a_year: Curve  # changes of allocated worker per child a year
    supervision_gap_days: Curve  # mean days between supervisions
    # Other areas
    homeless_per_10k: float
    lado_per_10k: float
    lado_1wd_pct: float


COUNTY = Profile(
    name="county",
    notice_date=dt.date(2010, 6, 29),
    population_0_17=165_000,
    population_growth_pct=0.4,
    targets=("improvement_notice_2010",),
    benchmarks={"statistical_neighbours": "SN891"},
    assessment_model="initial_core",
    referrals_per_10k=flat(520.0),
    contacts_per_referral=3.5,
    contact_decision_1wd_pct=((-27, 85), (-6, 66), (0, 62), (6, 80), (12, 90), (15, 92)),
    rereferral_pct=((-27, 32), (0, 32), (3, 29.5), (9, 26), (12, 25), (15, 24.5)),
    referral_nfa_pct=8.0,
    seen_5wd_pct=((-27, 76), (0, 67), (12, 90)),
    single_45wd_pct=flat(80.0),
    initial_7wd_pct=((-27, 62), (-3, 54), (0, 54), (3, 64), (8, 76), (12, 80)),
    # Core assessments are counted when authorised, months after they start: lead by 2 months.
    core_35wd_pct=((-27, 55), (-5, 46), (-2, 46), (1, 58), (6, 76), (10, 80)),
    core_share_pct=25.0,
    assessment_nfa_pct=45.0,
    cin_plan_months=flat(6.0),
    s47_per_10k=flat(150.0),
    icpc_per_s47_pct=flat(42.0),
    icpc_15wd_pct=((-27, 70), (0, 66), (12, 82)),
    plan_per_icpc_pct=flat(88.0),
    cp_plan_weeks=flat(40.0),
    second_plan_pct=15.0,
    cp_review_timely_pct=((-27, 93), (0, 93), (12, 99)),
    cp_visit_gap_days=10.0,
    cla_per_10k_at_start=55.0,
    cla_entries_per_10k=flat(10.0),
    cp_to_care_pct=12.0,
    with_family_pct=flat(30.0),
    placement_moves_a_year=0.55,
    cla_review_timely_pct=98.5,
    missing_child_pct=14.0,
    rhi_72h_pct=flat(68.0),
    care_leavers_per_10k_per_year_of_age=8.0,
    pa_21plus_pct=flat(86.0),
    sw_fte_per_10k=27.0,
    agency_pct=((-27, 18), (0, 16), (15, 8)),
    vacancy_pct=((-27, 16), (0, 15), (12, 8), (15, 7.5)),
    turnover_pct=((-27, 18), (0, 16), (12, 10), (15, 9.5)),
    sickness_days_per_fte=((-27, 13), (0, 12.5), (12, 8), (15, 7.5)),
    worker_changes_a_year=((-27, 0.6), (0, 0.6), (12, 0.3)),
    supervision_gap_days=((-27, 40), (0, 38), (12, 26)),
    homeless_per_10k=8.0,
    lado_per_10k=10.0,
    lado_1wd_pct=70.0,
)

CITY = Profile(
    name="city",
    notice_date=dt.date(2022, 10, 24),
    population_0_17=68_000,
    population_growth_pct=-0.3,
    targets=("local_plan_2022",),
    benchmarks={"statistical_neighbours": "SN892"},
    assessment_model="single",
    referrals_per_10k=flat(600.0),
    contacts_per_referral=3.5,
    contact_decision_1wd_pct=((-19, 85), (-8, 76), (-2, 60), (0, 60), (4, 70), (9, 85), (13, 90)),
    rereferral_pct=flat(23.0),
    referral_nfa_pct=9.0,
    seen_5wd_pct=((-19, 76), (0, 68), (9, 86), (18, 93)),
    single_45wd_pct=((-19, 78), (0, 70), (12, 85), (18, 86)),
    initial_7wd_pct=flat(70.0),
    core_35wd_pct=flat(70.0),
    core_share_pct=25.0,
    assessment_nfa_pct=42.0,
    cin_plan_months=((-19, 6), (0, 6), (12, 9)),
    s47_per_10k=flat(190.0),
    icpc_per_s47_pct=((-19, 38), (0, 38), (12, 32)),
    icpc_15wd_pct=((-19, 76), (0, 72), (12, 84)),
    plan_per_icpc_pct=((-19, 88), (0, 88), (12, 82)),
    cp_plan_weeks=((-60, 60), (-6, 58), (2, 31), (18, 28)),
    second_plan_pct=22.0,
    cp_review_timely_pct=((-19, 93), (0, 92), (12, 97.5)),
    cp_visit_gap_days=9.0,
    cla_per_10k_at_start=80.0,
    cla_entries_per_10k=flat(12.0),
    cp_to_care_pct=12.0,
    with_family_pct=((-19, 32), (0, 33), (6, 44), (18, 48)),
    placement_moves_a_year=0.6,
    cla_review_timely_pct=98.0,
    missing_child_pct=24.0,
    rhi_72h_pct=flat(60.0),
    care_leavers_per_10k_per_year_of_age=10.0,
    pa_21plus_pct=flat(79.0),
    sw_fte_per_10k=36.0,
    agency_pct=((-19, 25), (-3, 26), (4, 20), (14, 11), (18, 10)),
    vacancy_pct=((-19, 24), (0, 26), (18, 15)),
    turnover_pct=((-19, 20), (0, 21), (18, 14)),
    sickness_days_per_fte=flat(10.0),
    worker_changes_a_year=((-19, 0.7), (0, 0.7), (12, 0.35)),
    supervision_gap_days=((-19, 34), (0, 36), (12, 27)),
    homeless_per_10k=10.0,
    lado_per_10k=12.0,
    lado_1wd_pct=75.0,
)

PROFILES: dict[str, Profile] = {p.name: p for p in (COUNTY, CITY)}


def curve_at(curve: Curve, days: np.ndarray, notice_day: int) -> np.ndarray:
    """The curve's value at each day number (days since 1970-01-01)."""
    xs = np.array([notice_day + m * DAYS_PER_MONTH for m, _ in curve], dtype=np.float64)
    ys = np.array([v for _, v in curve], dtype=np.float64)
    return np.interp(np.asarray(days, dtype=np.float64), xs, ys)
