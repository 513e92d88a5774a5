"""Simulate one LA's history and assemble it as tables in the contract's columns.

``simulate`` returns a :class:`History`: every history table as numpy columns (ids as int64 with
-1 for blank, dates as day numbers and datetimes as minutes with ``NA`` for blank, codes and text
as strings with "" for blank) plus the registers from which the current-state tables
(``ssd_care_leavers``, ``ssd_professionals``) are derived at each extract date.

What the history holds, like a real extract at the edge of its window: everything dated in the
window [start, end]; what was still open on ``start`` (episodes, plans, periods of care,
placements, allocations, worker periods), with the records that belong to it; the referral
before each re-referral in the first year and the earlier CP plans of children who start
another plan; and a year of look-back for allocations, worker periods and absences.
"""

import datetime as dt
import json
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pipelines.synthetic import (
    care,
    education,
    frontdoor,
    health,
    lado,
    oversight,
    workforce,
)
from pipelines.synthetic.common import (
    YEAR,
    Context,
    Table,
    Team,
    age_days,
    choice,
    poisson_days,
)
from pipelines.synthetic.profiles import Profile
from pipelines.synthetic.workdays import NA, WorkCalendar, day_number, years_later

ETHNICITIES = [
    "WBRI", "WIRI", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
    "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
]  # fmt: skip
ETHNICITY_WEIGHTS = [64, 1, 5, 1, 3, 1, 1, 2, 2, 4, 1, 1, 2, 3, 1, 0.5, 2, 1, 1.5]
FAR_FUTURE = 20_000  # days after the end: "still open" for anything that has not closed


@dataclass
class History:
    la_code: str
    profile: Profile
    start: dt.date
    end: dt.date
    tables: dict[str, Table]
    teams: list[Team]
    population: dict[int, int]
    care_periods: Table  # periods of care (not short breaks): person, entry, end, dob
    care_register: Table  # historic care leavers: person, dob, left, qualifying
    workforce: Table  # worker periods (period_*) and vacancies, as simulated
    leaver_draws: Table = field(default_factory=dict)  # "person" (sorted) and "u" (uniforms)
    pa_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def rng_for(la_code: str, seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(la_code.encode())]))


def simulate(
    la_code: str, profile: Profile, start: dt.date, end: dt.date, scale: float, seed: int
) -> History:
    rng = rng_for(la_code, seed)
    cal = WorkCalendar(start.year - 5, end.year + 4)
    d0, d1 = day_number(start), day_number(end)
    ctx = Context(profile=profile, rng=rng, cal=cal, d0=d0, d1=d1, scale=scale, teams=[])
    ctx.teams = workforce.make_teams(workforce.establishment_fte(ctx, d0 - 365))

    contacts = frontdoor.simulate_contacts(ctx)
    r = frontdoor.simulate_referrals(ctx, contacts)
    frontdoor.link_people(ctx, r)
    roots = np.flatnonzero(r["root"] == np.arange(len(r["day"])))
    person_of_root = np.full(len(r["day"]), -1, dtype=np.int64)
    person_of_root[roots] = ctx.persons.add(r["dob"][roots])
    r["person"] = person_of_root[r["root"]]

    per = care.simulate_periods(ctx, r)
    n_sb_children = int(per.pop("n_short_break_children")[0])
    extra = _people_in_care(ctx, r, per, n_sb_children)
    frontdoor.assign_contact_people(ctx, contacts, r)

    keep = _keep_referrals(ctx, r)
    tables: dict[str, Table] = {}
    refs = _referral_tables(ctx, r, keep, extra, tables)
    _contact_tables(ctx, contacts, tables)
    _care_tables(ctx, per, tables)
    # Issue 18's tables (health checks, UASC, LADO resolutions, case oversight) have a random
    # stream of their own: the other tables of a seed stay as they were.
    own = np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(la_code.encode()), 18]))
    tables["ssd_cla_health"] = health.health_checks(ctx, per, own)
    tables["ssd_immigration_status"] = health.immigration_statuses(ctx, per, own)
    placement = tables["ssd_cla_placement"]
    placement["clap_cla_placement_distance"] = health.placement_distances(ctx, placement, own)
    wf = workforce.simulate_workforce(ctx)
    _workforce_tables(ctx, wf, tables)
    history = History(
        workforce=wf,
        la_code=la_code,
        profile=profile,
        start=start,
        end=end,
        tables=tables,
        teams=ctx.teams,
        population=_population(ctx, start, end),
        care_periods={},
        care_register={},
    )
    _care_leavers(ctx, per, history)
    _involvements(ctx, r, keep, refs, per, wf, history)
    _other_tables(ctx, tables)
    lado.add_resolution(ctx, tables["ext_lado_referrals"], own)
    tables["ext_case_oversight"] = oversight.case_oversights(ctx, tables["ssd_cin_episodes"], own)
    education.link_ehe_to_referred(
        ctx, tables["ext_education_status"], tables["ssd_cin_episodes"], own
    )
    _person_table(ctx, per, tables)
    tables["ssd_department"] = _departments(ctx.teams)
    return history


