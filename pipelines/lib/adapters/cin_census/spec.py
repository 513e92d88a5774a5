"""The CIN census as data: what it gives each contract table, what it cannot, and its codes."""

SOURCE_FORMAT = "cin_census"

LIMITS: dict[str, str] = {
    "cine_referral_team": "the CIN census has no team or worker",
    "cina_assessment_team": "the CIN census has no team or worker",
    "cina_assessment_worker_id": "the CIN census has no team or worker",
    "cina_assessment_child_seen": "the CIN census does not say whether the child was seen",
    "cina_assessment_outcome_nfa": (
        "the CIN census records NFA per referral (ReferralNFA) and closure reason RC8, not per "
        "assessment"
    ),
    "s47e_s47_end_date": "the CIN census has the enquiry's start date only, no end date",
    "s47e_s47_nfa": (
        "the CIN census says only whether an ICPC was not required (ICPCnotRequired), not "
        "whether the enquiry ended with no further action"
    ),
    "icpc_icpc_transfer_in": (
        "inferred: a conference that matches no section 47 enquiry of its episode is taken "
        "as a transfer-in"
    ),
    "icpc_icpc_target_date": (
        "given only for enquiries whose conference was held (InitialCPCtarget sits on the "
        "enquiry; a planned conference not yet held has no row)"
    ),
    "cppr_cp_review_due": "the CIN census has review dates, not due dates",
    "ssd_cin_plans": "CINPlanDates (CIN plan start and end) have no table in the contract",
    "ssd_contacts": "the CIN census has referrals only, not contacts",
    "ssd_cin_visits": "the CIN census has no visits",
    "ssd_cp_visits": "the CIN census has no visits",
    "ssd_cla_episodes": "children looked after are in the SSDA903 return, not the CIN census",
    "disabilities": "Disabilities and assessment factors have no column in the contract",
}

PERSON_COLUMNS = ["pers_person_id", "pers_sex", "pers_ethnicity", "pers_dob", "pers_death_date"]
EPISODE_COLUMNS = [
    "cine_referral_id", "cine_person_id", "cine_referral_date", "cine_cin_primary_need_code",
    "cine_referral_source_code", "cine_referral_nfa", "cine_close_reason", "cine_close_date",
]  # fmt: skip
ASSESSMENT_COLUMNS = [
    "cina_assessment_id", "cina_person_id", "cina_referral_id", "cina_assessment_start_date",
    "cina_assessment_auth_date",
]  # fmt: skip
S47_COLUMNS = ["s47e_s47_enquiry_id", "s47e_referral_id", "s47e_person_id", "s47e_s47_start_date"]
ICPC_COLUMNS = [
    "icpc_icpc_id", "icpc_s47_enquiry_id", "icpc_person_id", "icpc_cp_plan_id",
    "icpc_icpc_transfer_in", "icpc_icpc_target_date", "icpc_icpc_date",
    "icpc_icpc_outcome_cp_flag",
]  # fmt: skip
PLAN_COLUMNS = [
    "cppl_cp_plan_id", "cppl_person_id", "cppl_icpc_id", "cppl_cp_plan_start_date",
    "cppl_cp_plan_end_date", "cppl_cp_plan_initial_category", "cppl_cp_plan_latest_category",
    "cppl_previous_cp_plans",
]  # fmt: skip
REVIEW_COLUMNS = ["cppr_cp_review_id", "cppr_person_id", "cppr_cp_plan_id", "cppr_cp_review_date"]
TABLE_COLUMNS = {
    "ssd_person": PERSON_COLUMNS,
    "ssd_cin_episodes": EPISODE_COLUMNS,
    "ssd_cin_assessments": ASSESSMENT_COLUMNS,
    "ssd_s47_enquiry": S47_COLUMNS,
    "ssd_initial_cp_conference": ICPC_COLUMNS,
    "ssd_cp_plans": PLAN_COLUMNS,
    "ssd_cp_reviews": REVIEW_COLUMNS,
}
# What the census fills: exactly the columns its rows carry.
PROVIDES: dict[str, frozenset[str]] = {t: frozenset(c) for t, c in TABLE_COLUMNS.items()}

# GenderCurrent (to 2024): 1 male, 2 female, 0 not recorded or unborn, 9 indeterminate.
SEX_CODES = {"M": "M", "F": "F", "U": "U", "1": "M", "2": "F", "0": "U", "9": "U"}
TRUE_VALUES = frozenset({"1", "true", "y", "yes"})
FALSE_VALUES = frozenset({"0", "false", "n", "no"})
# Elements that repeat, so their place among siblings is part of an XML path.
REPEATED = frozenset({
    "child", "cindetails", "assessments", "cinplandates", "section47", "childprotectionplans",
    "cppreviewdate", "disability", "assessmentfactors", "source",
})  # fmt: skip
# Parts of the return with no place in the contract: counted once per file in a note.
UNMAPPED_PARTS = {
    "cinplandates": "CIN plans (CINPlanDates)",
    "disabilities": "disabilities",
    "factorsidentifiedatassessment": "assessment factors",
    "preproceedingsandfgdm": "pre-proceedings and family group decision making",
}
