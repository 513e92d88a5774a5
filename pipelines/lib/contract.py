"""The extract contract as data: every table, column, type and code set the ingest accepts.

This mirrors ``extract-contract.md``. One place declares it; the readers, the staging step,
the synthetic generator and the tests all read it from here.
"""

from dataclasses import dataclass, field
from typing import Literal

ColumnKind = Literal["id", "text", "date", "datetime", "flag", "code", "int", "float", "json"]


@dataclass(frozen=True)
class Column:
    """One column of an extract table.

    ``required``: the column must be present in the file (a file-level error otherwise).
    ``nullable``: a blank value is allowed; a blank in a non-nullable column rejects the row.
    ``codes``: the canonical code values; input is matched case-insensitively after trimming,
    through ``code_map`` first (synonyms such as ``Neglect`` -> ``NEG``). An unknown code is
    cleared to blank (unknown) and recorded in the quarantine table; the row is kept.
    ``bounds``: for a number, the plausible (low, high) values, high None for no upper bound
    (``ranges.py``: outside them, a required value rejects the row, an optional one is cleared).
    ``kept``: False for free text that no KPI, check or output reads: blanked as the file is
    read (``screening.py``), so a name or NHS number typed into it is never stored.
    """

    name: str
    kind: ColumnKind
    required: bool = True
    nullable: bool = True
    codes: tuple[str, ...] | None = None
    code_map: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    bounds: tuple[float, float | None] | None = None
    kept: bool = True

    @property
    def sql_type(self) -> str:
        return {
            "id": "VARCHAR",
            "text": "VARCHAR",
            "code": "VARCHAR",
            "json": "VARCHAR",
            "date": "DATE",
            "datetime": "TIMESTAMP",
            "flag": "BOOLEAN",
            "int": "BIGINT",
            "float": "DOUBLE",
        }[self.kind]


@dataclass(frozen=True)
class Table:
    """One extract table. ``key`` is its row identifier (unique within an extract), if it has one.

    Several decisions per contact and several interviews per missing episode are allowed (the
    earliest counts), so those tables have no key.
    """

    name: str
    key: str | None
    area: str
    columns: tuple[Column, ...]
    extension: bool = False
    current_state: bool = False
    description: str = ""

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name}")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


# Direct identifiers: never loaded, whatever table they appear in (contract, "Data minimisation").
DIRECT_IDENTIFIER_COLUMNS = frozenset(
    {
        "pers_forename",
        "pers_surname",
        "pers_common_child_id",
        "pers_legacy_id",
        "pers_upn",
        "pers_uln",
        "pers_single_unique_id",
        "prof_professional_name",
        "prof_social_worker_registration_no",
    }
)
# Any column whose name contains one of these is treated as a direct identifier too.
DIRECT_IDENTIFIER_PARTS = ("postcode", "address", "forename", "surname", "_upn", "_uln", "nhs")


def is_direct_identifier(column_name: str) -> bool:
    name = column_name.strip().lower()
    return name in DIRECT_IDENTIFIER_COLUMNS or any(p in name for p in DIRECT_IDENTIFIER_PARTS)


# A full-time equivalent is 0 to 1 (CSWW FTE and FTE30, domain notes §2.4): hours (37) or a
# percentage (100) typed in its place are caught at staging.
FTE = (0.0, 1.0)


