"""What follows a referral over time: the visit that sees the child, CIN plan visits, and CP
plans' review conferences and visits."""

import numpy as np

from pipelines.synthetic.common import Context, choice, periodic
from pipelines.synthetic.workdays import NA, add_months


def first_visits(ctx: Context, r: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The visit that sees the child after a referral, then CIN visits while the plan runs."""
    rng, cal, p = ctx.rng, ctx.cal, ctx.profile
    day = r["day"]
    n = len(day)
    visited = r["assessed"] | (rng.random(n) < 0.8)
    on_time = rng.random(n) < ctx.pct(p.seen_5wd_pct, day)
    k = np.where(
        on_time,
        choice(rng, ["0", "1", "2", "3", "4", "5"], [12, 30, 25, 15, 10, 8], n).astype(np.int64),
        rng.integers(6, 21, n),
    )
    first = cal.add(day, k)
    not_seen = rng.random(n) < 0.05
    idx = np.flatnonzero(visited)
    retry = np.flatnonzero(visited & not_seen)
    # CIN plan visits, about every six weeks until the episode closes or the child is in care.
    end = np.minimum(r["close"], np.where(r["care_entry"] != NA, r["care_entry"], r["close"]))
    end = np.where(r["plan"], r["plan_start"], end)
    cin = np.flatnonzero(r["cin"] | r["plan"])
    start = np.maximum(r["done"][cin] + 5, ctx.d0 - 60)
    pi, pday = periodic(rng, start, np.minimum(end[cin], ctx.d1 + 1), 40.0, 12.0, 7)
    ref = np.concatenate([idx, retry, cin[pi]])
    vday = np.concatenate([first[idx], cal.add(first[retry], rng.integers(1, 6, len(retry))), pday])
    seen = np.concatenate(
        [
            np.where(not_seen[idx], "N", "Y"),
            np.full(len(retry), "Y"),
            np.where(rng.random(len(pi)) < 0.94, "Y", "N"),
        ]
    )
    return {"ref": ref, "day": vday, "seen": seen}


def cp_reviews(ctx: Context, r: dict[str, np.ndarray], plans: np.ndarray) -> dict[str, np.ndarray]:
    """Review conferences: first within 3 months of the plan, then within 6 months of the last."""
    rng, p = ctx.rng, ctx.profile
    start = r["plan_start"][plans]
    end = r["plan_end"][plans]
    due = add_months(start, 3)
    out_plan, out_due, out_day = [], [], []
    active = np.arange(len(plans))
    while len(active):
        d = due[active]
        timely = rng.random(len(active)) < ctx.pct(p.cp_review_timely_pct, d)
        held = np.where(
            timely, d - rng.integers(0, 10, len(active)), d + rng.integers(1, 35, len(active))
        )
        held = np.maximum(held, start[active] + 1)
        ok = held < np.minimum(end[active], ctx.d1 + 1)
        active, held, d = active[ok], held[ok], d[ok]
        out_plan.append(active)
        out_due.append(d)
        out_day.append(held)
        due[active] = add_months(held, 6)
    return {
        "plan": plans[np.concatenate(out_plan)] if out_plan else np.zeros(0, np.int64),
        "due": np.concatenate(out_due) if out_due else np.zeros(0, np.int64),
        "day": np.concatenate(out_day) if out_day else np.zeros(0, np.int64),
    }


def cp_visits(ctx: Context, r: dict[str, np.ndarray], plans: np.ndarray) -> dict[str, np.ndarray]:
    rng = ctx.rng
    start = np.maximum(r["plan_start"][plans], ctx.d0 - 60)
    end = np.minimum(r["plan_end"][plans], ctx.d1 + 1)
    pi, day = periodic(rng, start, end, ctx.profile.cp_visit_gap_days, 4.0, 2)
    m = len(pi)
    seen = rng.random(m) < 0.94
    return {
        "plan": plans[pi],
        "day": day,
        "seen": np.where(seen, "Y", "N"),
        "alone": np.where(seen & (rng.random(m) < 0.45), "Y", "N"),
    }
