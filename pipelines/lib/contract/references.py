"""The links between the contract's tables: which column of one names a row of another."""

from pipelines.lib.contract import TABLES

# (table, column, target table, target column). Staging checks them within one extract
# (``ingest/references.py``); adapters keep the ids they name as made (``adapters/settle.py``).
REFERENCES: tuple[tuple[str, str, str, str], ...] = (
    *(
        (table.name, column.name, "ssd_person", "pers_person_id")
        for table in TABLES
        if table.name != "ssd_person"
        for column in table.columns
        if column.name.endswith("_person_id") or column.name == "person_id"
    ),
    ("ssd_cin_assessments", "cina_referral_id", "ssd_cin_episodes", "cine_referral_id"),
    ("ssd_s47_enquiry", "s47e_referral_id", "ssd_cin_episodes", "cine_referral_id"),
    ("ssd_initial_cp_conference", "icpc_s47_enquiry_id", "ssd_s47_enquiry", "s47e_s47_enquiry_id"),
    ("ssd_cp_plans", "cppl_icpc_id", "ssd_initial_cp_conference", "icpc_icpc_id"),
    ("ssd_cp_reviews", "cppr_cp_plan_id", "ssd_cp_plans", "cppl_cp_plan_id"),
    ("ssd_cp_visits", "cppv_cp_plan_id", "ssd_cp_plans", "cppl_cp_plan_id"),
    ("ssd_cla_placement", "clap_cla_id", "ssd_cla_episodes", "clae_cla_id"),
    ("ssd_cla_reviews", "clar_cla_id", "ssd_cla_episodes", "clae_cla_id"),
    ("ssd_cla_visits", "clav_cla_id", "ssd_cla_episodes", "clae_cla_id"),
    ("ssd_involvements", "invo_professional_id", "ssd_professionals", "prof_professional_id"),
    ("ext_contact_decisions", "contact_id", "ssd_contacts", "cont_contact_id"),
    ("ext_assessment_types", "assessment_id", "ssd_cin_assessments", "cina_assessment_id"),
    ("ext_return_interviews", "missing_id", "ssd_missing", "miss_table_id"),
    ("ext_absences", "worker_id", "ext_worker_periods", "worker_id"),
    ("ext_supervisions", "worker_id", "ext_worker_periods", "worker_id"),
)
