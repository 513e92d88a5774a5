"""The SSDA903 format as data: its tables, how each is recognised, and what it gives the contract.

``SIGNATURES`` and ``NAMES`` recognise a table by its columns or its file name; ``PROVIDES`` is
what the return fills in each contract table and ``LIMITS`` what it cannot (read by
``availability`` to say which KPIs a 903 can compute); the rest are the codes the mapping turns
on.
"""

from pipelines.lib.contract import TABLES_BY_NAME

SOURCE_FORMAT = "ssda903"
XML_ROOT = "EXPSSDA903"

# Columns that identify each 903 table, whatever the file is called (checked in this order:
# uasc has SEX and DOB like the header but no ETHNIC).
SIGNATURES: dict[str, tuple[str, ...]] = {
    "episodes": ("CHILD", "DECOM", "RNE", "LS"),
    "header": ("CHILD", "SEX", "DOB", "ETHNIC"),
    "reviews": ("CHILD", "REVIEW"),
    "missing": ("CHILD", "MISSING", "MIS_START"),
    "oc3": ("CHILD", "IN_TOUCH"),
    "oc2": ("CHILD", "SDQ_SCORE"),
    "uasc": ("CHILD", "DUC"),
    "ad1": ("CHILD", "DATE_INT"),
    "placed_for_adoption": ("CHILD", "DATE_PLACED"),
    "previous_permanence": ("CHILD", "PREV_PERM"),
    "sw_episodes": ("CHILD", "SW_ID"),
    "dolo": ("CHILD", "DOLO_START"),
}
# File names (lower case, without year, "ssda903" and separators) of each table.
NAMES: dict[str, str] = {
    "header": "header",
    "episodes": "episodes",
    "reviews": "reviews",
    "missing": "missing",
    "oc2": "oc2",
    "oc3": "oc3",
    "uasc": "uasc",
    "ad1": "ad1",
    "placedforadoption": "placed_for_adoption",
    "placedadoption": "placed_for_adoption",
    "previouspermanence": "previous_permanence",
    "prevperm": "previous_permanence",
    "swepisodes": "sw_episodes",
    "socialworker": "sw_episodes",
    "dolo": "dolo",
}
UNUSED_TABLES = {
    "oc2": "OC2 outcomes (SDQ, health checks, convictions, substance misuse): no contract table",
    "uasc": "UASC status and date it ceases: no contract table (ssd_immigration_status is not in "
    "the contract)",
    "ad1": "AD1 adoption details: no contract table (ssd_permanence is not in the contract)",
    "placed_for_adoption": "decisions to place for adoption: no contract table",
    "previous_permanence": "previous permanence: no contract table",
    "dolo": "deprivation of liberty orders: no contract table",
}

PROVIDES: dict[str, frozenset[str]] = {
    "ssd_person": frozenset({"pers_person_id", "pers_sex", "pers_ethnicity", "pers_dob"}),
    "ssd_cla_episodes": frozenset(
        {
            "clae_cla_episode_id",
            "clae_person_id",
            "clae_cla_episode_start_date",
            "clae_cla_episode_start_reason",
            "clae_cla_primary_need_code",
            "clae_cla_episode_ceased",
            "clae_cla_episode_ceased_reason",
            "clae_cla_id",
            "clae_entered_care_date",
        }
    ),
    "ssd_cla_placement": frozenset(
        {
            "clap_cla_placement_id",
            "clap_cla_id",
            "clap_person_id",
            "clap_cla_placement_start_date",
            "clap_cla_placement_end_date",
            "clap_cla_placement_type",
            "clap_cla_placement_provider",
            "clap_cla_placement_change_reason",
        }
    ),
    "ssd_legal_status": frozenset(
        {
            "lega_legal_status_id",
            "lega_person_id",
            "lega_legal_status",
            "lega_legal_status_start_date",
            "lega_legal_status_end_date",
        }
    ),
    "ssd_cla_reviews": frozenset(
        {"clar_cla_review_id", "clar_cla_id", "clar_cla_review_date", "clar_cla_review_cancelled"}
    ),
    "ssd_missing": frozenset(
        {
            "miss_table_id",
            "miss_person_id",
            "miss_missing_episode_start_date",
            "miss_missing_episode_type",
            "miss_missing_episode_end_date",
        }
    ),
    "ssd_care_leavers": frozenset(
        {
            "clea_table_id",
            "clea_person_id",
            "clea_care_leaver_in_touch",
            "clea_care_leaver_accommodation",
            "clea_care_leaver_accom_suitable",
            "clea_care_leaver_activity",
        }
    ),
    "ssd_involvements": frozenset(
        {
            "invo_involvements_id",
            "invo_professional_id",
            "invo_professional_role_id",
            "invo_involvement_start_date",
            "invo_involvement_end_date",
            "invo_worker_change_reason",
            "invo_person_id",
        }
    ),
}

