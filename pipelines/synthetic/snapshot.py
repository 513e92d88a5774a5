"""An extract as at a date: the history cut at the extract date.

A row exists only if its anchor date (the event, or the start) is on or before the extract date;
an end date after the extract date is blank, and so are the columns that are only known once the
thing has ended (close reason, outcome...). Current-state tables are derived at the date.
"""

from collections.abc import Iterator

import numpy as np

from pipelines.lib.contract import TABLES, TABLES_BY_NAME
from pipelines.synthetic.common import YEAR, Table
from pipelines.synthetic.history import History
from pipelines.synthetic.workdays import MINUTES_A_DAY, NA, years_later
from pipelines.synthetic.workforce import JOB_TITLES

# table -> (anchor column, {end column: [columns blanked with it]})
CENSOR: dict[str, tuple[str, dict[str, list[str]]]] = {
    "ssd_contacts": ("cont_contact_date", {"_decision_at": ["cont_contact_outcome_json"]}),
    "ssd_cin_episodes": ("cine_referral_date", {"cine_close_date": ["cine_close_reason"]}),
    "ssd_cin_assessments": (
        "cina_assessment_start_date",
        {"cina_assessment_auth_date": ["cina_assessment_outcome_nfa"]},
    ),
    "ssd_cin_visits": ("cinv_cin_visit_date", {}),
    "ssd_s47_enquiry": ("s47e_s47_start_date", {"s47e_s47_end_date": ["s47e_s47_nfa"]}),
    "ssd_initial_cp_conference": ("icpc_icpc_date", {}),
    "ssd_cp_plans": ("cppl_cp_plan_start_date", {"cppl_cp_plan_end_date": []}),
    "ssd_cp_reviews": ("cppr_cp_review_date", {}),
    "ssd_cp_visits": ("cppv_cp_visit_date", {}),
    "ssd_cla_episodes": (
        "clae_cla_episode_start_date",
        {"clae_cla_episode_ceased": ["clae_cla_episode_ceased_reason"]},
    ),
    "ssd_cla_placement": (
        "clap_cla_placement_start_date",
        {"clap_cla_placement_end_date": ["clap_cla_placement_change_reason"]},
    ),
    "ssd_legal_status": ("lega_legal_status_start_date", {"lega_legal_status_end_date": []}),
    "ssd_cla_reviews": ("clar_cla_review_date", {}),
    "ssd_cla_visits": ("clav_cla_visit_date", {}),
    "ssd_missing": (
        "miss_missing_episode_start_date",
        {
            "miss_missing_episode_end_date": [
                "miss_missing_rhi_offered",
                "miss_missing_rhi_accepted",
            ]
        },
    ),
    "ssd_cla_health": ("clah_health_check_date", {}),
    "ssd_immigration_status": (
        "immi_immigration_status_start_date",
        {"immi_immigration_status_end_date": []},
    ),
    "ssd_involvements": (
        "invo_involvement_start_date",
        {"invo_involvement_end_date": ["invo_worker_change_reason"]},
    ),
    "ext_contact_decisions": ("decision_datetime", {}),
    "ext_assessment_types": ("_anchor", {}),
    "ext_return_interviews": ("rhi_completed_datetime", {}),
    "ext_worker_periods": ("period_start", {"period_end": ["leaving_reason"]}),
    "ext_absences": ("start_date", {"end_date": ["working_days_lost"]}),
    "ext_vacancies": ("as_at_date", {}),
    "ext_supervisions": ("supervision_date", {}),
    "ext_case_oversight": ("oversight_date", {}),
    "ext_homeless_16_17": ("presentation_date", {"assessment_completed_date": ["outcome"]}),
    "ext_education_status": ("start_date", {"end_date": []}),
    "ext_lado_referrals": (
        "received_date",
        {"initial_consideration_date": ["outcome"], "resolved_date": []},
    ),
}
TABLE_ORDER = tuple(t.name for t in TABLES)
HIDDEN_KINDS = {"_anchor": "date", "_decision_at": "datetime"}
PERSON_COLUMNS = {
    "ssd_contacts": "cont_person_id",
    "ssd_cin_episodes": "cine_person_id",
    "ssd_cin_assessments": "cina_person_id",
    "ssd_cin_visits": "cinv_person_id",
    "ssd_s47_enquiry": "s47e_person_id",
    "ssd_initial_cp_conference": "icpc_person_id",
    "ssd_cp_plans": "cppl_person_id",
    "ssd_cp_reviews": "cppr_person_id",
    "ssd_cp_visits": "cppv_person_id",
    "ssd_cla_episodes": "clae_person_id",
    "ssd_cla_placement": "clap_person_id",
    "ssd_legal_status": "lega_person_id",
    "ssd_cla_visits": "clav_person_id",
    "ssd_missing": "miss_person_id",
    "ssd_cla_health": "clah_person_id",
    "ssd_immigration_status": "immi_person_id",
    "ssd_care_leavers": "clea_person_id",
    "ssd_involvements": "invo_person_id",
    "ext_homeless_16_17": "person_id",
    "ext_education_status": "person_id",
    "ext_case_oversight": "person_id",
}
EET = ["F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5"]
ACCOMMODATION = ["B", "D", "E", "K", "T", "U", "Z", "X", "V", "W", "S", "R", "G"]
ACCOMMODATION_CUMULATIVE = np.cumsum([10, 20, 8, 5, 3, 35, 8, 2, 2, 1, 1, 3, 2]) / 100


