"""What happens during care: statutory reviews, visits, and missing and away episodes with
their return home interviews."""

import numpy as np

from pipelines.synthetic.common import YEAR, Context, Table, choice, periodic, ragged
from pipelines.synthetic.workdays import MINUTES_A_DAY, add_months, years_later


def cla_reviews(ctx: Context, per: dict[str, np.ndarray], idx: np.ndarray) -> dict[str, np.ndarray]:
    """First review within 20 working days, the second within 3 months, then every 6 months."""
    rng, cal, p = ctx.rng, ctx.cal, ctx.profile
    entry, end = per["entry"][idx], per["end"][idx]
    due = cal.add(entry, 20)
    k = np.zeros(len(idx), dtype=np.int64)
    out_i, out_due, out_day = [], [], []
    active = np.arange(len(idx))
    while len(active):
        d = due[active]
        timely = rng.random(len(active)) < p.cla_review_timely_pct / 100
        held = np.where(
            timely, d - rng.integers(0, 8, len(active)), d + rng.integers(1, 40, len(active))
        )
        held = np.maximum(held, entry[active] + 1)
        ok = held < np.minimum(end[active], ctx.d1 + 1)
        active, held, d = active[ok], held[ok], d[ok]
        out_i.append(active)
        out_due.append(d)
        out_day.append(held)
        due[active] = add_months(held, np.where(k[active] == 0, 3, 6))
        k[active] += 1
    rows = np.concatenate(out_i) if out_i else np.zeros(0, np.int64)
    due_a = np.concatenate(out_due) if out_due else np.zeros(0, np.int64)
    day_a = np.concatenate(out_day) if out_day else np.zeros(0, np.int64)
    # A few reviews were cancelled and re-arranged: the cancelled one is an extra row.
    cancelled = np.flatnonzero(rng.random(len(rows)) < 0.03)
    c_day = day_a[cancelled] - rng.integers(1, 8, len(cancelled))
    ok = c_day > entry[rows[cancelled]]
    cancelled, c_day = cancelled[ok], c_day[ok]
    period = idx[np.concatenate([rows, rows[cancelled]])]
    day = np.concatenate([day_a, c_day])
    due_all = np.concatenate([due_a, due_a[cancelled]])
    flag = np.concatenate([np.full(len(rows), "N"), np.full(len(cancelled), "Y")])
    order = np.lexsort((day, period))
    return {
        "period": period[order],
        "due": due_all[order],
        "day": day[order],
        "cancelled": flag[order],
    }


def cla_visits(ctx: Context, per: dict[str, np.ndarray], idx: np.ndarray) -> dict[str, np.ndarray]:
    rng = ctx.rng
    start = np.maximum(per["entry"][idx], ctx.d0 - 120)
    end = np.minimum(per["end"][idx], ctx.d1 + 1)
    pi, day = periodic(rng, start, end, 30.0, 9.0, 5)
    m = len(pi)
    seen = rng.random(m) < 0.95
    old_enough = (day - per["dob"][idx[pi]]) >= 8 * YEAR
    return {
        "period": idx[pi],
        "day": day,
        "seen": np.where(seen, "Y", "N"),
        "alone": np.where(seen & old_enough & (rng.random(m) < 0.5), "Y", "N"),
    }


def missing_episodes(ctx: Context, per: dict[str, np.ndarray], idx: np.ndarray) -> dict[str, Table]:
    """Missing and away episodes of children in care aged 11+, with return home interviews."""
    rng, p = ctx.rng, ctx.profile
    start = np.maximum(per["entry"][idx], ctx.d0)
    end = np.minimum(per["end"][idx], ctx.d1 + 1)
    eleven = years_later(per["dob"][idx], 11)
    start = np.maximum(start, eleven)
    prone = (rng.random(len(idx)) < p.missing_child_pct / 100) & (end > start)
    rate = np.exp(rng.normal(np.log(4.0), 0.8, len(idx)))
    count = np.where(prone, rng.poisson(rate * np.maximum(end - start, 0) / YEAR), 0)
    pi, _ = ragged(count)
    day = start[pi] + (rng.random(len(pi)) * (end[pi] - start[pi])).astype(np.int64)
    m = len(pi)
    minute = np.where(rng.random(m) < 0.7, rng.integers(960, 1440, m), rng.integers(0, 1440, m))
    begin = day * MINUTES_A_DAY + minute
    dur = np.clip(rng.lognormal(np.log(600), 1.1, m), 30, 20 * MINUTES_A_DAY).astype(np.int64)
    finish = begin + dur
    mtype = np.where(rng.random(m) < 0.75, "M", "A")
    missing = mtype == "M"
    offered = np.where(
        missing,
        choice(rng, ["Y", "N", ""], [85, 11, 4], m),
        choice(rng, ["NA", "N", "Y"], [75, 20, 5], m),
    )
    accepted = np.where(
        offered == "Y",
        np.where(rng.random(m) < 0.7, "Y", "N"),
        np.where(offered == "", "", "NA"),
    )
    # Return home interviews: the planted "slow to progress" rate, whatever else changes.
    p72 = ctx.pct(p.rhi_72h_pct, day)
    u = rng.random(m)
    within = missing & (u < p72)
    late = missing & ~within & (u < p72 + (1 - p72) * 0.8)
    done_at = np.where(
        within,
        finish + rng.integers(120, 72 * 60, m),
        finish + rng.integers(72 * 60 + 30, 240 * 60, m),
    )
    has_rhi = within | late
    order = np.lexsort((begin, pi))
    # A child cannot go missing again before coming back: drop episodes that would overlap.
    same = np.concatenate([[False], pi[order][1:] == pi[order][:-1]])
    prev_end = np.concatenate([[0], finish[order][:-1]])
    order = order[~same | (begin[order] > prev_end)]
    ep = {
        "period": idx[pi][order],
        "start": begin[order],
        "end": finish[order],
        "type": mtype[order],
        "offered": offered[order].astype(object),
        "accepted": accepted[order].astype(object),
    }
    rhi_ep = np.flatnonzero(has_rhi[order])
    rhi_at = done_at[order][rhi_ep]
    twice = rhi_ep[rng.random(len(rhi_ep)) < 0.02]
    rhi = {
        "episode": np.concatenate([rhi_ep, twice]),
        "at": np.concatenate(
            [rhi_at, done_at[order][twice] + rng.integers(1, 6, len(twice)) * MINUTES_A_DAY]
        ),
    }
    return {"episodes": ep, "rhi": rhi}