LIMITS: dict[str, str] = {
    "pers_death_date": "the 903 has no date of death (REC E2 says only that an episode ended "
    "because the child died)",
    "clae_entered_care_date": "known only when the period of care began in the year(s) delivered "
    "(an RNE S episode is present); a 903 holds only the episodes open during its year",
    "clar_cla_review_due_date": "the 903 records the dates reviews were held, not when they "
    "were due",
    "miss_missing_episode_start_date": "date only: the 903 has no time a child went missing",
    "miss_missing_episode_end_date": "date only: the 903 has no time a child came back",
    "miss_missing_rhi_offered": "the 903 has no return home interview fields",
    "miss_missing_rhi_accepted": "the 903 has no return home interview fields",
    "clea_care_leaver_eligibility": "OC3 does not record the care leaver category",
    "clea_care_leaver_latest_contact": "OC3 records whether the LA was in touch around the "
    "birthday, not the date of the latest contact",
    "clea_pathway_plan_review_date": "the 903 has no pathway plan fields",
    "clea_care_leaver_personal_advisor": "the 903 has no personal adviser",
    "clea_care_leaver_allocated_team": "the 903 has no teams",
    "invo_professional_team": "SW episodes name the worker, not the team",
    "ssd_care_leavers": "OC3 holds care leavers whose 17th to 21st birthday fell in the year, "
    "as at that birthday, not everyone's state at the extract date",
    "ssd_involvements": "SW episodes exist from 2023-24 and cover looked-after children only",
    "ssd_cla_visits": "the 903 has no statutory visits",
    "ssd_contacts": "the 903 covers children looked after only",
}

ROLE = "ALLOCATED_SOCIAL_WORKER"
PLACEMENT_CHANGE = frozenset({"S", "P", "T", "B", "U"})
LEGAL_CHANGE = frozenset({"S", "L", "B", "U"})
LIIA_MARKERS = frozenset({"E99", "LIIAF"})

# XML export: elements (under CHILD) and the 903 table they belong to.
XML_GROUPS = {"AREVIEW": "reviews", "AMISSING": "missing", "EPISODE": "episodes"}
XML_RENAME = {"CHILDID": "CHILD", "PL": "PLACE"}
XML_UNUSED = {
    "UASC": "uasc",
    "DUC": "uasc",
    "OC2": "oc2",
    "PERMANENCE": "previous_permanence",
    "AD_PLACED": "placed_for_adoption",
    "ADOPTION": "ad1",
    "DATE_INT": "ad1",
    "DOLO": "dolo",
}
HEADER_FIELDS = {"CHILD", "SEX", "DOB", "ETHNIC"}
OC3_FIELDS = {"IN_TOUCH", "ACTIV", "ACCOM"}

# What one row of each 903 table is, for notes about its rows.
NOUNS = {
    "header": "child",
    "episodes": "episode",
    "reviews": "review",
    "missing": "missing episode",
    "oc3": "care leaver",
    "sw_episodes": "social worker episode",
}

# The columns each table's frame carries: exactly what PROVIDES declares, in contract order.
COLUMNS: dict[str, list[str]] = {
    table: [c for c in TABLES_BY_NAME[table].column_names if c in columns]
    for table, columns in PROVIDES.items()
}