# Code sets (canonical values). Sources: CIN census and SSDA903 specifications (domain notes §2).
REFERRAL_SOURCES = (
    "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F",
    "4", "5A", "5B", "5C", "5D", "6", "7", "8", "9", "10",
)  # fmt: skip
PRIMARY_NEED = tuple(f"N{i}" for i in range(10))
CLOSE_REASONS = tuple(f"RC{i}" for i in range(1, 10))
ABUSE_CATEGORIES = ("NEG", "PHY", "SAB", "EMO", "MUL")
ABUSE_CATEGORY_MAP = {
    "NEGLECT": "NEG",
    "PHYSICAL ABUSE": "PHY",
    "PHYSICAL": "PHY",
    "SEXUAL ABUSE": "SAB",
    "SEXUAL": "SAB",
    "EMOTIONAL ABUSE": "EMO",
    "EMOTIONAL": "EMO",
    "MULTIPLE": "MUL",
    "MULTIPLE/NOT RECOMMENDED": "MUL",
}
NEW_EPISODE_REASONS = ("S", "L", "P", "T", "B", "U")
CEASED_REASONS = (
    "X1", "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E4A", "E4B",
    "E41", "E45", "E46", "E47", "E48", "E5", "E6", "E7", "E8", "E9",
)  # fmt: skip
PLACEMENT_TYPES = (
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "K3", "P1", "P2", "P3", "R1", "R2", "R3", "R5",
    "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
    "Z11", "Z12", "Z13", "Z14",
)  # fmt: skip
PLACEMENT_PROVIDERS = ("PR0", "PR1", "PR2", "PR3", "PR4", "PR5")
LEGAL_STATUSES = (
    "C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3",
)  # fmt: skip
SEX_MAP = {"MALE": "M", "1": "M", "FEMALE": "F", "2": "F", "UNKNOWN": "U", "0": "U", "9": "U"}
MISSING_TYPE_MAP = {"MISSING": "M", "AWAY": "A"}
RHI_FLAG_MAP = {"YES": "Y", "NO": "N", "N/A": "NA", "TRUE": "Y", "FALSE": "N", "1": "Y", "0": "N"}
# SSD clah_health_check_type: the SSDA903 OC2 checks a child looked after for 12 months has.
HEALTH_CHECK_TYPES = ("HEALTH_ASSESSMENT", "DENTAL_CHECK", "HEALTH_SURVEILLANCE")
HEALTH_CHECK_TYPE_MAP = {
    "HEALTH ASSESSMENT": "HEALTH_ASSESSMENT",
    "HEALTH-ASSESSMENT": "HEALTH_ASSESSMENT",
    "DENTAL CHECK": "DENTAL_CHECK",
    "DENTAL": "DENTAL_CHECK",
    "TEETH CHECK": "DENTAL_CHECK",
    "HEALTH SURVEILLANCE": "HEALTH_SURVEILLANCE",
    "HEALTH SURVEILLANCE CHECK": "HEALTH_SURVEILLANCE",
}
CARE_LEAVER_ELIGIBILITY = (
    "Relevant",
    "Former Relevant",
    "Eligible",
    "Qualifying",
    "No Current Eligibility",
)
CARE_LEAVER_ELIGIBILITY_MAP = {
    "FORMER_RELEVANT": "Former Relevant",
    "FORMER-RELEVANT": "Former Relevant",
    "NO_CURRENT_ELIGIBILITY": "No Current Eligibility",
}
IN_TOUCH = ("YES", "NO", "DIED", "REFU", "NREQ", "RHOM")
IN_TOUCH_MAP = {"Y": "YES", "N": "NO"}
ACCOM_SUITABLE_MAP = {"Y": "1", "YES": "1", "N": "2", "NO": "2"}
ACTIVITY = (
    "F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0",
)  # fmt: skip
# 903 ACCOM: a letter, with or without its suitability suffix; 0 = not known.
ACCOMMODATION = (
    *(f"{letter}{suffix}" for letter in "BCDEGHKRSTUVWXYZ" for suffix in ("", "1", "2")),
    "0",
)
WORKER_CHANGE_REASONS = (
    "MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN",
    "SWDIED", "OTHERS",
)  # fmt: skip
CONTACT_DECISIONS = ("referral", "early_help", "nfa", "advice", "existing_case", "other")
PRIORITIES = ("red", "amber", "green")
ASSESSMENT_TYPES = ("single", "initial", "core")
ABSENCE_REASONS = ("SIC", "MAT", "OTH", "PUB", "TRN", "UNA", "UNP")
HOMELESS_OUTCOMES = ("accommodated_s20", "s17_support", "housing", "returned_home", "other")
EDUCATION_STATUSES = ("CME", "EHE")
# Keeping children safe in education 2023, Part 4: the outcomes of an allegation.
LADO_OUTCOMES = ("substantiated", "unsubstantiated", "unfounded", "false", "malicious", "nfa")
LADO_OUTCOME_MAP = {"NO FURTHER ACTION": "nfa"}
ORG_ROLES = ("1", "2", "3", "4", "5", "6")


def _id(name: str, nullable: bool = False, **kw) -> Column:  # type: ignore[no-untyped-def]
    return Column(name, "id", nullable=nullable, **kw)


def _date(name: str, nullable: bool = True, **kw) -> Column:  # type: ignore[no-untyped-def]
    return Column(name, "date", nullable=nullable, **kw)


