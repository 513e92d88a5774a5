"""The children-in-care tables, from the simulated periods of care: episodes, placements,
legal statuses, reviews, visits, missing episodes and return interviews; and the registers
the care-leaver table is derived from at each extract date."""

import numpy as np

from pipelines.synthetic import care, care_events
from pipelines.synthetic.common import Context, Table
from pipelines.synthetic.history import History


def care_tables(ctx: Context, per: Table, tables: dict[str, Table]) -> None:
    """ssd_cla_episodes, placements, legal statuses, reviews, visits, missing episodes and
    return interviews; gives each period of care its ``cla_id``."""
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
    rev = care_events.cla_reviews(ctx, per, looked_after)
    tables["ssd_cla_reviews"] = {
        "clar_cla_review_id": np.arange(len(rev["period"])) + 1_600_001,
        "clar_cla_id": cla_id[rev["period"]],
        "clar_cla_review_due_date": rev["due"],
        "clar_cla_review_date": rev["day"],
        "clar_cla_review_cancelled": rev["cancelled"],
    }
    vis = care_events.cla_visits(ctx, per, looked_after)
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
    miss = care_events.missing_episodes(ctx, per, looked_after)
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


def care_leaver_registers(ctx: Context, per: Table, history: History) -> None:
    """The periods of care and the historic care leavers from which ``snapshot`` derives
    ssd_care_leavers at each extract date."""
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