def _population(ctx: Context, start: dt.date, end: dt.date) -> dict[int, int]:
    out = {}
    for year in range(start.year - 1, end.year + 1):
        day = np.array([day_number(dt.date(year, 6, 30))])
        out[year] = round(float(ctx.per10k(day)[0]) * 10_000)
    return out


def _people_in_care(ctx: Context, r: Table, per: Table, n_sb_children: int) -> Table:
    """Persons and referral episodes for the children in care who were not referred in the
    simulation; care extends the episodes of those who were."""
    rng = ctx.rng
    kind = per["kind"]
    person = np.full(len(kind), -1, dtype=np.int64)
    from_ref = kind == 0
    person[from_ref] = r["person"][per["ref"][from_ref]]
    new = (kind == 1) | (kind == 2)
    person[new] = ctx.persons.add(per["dob"][new])
    sb = kind == 3
    sb_dob = np.zeros(n_sb_children, dtype=np.int64)
    sb_dob[per["child"][sb]] = per["dob"][sb]
    sb_person = ctx.persons.add(sb_dob)
    person[sb] = sb_person[per["child"][sb]]
    per["person"] = person

    # Referral episodes stay open while the child is in care.
    refs = per["ref"][from_ref]
    ends = per["end"][from_ref] + rng.integers(1, 30, len(refs))
    r["close"][refs] = np.maximum(r["close"][refs], ends)
    reason = per["reason"][from_ref]
    r["close_reason"][refs] = np.select(
        [
            np.isin(reason, ["E11", "E12"]),
            np.isin(reason, ["E45", "E46"]),
            reason == "E41",
            reason == "E2",
            np.isin(reason, ["E17", "E7", "E3", "E5"]),
        ],
        ["RC1", "RC4", "RC3", "RC2", "RC6"],
        "RC7",
    )

    # New episodes: stock and direct entries (one per period), short-break children (one each).
    idx = np.flatnonzero(new)
    n_new = len(idx)
    before = np.maximum(per["entry"][idx] - rng.integers(0, 90, n_new), per["dob"][idx])
    day = np.where(kind[idx] == 1, before, per["entry"][idx])
    close = per["end"][idx] + rng.integers(1, 30, n_new)
    sb_first = np.unique(per["child"][sb], return_index=True)[1]
    sb_rows = np.flatnonzero(sb)[sb_first]
    n_sb = len(sb_rows)
    return {
        "person": np.concatenate([person[idx], person[sb_rows]]),
        "day": np.concatenate([day, ctx.d0 - rng.integers(100, 1500, n_sb)]),
        "close": np.concatenate([close, np.full(n_sb, ctx.d1 + FAR_FUTURE)]),
        "close_reason": np.concatenate(
            [np.full(n_new, "RC7", dtype=object), np.full(n_sb, "", dtype=object)]
        ),
        "need": np.concatenate([per["need"][idx], np.full(n_sb, "N2", dtype=object)]),
        "source": np.concatenate(
            [
                np.where(kind[idx] == 2, choice(rng, ["6", "5C", "3C"], [60, 25, 15], n_new), "5A"),
                np.full(n_sb, "3F"),
            ]
        ),
        "team": np.concatenate(
            [ctx.pick_team("assessment", n_new), ctx.pick_team("disability", n_sb)]
        ),
        "period_rows": np.concatenate([idx, sb_rows]),
    }