def column_kind(table: str, column: str) -> str:
    if column in HIDDEN_KINDS:
        return HIDDEN_KINDS[column]
    try:
        return TABLES_BY_NAME[table].column(column).kind
    except KeyError:
        return "text"


def _is_after(values: np.ndarray, kind: str, day: int) -> np.ndarray:
    limit = day if kind == "date" else (day + 1) * MINUTES_A_DAY - 1
    return (values != NA) & (values > limit)


def _blank(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    if values.dtype == object or values.dtype.kind == "U":
        return np.where(mask, "", values).astype(object)
    if values.dtype.kind == "f":
        return np.where(mask, np.nan, values)
    return np.where(mask, NA, values)


def censor(history: History, name: str, day: int) -> Table:
    table = history.tables[name]
    if name not in CENSOR:
        return dict(table)
    anchor, ends = CENSOR[name]
    keep = ~_is_after(table[anchor], column_kind(name, anchor), day)
    out = {k: v[keep] for k, v in table.items()}
    for end_col, deps in ends.items():
        late = _is_after(out[end_col], column_kind(name, end_col), day) | (out[end_col] == NA)
        for col in [end_col, *deps]:
            if end_col == "_decision_at" and col == end_col:
                continue
            out[col] = _blank(out[col], late if col != end_col else late & (out[end_col] != NA))
    return out


def extract_tables(history: History, day: int) -> Iterator[tuple[str, Table]]:
    """Every contract table as at ``day``, one at a time (hidden helper columns still present),
    ``ssd_person`` last: it holds the people the other tables refer to."""
    involvements = censor(history, "ssd_involvements", day)
    referenced = []
    for name in TABLE_ORDER:
        if name == "ssd_person":
            continue
        if name == "ssd_involvements":
            table = involvements
        elif name == "ssd_care_leavers":
            table = care_leavers(history, day, involvements)
        elif name == "ssd_professionals":
            table = professionals(history, day, involvements)
        else:
            table = censor(history, name, day)
        if name in PERSON_COLUMNS:
            referenced.append(np.unique(table[PERSON_COLUMNS[name]]))
        yield name, table
    people = history.tables["ssd_person"]
    keep = np.isin(people["pers_person_id"], np.unique(np.concatenate(referenced)))
    person = {k: v[keep] for k, v in people.items()}
    person["pers_death_date"] = _blank(
        person["pers_death_date"], _is_after(person["pers_death_date"], "date", day)
    )
    yield "ssd_person", person


def _open_pa(involvements: Table, day: int) -> dict[int, int]:
    pa = (involvements["invo_professional_role_id"] == "PA") & (
        involvements["invo_involvement_end_date"] == NA
    )
    people = involvements["invo_person_id"][pa].tolist()
    workers = involvements["invo_professional_id"][pa].tolist()
    return dict(zip(people, workers, strict=True))


def care_leavers(history: History, day: int, involvements: Table) -> Table:
    """ssd_care_leavers as at the day: eligible, relevant, former relevant and qualifying young
    people aged 16 to 25, with their state drawn from stable per-person draws."""
    cp = history.care_periods
    started = cp["entry"] <= day
    person_all, inv = np.unique(cp["person"][started], return_inverse=True)
    entry, end, dob_p = cp["entry"][started], cp["end"][started], cp["dob"][started]
    dob = np.zeros(len(person_all), dtype=np.int64)
    dob[inv] = dob_p
    b14 = years_later(dob_p, 14)
    b16 = years_later(dob_p, 16)
    upto = np.minimum(end, day + 1)
    cum = np.bincount(
        inv,
        weights=np.maximum(np.minimum(upto, years_later(dob_p, 18)) - np.maximum(entry, b14), 0),
        minlength=len(person_all),
    )
    in_care = np.zeros(len(person_all), dtype=bool)
    np.logical_or.at(in_care, inv, end > day)
    after16 = np.zeros(len(person_all), dtype=bool)
    np.logical_or.at(after16, inv, upto > b16)
    age = day - dob
    y16, y18, y26 = (years_later(dob, k) for k in (16, 18, 26))
    teen = (day >= y16) & (day < y18)
    adult = (day >= y18) & (day < y26)
    eligible13 = cum >= 91
    status = np.full(len(person_all), "", dtype=object)
    status[in_care & teen & eligible13] = "Eligible"
    status[~in_care & teen & after16 & eligible13] = "Relevant"
    status[adult & after16 & eligible13] = "Former Relevant"
    status[~in_care & (teen | adult) & after16 & ~eligible13] = "Qualifying"

    reg = history.care_register
    r_age_ok = (day >= years_later(reg["dob"], 18)) & (day < years_later(reg["dob"], 26))
    r_status = np.where(reg["qualifying"], "Qualifying", "Former Relevant").astype(object)
    person = np.concatenate([person_all, reg["person"]])
    status = np.concatenate([status, np.where(r_age_ok, r_status, "")])
    dob = np.concatenate([dob, reg["dob"]])
    in_care = np.concatenate([in_care, np.zeros(len(reg["person"]), dtype=bool)])
    age = day - dob
    keep = status != ""
    person, status, dob, in_care, age = (
        person[keep],
        status[keep],
        dob[keep],
        in_care[keep],
        age[keep],
    )
    order = np.argsort(person, kind="stable")
    person, status, dob, in_care, age = (
        person[order],
        status[order],
        dob[order],
        in_care[order],
        age[order],
    )

    draws = history.leaver_draws
    u = draws["u"][np.searchsorted(draws["person"], person)]
    status = np.where(u[:, 0] < 0.02, "No Current Eligibility", status).astype(object)
    touch = np.select(
        [u[:, 1] < 0.88, u[:, 1] < 0.94, u[:, 1] < 0.97, u[:, 1] < 0.985, u[:, 1] < 0.995],
        ["YES", "NO", "REFU", "NREQ", "RHOM"],
        "DIED",
    ).astype(object)
    touch = np.where(in_care, "YES", touch).astype(object)
    latest = day - (u[:, 2] * 75).astype(np.int64)
    latest = np.where(np.isin(touch, ["YES", "NREQ"]), latest, latest - 120)
    adult = age >= 18 * YEAR
    eet_share = np.where(adult, 0.54, 0.75)
    activity = np.where(
        u[:, 3] < eet_share,
        np.array(EET, dtype=object)[(u[:, 4] * len(EET)).astype(np.int64)],
        np.where(u[:, 4] < 0.3, "G4", np.where(u[:, 4] < 0.9, "G5", "G6")),
    ).astype(object)
    accom = np.array(ACCOMMODATION, dtype=object)[
        np.searchsorted(ACCOMMODATION_CUMULATIVE, u[:, 5], side="right").clip(
            0, len(ACCOMMODATION) - 1
        )
    ]
    accom = np.where(in_care, "C", accom).astype(object)
    suitable = np.where(np.isin(accom, ["S", "V", "W", "X"]) | (u[:, 6] > 0.95), "2", "1").astype(
        object
    )
    plan_current = u[:, 7] < 0.86
    review = np.where(
        plan_current,
        day - (u[:, 8] * 175).astype(np.int64),
        day - 185 - (u[:, 8] * 200).astype(np.int64),
    )
    pa_of = _open_pa(involvements, day)
    pa = np.array([pa_of.get(p, -1) for p in person.tolist()], dtype=np.int64)
    died = touch == "DIED"
    teams = history.teams
    cl_team = next(t.team_id for t in teams if t.area == "care_leavers")
    cic_team = next(t.team_id for t in teams if t.area == "children_in_care")
    return {
        "clea_table_id": person + 5_000_000,
        "clea_person_id": person,
        "clea_care_leaver_eligibility": status,
        "clea_care_leaver_in_touch": touch,
        "clea_care_leaver_latest_contact": np.where(died, NA, latest),
        "clea_care_leaver_accommodation": np.where(died, "", accom).astype(object),
        "clea_care_leaver_accom_suitable": np.where(died, "", suitable).astype(object),
        "clea_care_leaver_activity": np.where(died, "", activity).astype(object),
        "clea_pathway_plan_review_date": np.where(died, NA, review),
        "clea_care_leaver_personal_advisor": np.where(died, -1, pa),
        "clea_care_leaver_allocated_team": np.where(in_care, cic_team, cl_team).astype(object),
    }


def professionals(history: History, day: int, involvements: Table) -> Table:
    """ssd_professionals as at the day: every worker who has started, with their current (or
    last) team, FTE and agency status; caseload = children allocated on the day."""
    wf = history.workforce
    started = wf["period_start"] <= day
    worker = wf["period_worker"][started]
    order = np.lexsort((wf["period_start"][started], worker))
    worker = worker[order]
    last = np.concatenate([worker[1:] != worker[:-1], [True]]) if len(worker) else np.zeros(0, bool)
    cols = {
        k: wf[k][started][order][last]
        for k in ("period_worker", "period_team", "period_fte", "period_agency", "period_role")
    }
    sw = (involvements["invo_professional_role_id"] == "SW") & (
        involvements["invo_involvement_end_date"] == NA
    )
    ids, counts = np.unique(involvements["invo_professional_id"][sw], return_counts=True)
    case_of = dict(zip(ids.tolist(), counts.tolist(), strict=True))
    team_code = np.array([t.team_id for t in history.teams], dtype=object)
    titles = np.array(["", *(JOB_TITLES[role] for role in sorted(JOB_TITLES))], dtype=object)
    pa = history.pa_ids
    cl_team = next(t.team_id for t in history.teams if t.area == "care_leavers")
    pid = np.concatenate([cols["period_worker"], pa])
    return {
        "prof_professional_id": pid,
        "prof_staff_id": np.concatenate([cols["period_worker"] + 70_000, pa + 70_000]),
        "prof_professional_job_title": np.concatenate(
            [titles[cols["period_role"]], np.full(len(pa), "Personal Adviser", dtype=object)]
        ),
        "prof_professional_caseload": np.array(
            [case_of.get(w, 0) for w in pid.tolist()], dtype=np.int64
        ),
        "prof_professional_department": np.concatenate(
            [team_code[cols["period_team"]], np.full(len(pa), cl_team, dtype=object)]
        ),
        "prof_full_time_equivalency": np.concatenate([cols["period_fte"], np.ones(len(pa))]),
        "prof_agency_worker_flag": np.concatenate(
            [np.where(cols["period_agency"], "Y", "N"), np.full(len(pa), "N")]
        ).astype(object),
    }
