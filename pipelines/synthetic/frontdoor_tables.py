"""The front door's and casework's tables, from the simulated contacts and referrals:
ssd_contacts and ext_contact_decisions; ssd_cin_episodes, assessments (and their types), s47
enquiries, ICPCs, CP plans, CP reviews and visits, CIN visits."""

import json
from typing import Any

import numpy as np

from pipelines.synthetic import casework, frontdoor
from pipelines.synthetic.common import YEAR, Context, Table
from pipelines.synthetic.workdays import NA


def referral_tables(
    ctx: Context, r: Table, keep: np.ndarray, extra: Table, tables: dict[str, Table]
) -> dict[str, Any]:
    """ssd_cin_episodes, assessments (+ types), s47, ICPC, CP plans, reviews, visits, CIN visits."""
    rng, p = ctx.rng, ctx.profile
    main = np.flatnonzero(keep)
    n_main = len(main)
    n_extra = len(extra["day"])
    day = np.concatenate([r["day"][main], extra["day"]])
    order = np.argsort(day, kind="stable")
    ref_id = np.empty(n_main + n_extra, dtype=np.int64)
    ref_id[order] = np.arange(len(order)) + 300_001
    main_id = np.full(len(r["day"]), -1, dtype=np.int64)
    main_id[main] = ref_id[:n_main]
    extra_id = ref_id[n_main:]
    team_code = np.array([t.team_id for t in ctx.teams], dtype=object)

    def cat(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.concatenate([a, b])[order]

    close = cat(r["close"][main], extra["close"])
    nfa_flag = np.where(r["nfa"][main], "Y", np.where(rng.random(n_main) < 0.01, "", "N"))
    tables["ssd_cin_episodes"] = {
        "cine_referral_id": ref_id[order],
        "cine_person_id": cat(r["person"][main], extra["person"]),
        "cine_referral_date": day[order],
        "cine_cin_primary_need_code": cat(r["need"][main], extra["need"]),
        "cine_referral_source_code": cat(r["source"][main], extra["source"]),
        "cine_referral_nfa": cat(nfa_flag, np.full(n_extra, "N")),
        "cine_close_reason": cat(r["close_reason"][main], extra["close_reason"]),
        "cine_close_date": close,
        "cine_referral_team": team_code[cat(r["team"][main], extra["team"])],
    }

    # Assessments
    a = main[r["assessed"][main]]
    single = p.assessment_model == "single"
    rows = {
        "ref": [a],
        "start": [r["a_start"][a]],
        "auth": [r["a_auth"][a]],
        "type": [np.full(len(a), "single" if single else "initial")],
        "nfa": [np.where(~r["cin"][a] & ~r["plan"][a] & ~r["s47"][a], "Y", "N")],
    }
    if not single:
        c = a[r["core"][a]]
        rows["ref"].append(c)
        rows["start"].append(r["core_start"][c])
        rows["auth"].append(r["core_auth"][c])
        rows["type"].append(np.full(len(c), "core"))
        rows["nfa"].append(np.where(~r["cin"][c] & ~r["plan"][c], "Y", "N"))
        rows["nfa"][0] = np.where(r["core"][a], "N", rows["nfa"][0])
    arow = {k: np.concatenate(v) for k, v in rows.items()}
    order_a = np.lexsort((arow["start"], arow["ref"]))
    arow = {k: v[order_a] for k, v in arow.items()}
    n_a = len(arow["ref"])
    a_ids = np.arange(n_a) + 400_001
    tables["ssd_cin_assessments"] = {
        "cina_assessment_id": a_ids,
        "cina_person_id": r["person"][arow["ref"]],
        "cina_referral_id": main_id[arow["ref"]],
        "cina_assessment_start_date": arow["start"],
        "cina_assessment_child_seen": r["child_seen"][arow["ref"]],
        "cina_assessment_auth_date": arow["auth"],
        "cina_assessment_outcome_nfa": arow["nfa"],
        "cina_assessment_team": team_code[r["team"][arow["ref"]]],
        "cina_assessment_worker_id": np.full(n_a, -1, dtype=np.int64),  # filled by _involvements
        "_ref": arow["ref"],
    }
    tables["ext_assessment_types"] = {
        "assessment_id": a_ids,
        "assessment_type": arow["type"],
        "_anchor": arow["start"],
    }

    # Section 47 enquiries and ICPCs (a few ICPCs are transfers in, with no enquiry here).
    s = main[r["s47"][main]]
    transfer = r["icpc"][s] & (rng.random(len(s)) < 0.03) & (r["day"][s] >= ctx.d0)
    s_keep = s[~transfer]
    s47_id = np.full(len(r["day"]), -1, dtype=np.int64)
    s47_id[s_keep] = np.arange(len(s_keep)) + 500_001
    tables["ssd_s47_enquiry"] = {
        "s47e_s47_enquiry_id": s47_id[s_keep],
        "s47e_referral_id": main_id[s_keep],
        "s47e_person_id": r["person"][s_keep],
        "s47e_s47_start_date": r["s_start"][s_keep],
        "s47e_s47_end_date": r["s_end"][s_keep],
        "s47e_s47_nfa": r["s47_nfa"][s_keep],
    }
    ic = main[r["icpc"][main]]
    icpc_id = np.full(len(r["day"]), -1, dtype=np.int64)
    icpc_id[ic] = np.arange(len(ic)) + 600_001
    pl = main[r["plan"][main]]
    plan_id = np.full(len(r["day"]), -1, dtype=np.int64)
    plan_id[pl] = np.arange(len(pl)) + 700_001
    tables["ssd_initial_cp_conference"] = {
        "icpc_icpc_id": icpc_id[ic],
        "icpc_s47_enquiry_id": s47_id[ic],
        "icpc_person_id": r["person"][ic],
        "icpc_cp_plan_id": plan_id[ic],
        "icpc_icpc_transfer_in": np.where(
            s47_id[ic] < 0, "Y", np.where(rng.random(len(ic)) < 0.3, "", "N")
        ),
        "icpc_icpc_target_date": np.where(s47_id[ic] < 0, NA, r["icpc_target"][ic]),
        "icpc_icpc_date": r["icpc_day"][ic],
        "icpc_icpc_outcome_cp_flag": np.where(r["plan"][ic], "Y", "N"),
    }
    names = {
        "NEG": "Neglect",
        "EMO": "Emotional abuse",
        "PHY": "Physical abuse",
        "SAB": "Sexual abuse",
        "MUL": "Multiple",
    }
    to_name = np.vectorize(names.get, otypes=[object])
    tables["ssd_cp_plans"] = {
        "cppl_cp_plan_id": plan_id[pl],
        "cppl_person_id": r["person"][pl],
        "cppl_icpc_id": icpc_id[pl],
        "cppl_cp_plan_start_date": r["plan_start"][pl],
        "cppl_cp_plan_end_date": r["plan_end"][pl],
        "cppl_cp_plan_initial_category": to_name(r["category"][pl])
        if len(pl)
        else np.zeros(0, object),
        "cppl_cp_plan_latest_category": to_name(r["latest_category"][pl])
        if len(pl)
        else np.zeros(0, object),
    }
    rev = casework.cp_reviews(ctx, r, pl)
    tables["ssd_cp_reviews"] = {
        "cppr_cp_review_id": np.arange(len(rev["plan"])) + 800_001,
        "cppr_person_id": r["person"][rev["plan"]],
        "cppr_cp_plan_id": plan_id[rev["plan"]],
        "cppr_cp_review_due": rev["due"],
        "cppr_cp_review_date": rev["day"],
    }
    vis = casework.cp_visits(ctx, r, pl)
    order_v = np.lexsort((vis["day"], vis["plan"]))
    tables["ssd_cp_visits"] = {
        "cppv_cp_visit_id": np.arange(len(order_v)) + 900_001,
        "cppv_person_id": r["person"][vis["plan"][order_v]],
        "cppv_cp_plan_id": plan_id[vis["plan"][order_v]],
        "cppv_cp_visit_date": vis["day"][order_v],
        "cppv_cp_visit_seen": vis["seen"][order_v],
        "cppv_cp_visit_seen_alone": vis["alone"][order_v],
    }
    cv = casework.first_visits(ctx, r)
    ok = keep[cv["ref"]] & (cv["day"] >= ctx.d0 - 60)
    ref_v, day_v, seen_v = cv["ref"][ok], cv["day"][ok], cv["seen"][ok]
    order_c = np.lexsort((day_v, r["person"][ref_v]))
    ref_v, day_v, seen_v = ref_v[order_c], day_v[order_c], seen_v[order_c]
    age = day_v - r["dob"][ref_v]
    tables["ssd_cin_visits"] = {
        "cinv_cin_visit_id": np.arange(len(ref_v)) + 1_000_001,
        "cinv_person_id": r["person"][ref_v],
        "cinv_cin_visit_date": day_v,
        "cinv_cin_visit_seen": seen_v,
        "cinv_cin_visit_seen_alone": np.where(
            (seen_v == "Y") & (age > 6 * YEAR) & (rng.random(len(ref_v)) < 0.5), "Y", "N"
        ),
    }
    return {"main_id": main_id, "extra_id": extra_id, "extra": extra, "assess_ref": arow["ref"]}


def contact_tables(ctx: Context, c: Table, tables: dict[str, Table]) -> None:
    """ssd_contacts (outcome flags as JSON) and ext_contact_decisions."""
    n = len(c["day"])
    ids = np.arange(n) + 1_100_001
    decision = c["decision"].astype(str)
    flags = {
        "NEW_REFERRAL_FLAG": decision == "referral",
        "EXISTING_REFERRAL_FLAG": decision == "existing_case",
        "CP_ENQUIRY_FLAG": (decision == "referral") & (c["priority"] == "red"),
        "NFA_FLAG": np.isin(decision, ["nfa", "advice"]),
    }
    # Few distinct outcomes: build each JSON text once and index it (cheap in time and memory).
    code = np.zeros(n, dtype=np.int64)
    for bit, values in enumerate(flags.values()):
        code |= values.astype(np.int64) << bit
    texts = np.array(
        [
            json.dumps({k: "Y" if combo >> bit & 1 else "N" for bit, k in enumerate(flags)})
            for combo in range(1 << len(flags))
        ],
        dtype=object,
    )
    codes = np.array(sorted(frontdoor.SOURCE_NAMES), dtype=object)
    names = np.array([frontdoor.SOURCE_NAMES[k] for k in codes], dtype=object)
    desc = names[np.searchsorted(codes.astype(str), c["source"])]
    tables["ssd_contacts"] = {
        "cont_contact_id": ids,
        "cont_person_id": c["person"],
        "cont_contact_date": c["minute"],
        "cont_contact_source_code": c["source"],
        "cont_contact_source_desc": desc,
        "cont_contact_outcome_json": texts[code],
        "_decision_at": c["decision_minute"],
    }
    first = np.flatnonzero(c["decided"])
    second = np.flatnonzero(c["second"])
    cid = np.concatenate([ids[first], ids[second]])
    at = np.concatenate([c["decision_minute"][first], c["second_minute"][second]])
    dec = np.concatenate([decision[first], c["second_decision"][second]])
    pri = np.concatenate([c["priority"][first], c["priority"][second]])
    order = np.lexsort((at, cid))
    tables["ext_contact_decisions"] = {
        "contact_id": cid[order],
        "decision_datetime": at[order],
        "decision": dec[order],
        "priority": pri[order],
    }