def _keep_referrals(ctx: Context, r: Table) -> np.ndarray:
    day, close = r["day"], r["close"]
    window = day >= ctx.d0
    keep = window | (close >= ctx.d0)
    child = np.flatnonzero(window & (r["parent"] >= 0))
    parent = r["parent"][child]
    recent = day[child] - day[parent] <= 366
    keep[parent[recent]] = True
    window_plan_people = np.unique(r["person"][r["plan"] & (r["plan_start"] >= ctx.d0)])
    keep |= r["plan"] & np.isin(r["person"], window_plan_people)
    return keep


def _referral_tables(
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
    rev = frontdoor.cp_reviews(ctx, r, pl)
    tables["ssd_cp_reviews"] = {
        "cppr_cp_review_id": np.arange(len(rev["plan"])) + 800_001,
        "cppr_person_id": r["person"][rev["plan"]],
        "cppr_cp_plan_id": plan_id[rev["plan"]],
        "cppr_cp_review_due": rev["due"],
        "cppr_cp_review_date": rev["day"],
    }
    vis = frontdoor.cp_visits(ctx, r, pl)
    order_v = np.lexsort((vis["day"], vis["plan"]))
    tables["ssd_cp_visits"] = {
        "cppv_cp_visit_id": np.arange(len(order_v)) + 900_001,
        "cppv_person_id": r["person"][vis["plan"][order_v]],
        "cppv_cp_plan_id": plan_id[vis["plan"][order_v]],
        "cppv_cp_visit_date": vis["day"][order_v],
        "cppv_cp_visit_seen": vis["seen"][order_v],
        "cppv_cp_visit_seen_alone": vis["alone"][order_v],
    }
    cv = frontdoor.first_visits(ctx, r)
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


def _contact_tables(ctx: Context, c: Table, tables: dict[str, Table]) -> None:
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


def _care_tables(ctx: Context, per: Table, tables: dict[str, Table]) -> None:
    parts = care.placements_and_episodes(ctx, per)
    n = len(per["entry"])
    order = np.lexsort((per["entry"], per["person"]))
    cla_id = np.empty(n, dtype=np.int64)
    cla_id[order] = np.arange(n) + 1_200_001
    per["cla_id"] = cla_id

    ep = parts["episodes"]
    o = np.lexsort((ep["start"], per["person"][ep["period"]]))
    pe = ep["period"][o]
    tables["ssd_cla_episodes"] = {
        "clae_cla_episode_id": np.arange(len(o)) + 1_300_001,
        "clae_person_id": per["person"][pe],
        "clae_cla_episode_start_date": ep["start"][o],
        "clae_cla_episode_start_reason": ep["start_reason"][o],
        "clae_cla_primary_need_code": per["need"][pe],
        "clae_cla_episode_ceased": ep["end"][o],
        "clae_cla_episode_ceased_reason": ep["ceased_reason"][o],
        "clae_cla_id": cla_id[pe],
        "clae_entered_care_date": per["entry"][pe],
    }
    pl = parts["placements"]
    o = np.lexsort((pl["start"], per["person"][pl["period"]]))
    pp = pl["period"][o]
    tables["ssd_cla_placement"] = {
        "clap_cla_placement_id": np.arange(len(o)) + 1_400_001,
        "clap_cla_id": cla_id[pp],
        "clap_person_id": per["person"][pp],
        "clap_cla_placement_start_date": pl["start"][o],
        "clap_cla_placement_end_date": pl["end"][o],
        "clap_cla_placement_type": pl["type"][o],
        "clap_cla_placement_provider": pl["provider"][o],
        "clap_cla_placement_change_reason": pl["change_reason"][o],
    }
    lg = parts["legal"]
    o = np.lexsort((lg["start"], per["person"][lg["period"]]))
    lp = lg["period"][o]
    tables["ssd_legal_status"] = {
        "lega_legal_status_id": np.arange(len(o)) + 1_500_001,
        "lega_person_id": per["person"][lp],
        "lega_legal_status": lg["status"][o],
        "lega_legal_status_start_date": lg["start"][o],
        "lega_legal_status_end_date": lg["end"][o],
    }
    looked_after = np.flatnonzero(~per["short_break"])
    rev = care.cla_reviews(ctx, per, looked_after)
    tables["ssd_cla_reviews"] = {
        "clar_cla_review_id": np.arange(len(rev["period"])) + 1_600_001,
        "clar_cla_id": cla_id[rev["period"]],
        "clar_cla_review_due_date": rev["due"],
        "clar_cla_review_date": rev["day"],
        "clar_cla_review_cancelled": rev["cancelled"],
    }
    vis = care.cla_visits(ctx, per, looked_after)
    o = np.lexsort((vis["day"], per["person"][vis["period"]]))
    vp = vis["period"][o]
    tables["ssd_cla_visits"] = {
        "clav_cla_visit_id": np.arange(len(o)) + 1_700_001,
        "clav_cla_id": cla_id[vp],
        "clav_person_id": per["person"][vp],
        "clav_cla_visit_date": vis["day"][o],
        "clav_cla_visit_seen": vis["seen"][o],
        "clav_cla_visit_seen_alone": vis["alone"][o],
    }
    miss = care.missing_episodes(ctx, per, looked_after)
    ep = miss["episodes"]
    m_ids = np.arange(len(ep["period"])) + 1_800_001
    tables["ssd_missing"] = {
        "miss_table_id": m_ids,
        "miss_person_id": per["person"][ep["period"]],
        "miss_missing_episode_start_date": ep["start"],
        "miss_missing_episode_type": np.where(ep["type"] == "M", "Missing", "Away"),
        "miss_missing_episode_end_date": ep["end"],
        "miss_missing_rhi_offered": ep["offered"],
        "miss_missing_rhi_accepted": ep["accepted"],
    }
    rhi = miss["rhi"]
    o = np.lexsort((rhi["at"], rhi["episode"]))
    tables["ext_return_interviews"] = {
        "missing_id": m_ids[rhi["episode"][o]],
        "rhi_completed_datetime": rhi["at"][o],
    }


def _workforce_tables(ctx: Context, wf: Table, tables: dict[str, Table]) -> None:
    team_code = np.array([t.team_id for t in ctx.teams], dtype=object)
    tables["ext_worker_periods"] = {
        "worker_id": wf["period_worker"],
        "team_id": team_code[wf["period_team"]],
        "period_start": wf["period_start"],
        "period_end": wf["period_end"],
        "fte": wf["period_fte"],
        "agency": np.where(wf["period_agency"], "Y", "N"),
        "org_role": wf["period_role"].astype(str),
        "leaving_reason": wf["period_leaving_reason"],
    }
    ab = workforce.absences(ctx, wf)
    tables["ext_absences"] = {
        "worker_id": ab["worker"],
        "start_date": ab["start"],
        "end_date": ab["end"],
        "reason": ab["reason"],
        "working_days_lost": ab["lost"],
    }
    order = np.lexsort((wf["vacancy_team"], wf["vacancy_day"]))
    tables["ext_vacancies"] = {
        "team_id": team_code[wf["vacancy_team"][order]],
        "as_at_date": wf["vacancy_day"][order],
        "vacant_fte": wf["vacancy_fte"][order],
    }
    sup = workforce.supervisions(ctx, wf)
    tables["ext_supervisions"] = {
        "supervision_id": np.arange(len(sup["worker"])) + 1_900_001,
        "worker_id": sup["worker"],
        "supervision_date": sup["day"],
        "supervisor_id": sup["supervisor"],
    }


def _care_leavers(ctx: Context, per: Table, history: History) -> None:
    rng = ctx.rng
    la = ~per["short_break"]
    history.care_periods = {
        "person": per["person"][la],
        "entry": per["entry"][la],
        "end": per["end"][la],
        "dob": per["dob"][la],
    }
    hist = care.historic_care_leavers(ctx)
    hist["person"] = ctx.persons.add(hist["dob"])
    history.care_register = hist
    # Stable draws per young person, so a care leaver's state changes little between extracts.
    people = np.unique(np.concatenate([history.care_periods["person"], hist["person"]]))
    draws = rng.random((len(people), 9))
    history.leaver_draws = {"person": people, "u": draws}


def _involvements(
    ctx: Context, r: Table, keep: np.ndarray, refs: Table, per: Table, wf: Table, history: History
) -> None:
    """Allocated social workers for every open case, duty workers at the front door, and
    personal advisers for care leavers."""
    rng, tables = ctx.rng, history.tables
    main = np.flatnonzero(keep & r["assessed"])
    delay = np.where(
        rng.random(len(main)) < 0.5,
        0,
        np.where(
            rng.random(len(main)) < 0.7,
            rng.integers(1, 3, len(main)),
            rng.integers(3, 12, len(main)),
        ),
    )
    a_start = r["day"][main] + delay
    a_end = np.minimum(r["done"][main], r["close"][main])
    continues = (r["cin"][main] | r["plan"][main]) & (r["close"][main] > r["done"][main] + 7)
    to_care = r["care_entry"][main] != NA
    b_end = np.where(to_care, r["care_entry"][main], r["close"][main])
    b = continues & (b_end > a_end)
    field_team = np.where(
        r["need"][main] == "N2",
        ctx.pick_team("disability", len(main)),
        ctx.pick_team("fieldwork", len(main)),
    )
    la = np.flatnonzero(~per["short_break"])
    sb_rows = np.flatnonzero(per["short_break"][refs["extra"]["period_rows"]])
    phases = {
        "person": np.concatenate(
            [
                r["person"][main],
                r["person"][main][b],
                per["person"][la],
                refs["extra"]["person"][sb_rows],
            ]
        ),
        "team": np.concatenate(
            [
                r["team"][main],
                field_team[b],
                ctx.pick_team("children_in_care", len(la)),
                refs["extra"]["team"][sb_rows],
            ]
        ),
        "start": np.concatenate(
            [a_start, a_end[b], per["entry"][la], refs["extra"]["day"][sb_rows] + 5]
        ),
        "end": np.concatenate(
            [
                np.maximum(a_end, a_start + 1),
                np.maximum(b_end[b], a_end[b] + 1),
                per["end"][la],
                refs["extra"]["close"][sb_rows],
            ]
        ),
        "end_reason": np.concatenate(
            [
                np.where(b, "TSPROC", ""),
                np.where(to_care[b], "TSPROC", ""),
                np.full(len(la), "", dtype=object),
                np.full(len(sb_rows), "", dtype=object),
            ]
        ).astype(object),
        "kind": np.concatenate(
            [
                np.full(len(main), 0),
                np.full(int(b.sum()), 1),
                np.full(len(la), 2),
                np.full(len(sb_rows), 3),
            ]
        ),
    }
    index = workforce.WorkerIndex(ctx, wf, (4, 5))
    alloc = workforce.allocate(ctx, index, phases)
    # The assessing worker is the first worker of the assessment phase.
    first = np.concatenate([[True], alloc["phase"][1:] != alloc["phase"][:-1]])
    a_phase = alloc["phase"][first & (alloc["phase"] < len(main))]
    a_worker = alloc["worker"][first & (alloc["phase"] < len(main))]
    worker_of_ref = np.full(len(r["day"]), -1, dtype=np.int64)
    worker_of_ref[main[a_phase]] = a_worker
    assessments = tables["ssd_cin_assessments"]
    assessments["cina_assessment_worker_id"] = worker_of_ref[assessments.pop("_ref")]

    # Duty workers at the front door: a role code the LA does not map (ignored by the ingest).
    duty = np.flatnonzero(keep & (r["day"] >= ctx.d0) & (rng.random(len(r["day"])) < 0.3))
    duty_index = workforce.WorkerIndex(ctx, wf, (4, 5, 6))
    d_worker, _, d_team = duty_index.pick(
        rng, ctx.pick_team("front_door", len(duty)), r["day"][duty]
    )
    ok = d_worker >= 0
    duty, d_worker, d_team = duty[ok], d_worker[ok], d_team[ok]

    # Personal advisers: from 17 and three quarters (or on leaving care at 16-17) to 21 or 25.
    pa = _personal_advisers(ctx, history)
    team_code = np.array([t.team_id for t in ctx.teams], dtype=object)
    cl_team = ctx.team_ids("care_leavers")[0]
    person = np.concatenate([phases["person"][alloc["phase"]], r["person"][duty], pa["person"]])
    start = np.concatenate([alloc["start"], r["day"][duty], pa["start"]])
    end = np.concatenate([alloc["end"], r["day"][duty] + rng.integers(0, 3, len(duty)), pa["end"]])
    keep_rows = (end >= ctx.d0 - 366) & (start <= ctx.d1)
    order = np.lexsort((start, person))
    order = order[keep_rows[order]]
    tables["ssd_involvements"] = {
        "invo_involvements_id": np.arange(len(order)) + 2_000_001,
        "invo_professional_id": np.concatenate([alloc["worker"], d_worker, pa["worker"]])[order],
        "invo_professional_role_id": np.concatenate(
            [
                np.full(len(alloc["worker"]), "SW"),
                np.full(len(duty), "DUTY"),
                np.full(len(pa["person"]), "PA"),
            ]
        )[order],
        "invo_professional_team": np.concatenate(
            [
                team_code[alloc["team"]],
                team_code[d_team],
                np.full(len(pa["person"]), team_code[cl_team]),
            ]
        )[order],
        "invo_involvement_start_date": start[order],
        "invo_involvement_end_date": end[order],
        "invo_worker_change_reason": np.concatenate(
            [alloc["reason"], np.full(len(duty), "", dtype=object), pa["reason"]]
        ).astype(object)[order],
        "invo_person_id": person[order],
    }


def _personal_advisers(ctx: Context, history: History) -> Table:
    rng, p = ctx.rng, ctx.profile
    cp = history.care_periods
    reg = history.care_register
    # Young people who were looked after for 13 weeks since 14 and on or after their 16th birthday.
    person, inv = np.unique(cp["person"], return_inverse=True)
    dob = np.zeros(len(person), dtype=np.int64)
    dob[inv] = cp["dob"]
    b14 = years_later(cp["dob"], 14)
    days14 = np.maximum(
        np.minimum(cp["end"], years_later(cp["dob"], 18)) - np.maximum(cp["entry"], b14), 0
    )
    cum = np.bincount(inv, weights=days14, minlength=len(person))
    last_end = np.full(len(person), -(10**9), dtype=np.int64)
    np.maximum.at(last_end, inv, cp["end"])
    sixteen = years_later(dob, 16)
    eighteen = years_later(dob, 18)
    eligible = (cum >= 91) & (last_end >= sixteen)
    left_early = last_end < eighteen
    start_cla = np.where(
        left_early,
        last_end + rng.integers(0, 60, len(person)),
        eighteen - rng.integers(30, 120, len(person)),
    )
    h_eighteen = years_later(reg["dob"], 18)
    start_hist = np.where(
        reg["left"] < h_eighteen,
        reg["left"] + rng.integers(0, 60, len(reg["dob"])),
        h_eighteen - rng.integers(30, 120, len(reg["dob"])),
    )
    people = np.concatenate([person[eligible], reg["person"][~reg["qualifying"]]])
    dobs = np.concatenate([dob[eligible], reg["dob"][~reg["qualifying"]]])
    start = np.concatenate([start_cla[eligible], start_hist[~reg["qualifying"]]])
    u = rng.random(len(people))
    pa21 = float(ctx.pct(p.pa_21plus_pct, np.array([ctx.d1]))[0])
    # Support to 25 means to the 26th birthday (a care leaver is "aged 21-25" until then).
    end = np.where(u < pa21, years_later(dobs, 26), years_later(dobs, 21))
    has = (u < 0.96) & (start <= ctx.d1) & (end > start)
    people, start, end = people[has], start[has], end[has]
    n_pa = max(2, int(np.ceil(len(people) / 25 * 0.5)))
    # Personal advisers are numbered from 9001, after the social workers: at large scales the
    # workforce itself reaches 9001, and a shared id would make two ssd_professionals rows.
    workers = history.workforce["period_worker"]
    first_pa = max(9001, int(workers.max()) + 1 if len(workers) else 0)
    history.pa_ids = np.arange(n_pa, dtype=np.int64) + first_pa
    worker = history.pa_ids[rng.integers(0, n_pa, len(people))]
    return {
        "person": people,
        "start": start,
        "end": end,
        "worker": worker,
        "reason": np.where(end < years_later(dobs[has], 26), "OTHERS", "").astype(object),
    }


def _other_tables(ctx: Context, tables: dict[str, Table]) -> None:
    rng, cal, p = ctx.rng, ctx.cal, ctx.profile
    # Homeless 16- and 17-year-olds.
    day = poisson_days(rng, ctx.d0, ctx.d1, lambda d: p.homeless_per_10k * ctx.per10k(d) / YEAR)
    n = len(day)
    person = ctx.persons.add(day - age_days(rng, [(16, 18, 1)], n))
    u = rng.random(n)
    done = np.where(
        u < 0.7,
        cal.add(day, rng.integers(1, 11, n)),
        np.where(u < 0.9, cal.add(day, rng.integers(11, 40, n)), NA),
    )
    tables["ext_homeless_16_17"] = {
        "presentation_id": np.arange(n) + 2_100_001,
        "person_id": person,
        "presentation_date": day,
        "assessment_completed_date": done,
        "outcome": np.where(
            done == NA,
            "",
            choice(
                rng,
                ["accommodated_s20", "s17_support", "housing", "returned_home", "other"],
                [15, 25, 30, 22, 8],
                n,
            ),
        ).astype(object),
    }
    # Children missing education and electively home educated: a stock on the first day plus starts.
    rows = []
    # Stock on the first day = inflow x mean duration, so the counts stay level.
    for code, inflow, mean_days in (("CME", 35.0, 60.0), ("EHE", 25.0, 900.0)):
        stock = inflow * mean_days / YEAR
        n_stock = rng.poisson(stock * float(ctx.per10k(np.array([ctx.d0]))[0]))
        s_start = ctx.d0 - 1 - rng.exponential(mean_days, n_stock).astype(np.int64)
        s_end = ctx.d0 + rng.exponential(mean_days, n_stock).astype(np.int64)
        new = poisson_days(rng, ctx.d0, ctx.d1, lambda d, f=inflow: f * ctx.per10k(d) / YEAR)
        new_end = new + np.maximum(rng.exponential(mean_days, len(new)), 1).astype(np.int64)
        starts = np.concatenate([s_start, new])
        ends = np.concatenate([s_end, new_end])
        keep = ends >= ctx.d0
        rows.append((np.full(int(keep.sum()), code), starts[keep], ends[keep]))
    status = np.concatenate([x[0] for x in rows])
    start = np.concatenate([x[1] for x in rows])
    end = np.concatenate([x[2] for x in rows])
    order = np.argsort(start, kind="stable")
    status, start, end = status[order], start[order], end[order]
    person = ctx.persons.add(start - age_days(rng, [(5, 16, 1)], len(start)))
    tables["ext_education_status"] = {
        "record_id": np.arange(len(start)) + 2_200_001,
        "person_id": person,
        "status": status,
        "start_date": start,
        "end_date": end,
    }
    # LADO referrals.
    day = poisson_days(rng, ctx.d0, ctx.d1, lambda d: p.lado_per_10k * ctx.per10k(d) / YEAR)
    n = len(day)
    u = rng.random(n)
    considered = np.where(
        u < p.lado_1wd_pct / 100,
        cal.add(day, rng.integers(0, 2, n)),
        np.where(u < 0.96, cal.add(day, rng.integers(2, 12, n)), NA),
    )
    tables["ext_lado_referrals"] = {
        "lado_id": np.arange(n) + 2_300_001,
        "received_date": day,
        "initial_consideration_date": considered,
        "outcome": np.where(
            considered == NA,
            "",
            choice(
                rng,
                ["substantiated", "unsubstantiated", "unfounded", "false", "no further action"],
                [25, 30, 20, 5, 20],
                n,
            ),
        ).astype(object),
    }


def _person_table(ctx: Context, per: Table, tables: dict[str, Table]) -> None:
    rng = ctx.rng
    dob = ctx.persons.all_dob()
    n = len(dob)
    ids = np.arange(n, dtype=np.int64) + ctx.persons.first_id
    death = np.full(n, NA, dtype=np.int64)
    died = per["reason"] == "E2"
    death[per["person"][died] - ctx.persons.first_id] = per["end"][died]
    tables["ssd_person"] = {
        "pers_person_id": ids,
        "pers_sex": choice(rng, ["F", "M", "U"], [48.5, 50.5, 1], n),
        "pers_ethnicity": choice(rng, ETHNICITIES, ETHNICITY_WEIGHTS, n),
        "pers_dob": dob,
        "pers_death_date": death,
    }


def _departments(teams: list[Team]) -> Table:
    services: dict[str, str] = {}
    for t in teams:
        services.setdefault(t.service_id, t.service_name)
    ids = ["DIR", *services.keys(), *(t.team_id for t in teams)]
    names = ["Children's Services", *services.values(), *(t.name for t in teams)]
    parent = ["", *(["DIR"] * len(services)), *(t.service_id for t in teams)]
    parent_name = ["", *(["Children's Services"] * len(services)), *(t.service_name for t in teams)]
    return {
        "dept_team_id": np.array(ids, dtype=object),
        "dept_team_name": np.array(names, dtype=object),
        "dept_team_parent_id": np.array(parent, dtype=object),
        "dept_team_parent_name": np.array(parent_name, dtype=object),
    }