def _datetime(name: str, nullable: bool = True, **kw) -> Column:  # type: ignore[no-untyped-def]
    return Column(name, "datetime", nullable=nullable, **kw)


def _code(
    name: str, codes: tuple[str, ...], code_map: dict[str, str] | None = None, **kw
) -> Column:  # type: ignore[no-untyped-def]
    return Column(name, "code", codes=codes, code_map=code_map or {}, **kw)


def _flag(name: str, **kw) -> Column:  # type: ignore[no-untyped-def]
    return Column(name, "flag", **kw)


def _text(name: str, **kw) -> Column:  # type: ignore[no-untyped-def]
    return Column(name, "text", **kw)


TABLES: tuple[Table, ...] = (
    Table(
        "ssd_person",
        "pers_person_id",
        "people",
        (
            _id("pers_person_id"),
            _code("pers_sex", ("F", "M", "U"), SEX_MAP),
            _text("pers_ethnicity", kept=False),
            _date("pers_dob"),
            _date("pers_death_date"),
        ),
        description="One row per person (child) known to children's social care.",
    ),
    Table(
        "ssd_contacts",
        "cont_contact_id",
        "front_door",
        (
            _id("cont_contact_id"),
            _id("cont_person_id"),
            # Contacts arrive as dates or datetimes; the time matters for MASH timeliness.
            _datetime("cont_contact_date", nullable=False),
            _code("cont_contact_source_code", REFERRAL_SOURCES),
            Column("cont_contact_outcome_json", "json", required=False),
        ),
        description="Contacts received at the front door (MASH).",
    ),
    Table(
        "ssd_cin_episodes",
        "cine_referral_id",
        "front_door",
        (
            _id("cine_referral_id"),
            _id("cine_person_id"),
            _date("cine_referral_date", nullable=False),
            _code("cine_cin_primary_need_code", PRIMARY_NEED),
            _code("cine_referral_source_code", REFERRAL_SOURCES),
            _flag("cine_referral_nfa"),
            _code("cine_close_reason", CLOSE_REASONS),
            _date("cine_close_date"),
            _text("cine_referral_team"),
        ),
        description="Referrals and the episodes of need that follow them.",
    ),
    Table(
        "ssd_cin_assessments",
        "cina_assessment_id",
        "assessments",
        (
            _id("cina_assessment_id"),
            _id("cina_person_id"),
            _id("cina_referral_id", nullable=True),
            _date("cina_assessment_start_date"),
            _flag("cina_assessment_child_seen"),
            _date("cina_assessment_auth_date"),
            _flag("cina_assessment_outcome_nfa"),
            _text("cina_assessment_team"),
            _id("cina_assessment_worker_id", nullable=True),
        ),
        description="Children and family assessments; completed means authorised.",
    ),
    Table(
        "ssd_cin_visits",
        "cinv_cin_visit_id",
        "children_in_need",
        (
            _id("cinv_cin_visit_id"),
            _id("cinv_person_id"),
            _date("cinv_cin_visit_date", nullable=False),
            _flag("cinv_cin_visit_seen"),
            _flag("cinv_cin_visit_seen_alone"),
        ),
        description="Visits to children in need.",
    ),
    Table(
        "ssd_s47_enquiry",
        "s47e_s47_enquiry_id",
        "child_protection",
        (
            _id("s47e_s47_enquiry_id"),
            _id("s47e_referral_id", nullable=True),
            _id("s47e_person_id"),
            _date("s47e_s47_start_date", nullable=False),
            _date("s47e_s47_end_date"),
            _flag("s47e_s47_nfa"),
        ),
        description="Section 47 enquiries; the start is the initiating strategy discussion.",
    ),
    Table(
        "ssd_initial_cp_conference",
        "icpc_icpc_id",
        "child_protection",
        (
            _id("icpc_icpc_id"),
            _id("icpc_s47_enquiry_id", nullable=True),
            _id("icpc_person_id"),
            _id("icpc_cp_plan_id", nullable=True),
            _flag("icpc_icpc_transfer_in"),
            _date("icpc_icpc_target_date"),
            _date("icpc_icpc_date"),
            _flag("icpc_icpc_outcome_cp_flag"),
        ),
        description="Initial child protection conferences.",
    ),
    Table(
        "ssd_cp_plans",
        "cppl_cp_plan_id",
        "child_protection",
        (
            _id("cppl_cp_plan_id"),
            _id("cppl_person_id"),
            _id("cppl_icpc_id", nullable=True),
            _date("cppl_cp_plan_start_date", nullable=False),
            _date("cppl_cp_plan_end_date"),
            _code("cppl_cp_plan_initial_category", ABUSE_CATEGORIES, ABUSE_CATEGORY_MAP),
            _code("cppl_cp_plan_latest_category", ABUSE_CATEGORIES, ABUSE_CATEGORY_MAP),
            # Extension (optional): the child's earlier plans of this council however long ago,
            # as the CIN census NumberOfPreviousCPP; blank when the source does not say.
            Column("cppl_previous_cp_plans", "int", required=False),
        ),
        description="Child protection plans.",
    ),
    Table(
        "ssd_cp_reviews",
        "cppr_cp_review_id",
        "child_protection",
        (
            _id("cppr_cp_review_id"),
            _id("cppr_person_id"),
            _id("cppr_cp_plan_id"),
            _date("cppr_cp_review_due"),
            _date("cppr_cp_review_date"),
        ),
        description="Child protection review conferences.",
    ),
    Table(
        "ssd_cp_visits",
        "cppv_cp_visit_id",
        "child_protection",
        (
            _id("cppv_cp_visit_id"),
            _id("cppv_person_id"),
            _id("cppv_cp_plan_id", nullable=True),
            _date("cppv_cp_visit_date", nullable=False),
            _flag("cppv_cp_visit_seen"),
            _flag("cppv_cp_visit_seen_alone"),
        ),
        description="Statutory visits to children on child protection plans.",
    ),
    Table(
        "ssd_cla_episodes",
        "clae_cla_episode_id",
        "children_in_care",
        (
            _id("clae_cla_episode_id"),
            _id("clae_person_id"),
            _date("clae_cla_episode_start_date", nullable=False),
            _code("clae_cla_episode_start_reason", NEW_EPISODE_REASONS),
            _code("clae_cla_primary_need_code", PRIMARY_NEED),
            _date("clae_cla_episode_ceased", aliases=("clae_cla_episode_ceased_date",)),
            _code("clae_cla_episode_ceased_reason", CEASED_REASONS),
            _id("clae_cla_id", nullable=True),
            _date("clae_entered_care_date"),
        ),
        description="Episodes of being looked after (as SSDA903 episodes).",
    ),
    Table(
        "ssd_cla_placement",
        "clap_cla_placement_id",
        "children_in_care",
        (
            _id("clap_cla_placement_id"),
            _id("clap_cla_id", nullable=True),
            _id("clap_person_id"),
            _date("clap_cla_placement_start_date", nullable=False),
            _date("clap_cla_placement_end_date"),
            _code("clap_cla_placement_type", PLACEMENT_TYPES),
            _code("clap_cla_placement_provider", PLACEMENT_PROVIDERS),
            _text("clap_cla_placement_change_reason", kept=False),
            # Miles from the child's home (the SSD's own figure; postcodes are never loaded).
            Column("clap_cla_placement_distance", "float", required=False),
        ),
        description="Placements of children looked after.",
    ),
    Table(
        "ssd_legal_status",
        "lega_legal_status_id",
        "children_in_care",
        (
            _id("lega_legal_status_id"),
            _id("lega_person_id"),
            _code("lega_legal_status", LEGAL_STATUSES),
            _date("lega_legal_status_start_date", nullable=False),
            _date("lega_legal_status_end_date"),
        ),
        description="Legal statuses of children looked after; V3/V4 are short breaks.",
    ),
    Table(
        "ssd_cla_reviews",
        "clar_cla_review_id",
        "children_in_care",
        (
            _id("clar_cla_review_id"),
            _id("clar_cla_id"),
            _date("clar_cla_review_due_date"),
            _date("clar_cla_review_date"),
            _flag("clar_cla_review_cancelled"),
        ),
        description="Reviews of children looked after.",
    ),
    Table(
        "ssd_cla_visits",
        "clav_cla_visit_id",
        "children_in_care",
        (
            _id("clav_cla_visit_id"),
            _id("clav_cla_id", nullable=True),
            _id("clav_person_id"),
            _date("clav_cla_visit_date", nullable=False),
            _flag("clav_cla_visit_seen"),
            _flag("clav_cla_visit_seen_alone"),
        ),
        description="Statutory visits to children looked after.",
    ),
    Table(
        "ssd_missing",
        "miss_table_id",
        "missing",
        (
            _id("miss_table_id"),
            _id("miss_person_id"),
            _datetime("miss_missing_episode_start_date", nullable=False),
            _code("miss_missing_episode_type", ("M", "A"), MISSING_TYPE_MAP),
            _datetime("miss_missing_episode_end_date"),
            # Y/N/NA, not a flag: NA (not applicable) is excluded from rates, blank is not.
            _code("miss_missing_rhi_offered", ("Y", "N", "NA"), RHI_FLAG_MAP),
            _code("miss_missing_rhi_accepted", ("Y", "N", "NA"), RHI_FLAG_MAP),
        ),
        description="Missing and away-from-placement episodes.",
    ),
    Table(
        "ssd_cla_health",
        "clah_health_check_id",
        "children_in_care",
        (
            _id("clah_health_check_id"),
            _id("clah_person_id"),
            _code("clah_health_check_type", HEALTH_CHECK_TYPES, HEALTH_CHECK_TYPE_MAP),
            _date("clah_health_check_date", nullable=False),
            _text("clah_health_check_status", required=False),
        ),
        description="Health assessments and dental checks of children looked after (SSDA903 OC2).",
    ),
    Table(
        "ssd_immigration_status",
        "immi_immigration_status_id",
        "children_in_care",
        (
            _id("immi_immigration_status_id"),
            _id("immi_person_id"),
            # Free text in the SSD; only UASC (and its spellings out) is read.
            _text("immi_immigration_status"),
            _date("immi_immigration_status_start_date", nullable=False),
            _date("immi_immigration_status_end_date"),
        ),
        description="Immigration statuses (UASC: unaccompanied asylum-seeking child; 903 UASC).",
    ),
    Table(
        "ssd_care_leavers",
        "clea_table_id",
        "care_leavers",
        (
            _id("clea_table_id"),
            _id("clea_person_id"),
            _code(
                "clea_care_leaver_eligibility",
                CARE_LEAVER_ELIGIBILITY,
                CARE_LEAVER_ELIGIBILITY_MAP,
            ),
            _code("clea_care_leaver_in_touch", IN_TOUCH, IN_TOUCH_MAP),
            _date("clea_care_leaver_latest_contact"),
            _code("clea_care_leaver_accommodation", ACCOMMODATION),
            _code("clea_care_leaver_accom_suitable", ("1", "2"), ACCOM_SUITABLE_MAP),
            _code("clea_care_leaver_activity", ACTIVITY),
            _date("clea_pathway_plan_review_date"),
            # The adviser's id (not name): only whether one is recorded is used.
            _id("clea_care_leaver_personal_advisor", nullable=True),
            _text("clea_care_leaver_allocated_team"),
        ),
        current_state=True,
        description="Care leavers: current state as at the extract date.",
    ),
    Table(
        "ssd_involvements",
        "invo_involvements_id",
        "workforce",
        (
            _id("invo_involvements_id"),
            _id("invo_professional_id"),
            _text("invo_professional_role_id"),
            _text("invo_professional_team"),
            _date("invo_involvement_start_date", nullable=False),
            _date("invo_involvement_end_date"),
            _code("invo_worker_change_reason", WORKER_CHANGE_REASONS),
            _id("invo_person_id"),
        ),
        description="Allocation history: which worker was involved with which child, when.",
    ),
    Table(
        "ssd_professionals",
        "prof_professional_id",
        "workforce",
        (
            _id("prof_professional_id"),
            _id("prof_staff_id", nullable=True),
            _text("prof_professional_job_title", kept=False),
            Column("prof_professional_caseload", "int", bounds=(0, None)),
            _text("prof_professional_department"),
            Column("prof_full_time_equivalency", "float", bounds=FTE),
            _flag("prof_agency_worker_flag"),
        ),
        current_state=True,
        description="Professionals: current state as at the extract date.",
    ),
    Table(
        "ssd_department",
        "dept_team_id",
        "workforce",
        (
            _id("dept_team_id"),
            _text("dept_team_name"),
            _id("dept_team_parent_id", nullable=True),
            _text("dept_team_parent_name", kept=False),
        ),
        description="Teams and their parents.",
    ),
    # Extension tables (not in the SSD yet).
    Table(
        "ext_contact_decisions",
        None,
        "front_door",
        (
            _id("contact_id"),
            _datetime("decision_datetime", nullable=False),
            _code("decision", CONTACT_DECISIONS),
            _code("priority", PRIORITIES, required=False),
        ),
        extension=True,
        description="MASH decisions on contacts (earliest per contact counts).",
    ),
    Table(
        "ext_assessment_types",
        "assessment_id",
        "assessments",
        (
            _id("assessment_id"),
            _code("assessment_type", ASSESSMENT_TYPES, nullable=False),
        ),
        extension=True,
        description="Assessment type for historic initial/core assessments.",
    ),
    Table(
        "ext_return_interviews",
        None,
        "missing",
        (
            _id("missing_id"),
            _datetime("rhi_completed_datetime"),
        ),
        extension=True,
        description="Return home interview completion times.",
    ),
    Table(
        "ext_worker_periods",
        None,
        "workforce",
        (
            _id("worker_id"),
            _id("team_id", nullable=True),
            _date("period_start", nullable=False),
            _date("period_end"),
            Column("fte", "float", nullable=False, bounds=FTE),
            _flag("agency"),
            _code("org_role", ORG_ROLES),
            _text("leaving_reason", required=False, kept=False),
        ),
        extension=True,
        description="Workforce history: one row per worker per period in a team and role.",
    ),
    Table(
        "ext_absences",
        None,
        "workforce",
        (
            _id("worker_id"),
            _date("start_date", nullable=False),
            _date("end_date"),
            _code("reason", ABSENCE_REASONS),
            Column("working_days_lost", "float", required=False, bounds=(0, None)),
        ),
        extension=True,
        description="Staff absences.",
    ),
    Table(
        "ext_vacancies",
        None,
        "workforce",
        (
            _id("team_id"),
            _date("as_at_date", nullable=False),
            Column("vacant_fte", "float", nullable=False, bounds=(0, None)),
        ),
        extension=True,
        description="Vacant FTE per team as at a date.",
    ),
    Table(
        "ext_supervisions",
        "supervision_id",
        "workforce",
        (
            _id("supervision_id"),
            _id("worker_id"),
            _date("supervision_date", nullable=False),
            _id("supervisor_id", nullable=True, required=False),
        ),
        extension=True,
        description="Supervision sessions (management oversight).",
    ),
    Table(
        "ext_case_oversight",
        "oversight_id",
        "workforce",
        (
            _id("oversight_id"),
            _id("person_id"),
            _date("oversight_date", nullable=False),
            _id("manager_id", nullable=True, required=False),
        ),
        extension=True,
        description="Management oversight recorded on a child's case (a case note by a manager).",
    ),
    Table(
        "ext_homeless_16_17",
        "presentation_id",
        "other",
        (
            _id("presentation_id"),
            _id("person_id"),
            _date("presentation_date", nullable=False),
            _date("assessment_completed_date", required=False),
            _code("outcome", HOMELESS_OUTCOMES, required=False),
        ),
        extension=True,
        description="16- and 17-year-olds presenting as homeless.",
    ),
    Table(
        "ext_education_status",
        "record_id",
        "other",
        (
            _id("record_id"),
            _id("person_id"),
            _code("status", EDUCATION_STATUSES, nullable=False),
            _date("start_date", nullable=False),
            _date("end_date"),
        ),
        extension=True,
        description="Children missing education and electively home educated.",
    ),
    Table(
        "ext_lado_referrals",
        "lado_id",
        "other",
        (
            _id("lado_id"),
            _date("received_date", nullable=False),
            _date("initial_consideration_date"),
            # A code, not free text: a KPI reads it, and a code set can carry no personal data.
            _code("outcome", LADO_OUTCOMES, LADO_OUTCOME_MAP, required=False),
            # When the allegation was resolved (the case concluded); KCSIE 2023's timescales.
            _date("resolved_date", required=False),
        ),
        extension=True,
        description="Allegations against adults who work with children (LADO).",
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

# Lineage columns added to every raw and staging row.
LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("la_code", "VARCHAR"),
    ("extract_date", "DATE"),
    ("source_file", "VARCHAR"),
    ("file_sha256", "VARCHAR"),
    ("source_row", "BIGINT"),
)

FILE_SUFFIXES = (".csv", ".parquet", ".xlsx")
