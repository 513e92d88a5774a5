"""Children in care: periods of care, SSDA903-style episodes, placements and legal statuses;
the care-leaver register (``care_events``: reviews, visits, missing episodes)."""

import numpy as np

from pipelines.synthetic import stability
from pipelines.synthetic.common import (
    YEAR,
    Context,
    age_days,
    choice,
    next_in_group,
    periodic,
    poisson_days,
    ragged,
)
from pipelines.synthetic.workdays import NA, years_later

STOCK_AGE_BANDS = [(0, 1, 5), (1, 5, 13), (5, 10, 18), (10, 16, 39), (16, 17.9, 25)]
ENTRY_AGE_BANDS = [(0, 1, 16), (1, 5, 11), (5, 10, 12), (10, 16, 37), (16, 17.9, 24)]
FAMILY = ["U1", "U2", "U3", "P1"]
FAMILY_WEIGHTS = [30, 5, 35, 30]


def simulate_periods(ctx: Context, r: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Periods of care: the stock on the first day, entries from referrals, direct entries,
    and short breaks (V3/V4). Returns one row per period; referrals are created for the
    children who were not referred in the simulation (stock, direct entries, short breaks)."""
    rng, p = ctx.rng, ctx.profile
    # 1. Children referred in the simulation who come into care.
    from_ref = np.flatnonzero(r["care_entry"] != NA)
    too_old = r["care_entry"][from_ref] >= years_later(r["dob"][from_ref], 18) - 30
    r["care_entry"][from_ref[too_old]] = NA
    from_ref = from_ref[~too_old]
    entry_ref = r["care_entry"][from_ref]
    dob_ref = r["dob"][from_ref]
    # 2. Stock on the first day.
    n_stock = rng.poisson(p.cla_per_10k_at_start * ctx.per10k(np.array([ctx.d0]))[0])
    stock_age = age_days(rng, STOCK_AGE_BANDS, n_stock)
    dob_stock = ctx.d0 - stock_age
    in_care_so_far = np.minimum(stock_age - 1, rng.exponential(800, n_stock).astype(np.int64))
    entry_stock = ctx.d0 - np.maximum(in_care_so_far, 1)
    # 3. Direct entries (police protection, remand, unaccompanied children...).
    direct = poisson_days(
        rng, ctx.d0, ctx.d1, lambda d: ctx.curve(p.cla_entries_per_10k, d) * ctx.per10k(d) / YEAR
    )
    dob_direct = direct - age_days(rng, ENTRY_AGE_BANDS, len(direct))

    entry = np.concatenate([entry_ref, entry_stock, direct])
    dob = np.concatenate([dob_ref, dob_stock, dob_direct])
    kind = np.concatenate([np.full(len(from_ref), 0), np.full(n_stock, 1), np.full(len(direct), 2)])
    n = len(entry)
    age = entry - dob
    eighteen = years_later(dob, 18)
    u = rng.random(n)
    short = np.maximum(rng.exponential(70, n), 2)
    medium = rng.integers(180, 900, n)
    long_ = rng.integers(900, 4500, n)
    length = np.where(u < 0.3, short, np.where(u < 0.55, medium, long_)).astype(np.int64)
    length = np.where(age >= 16 * YEAR, np.where(u < 0.75, 10**6, short), length).astype(np.int64)
    stock_left = rng.exponential(5 * YEAR, n).astype(np.int64) + 1
    end = np.where(kind == 1, ctx.d0 + stock_left, entry + length).astype(np.int64)
    at_18 = end >= eighteen
    end = np.maximum(np.minimum(end, eighteen), entry + 1)
    end_age = end - dob
    young_long = (end_age < 6 * YEAR) & (end - entry > 540)
    reason = np.where(
        at_18,
        choice(rng, ["E17", "E7", "E8", "E3", "E5"], [25, 35, 25, 10, 5], n),
        np.where(
            young_long,
            choice(rng, ["E11", "E12", "E45", "E46", "E4A"], [40, 8, 15, 7, 30], n),
            choice(
                rng,
                ["E4A", "E13", "E41", "E45", "E46", "E8", "E14", "E15", "E16", "E9", "E2"],
                [46, 5, 5, 5, 3, 22, 4, 2, 3, 4, 1],
                n,
            ),
        ),
    ).astype(object)
    need = np.concatenate(
        [
            r["need"][from_ref],
            choice(rng, ["N1", "N4", "N5", "N8", "N2"], [62, 8, 12, 14, 4], n_stock + len(direct)),
        ]
    )
    periods = {
        "entry": entry,
        "end": end,
        "dob": dob,
        "kind": kind,
        "reason": reason,
        "need": need,
        "ref": np.concatenate([from_ref, np.full(n_stock + len(direct), -1)]),
        "short_break": np.zeros(n, dtype=bool),
        "legal": np.full(n, "", dtype=object),
    }
    return _add_short_breaks(ctx, periods)


def _add_short_breaks(ctx: Context, periods: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Disabled children on an agreed series of short breaks: a 2-3 night period each month."""
    rng = ctx.rng
    n_children = max(1, rng.poisson(1.5 * ctx.per10k(np.array([ctx.d0]))[0]))
    dob = ctx.d0 - age_days(rng, [(5, 16, 1)], n_children)
    status = np.where(rng.random(n_children) < 0.35, "V3", "V4")
    ci, day = periodic(
        rng, np.full(n_children, ctx.d0 - 60), np.full(n_children, ctx.d1 + 1), 35.0, 6.0, 14
    )
    m = len(ci)
    out = {
        "entry": day,
        "end": day + rng.integers(2, 4, m),
        "dob": dob[ci],
        "kind": np.full(m, 3),
        "reason": np.full(m, "E8", dtype=object),
        "need": np.full(m, "N2", dtype=object),
        "ref": np.full(m, -1),
        "short_break": np.ones(m, dtype=bool),
        "legal": status[ci].astype(object),
        "child": ci,
    }
    periods["child"] = np.full(len(periods["entry"]), -1)
    merged = {k: np.concatenate([periods[k], out[k]]) for k in periods}
    merged["n_short_break_children"] = np.array([n_children])
    return merged


def placement_types(ctx: Context, start: np.ndarray, age: np.ndarray) -> np.ndarray:
    rng, p = ctx.rng, ctx.profile
    n = len(start)
    family = rng.random(n) < ctx.pct(p.with_family_pct, start)
    fam = choice(rng, FAMILY, FAMILY_WEIGHTS, n)
    under5 = choice(rng, ["U4", "U6", "A3", "A4", "U5"], [40, 35, 10, 10, 5], n)
    child = choice(rng, ["U4", "U6", "U5", "K2", "R1", "S1", "K1"], [32, 34, 6, 19, 3, 4, 2], n)
    older = choice(
        rng,
        ["H5", "U4", "U6", "K2", "P2", "U5", "R1", "R5", "K1"],
        [30, 18, 17, 15, 10, 3, 2, 3, 2],
        n,
    )
    unregulated = choice(rng, ["H5", "K3", "P2"], [60, 20, 20], n)
    other = np.where(age < 5 * YEAR, under5, np.where(age < 16 * YEAR, child, older))
    other = np.where(
        (age < 16 * YEAR) & (age >= 12 * YEAR) & (rng.random(n) < 0.025), unregulated, other
    )
    return np.where(family, fam, other)


PROVIDER = {
    "U1": "PR1", "U2": "PR1", "U3": "PR1", "P1": "PR0", "U4": "PR1", "U5": "PR1", "U6": "PR4",
    "A3": "PR1", "A4": "PR3", "K2": "PR4", "K1": "PR2", "R1": "PR4", "S1": "PR5", "H5": "PR4",
    "P2": "PR4", "R5": "PR2", "K3": "PR4",
}  # fmt: skip


def placements_and_episodes(
    ctx: Context, per: dict[str, np.ndarray]
) -> dict[str, dict[str, np.ndarray]]:
    rng, p = ctx.rng, ctx.profile
    n = len(per["entry"])
    entry, end, dob = per["entry"], per["end"], per["dob"]
    sb = per["short_break"]
    length = end - entry
    # Placement moves: most children move rarely, an unstable few move often.
    rate = np.where(rng.random(n) < 0.09, 3.0, p.placement_moves_a_year * 0.75)
    moves = np.where(sb, 0, rng.poisson(rate * np.minimum(length, 12 * YEAR) / YEAR))
    mi, _ = ragged(moves)
    move_day = (
        entry[mi] + 1 + (rng.random(len(mi)) * np.maximum(length[mi] - 2, 0)).astype(np.int64)
    )
    settled = stability.settled_moves(ctx, entry, mi, move_day)
    mi, move_day = mi[settled], move_day[settled]
    pl_per = np.concatenate([np.arange(n), mi])
    pl_day = np.concatenate([entry, move_day])
    order = np.lexsort((pl_day, pl_per))
    pl_per, pl_day = pl_per[order], pl_day[order]
    keep = np.concatenate([[True], (pl_per[1:] != pl_per[:-1]) | (pl_day[1:] != pl_day[:-1])])
    keep &= pl_day < np.maximum(end[pl_per], entry[pl_per] + 1)
    pl_per, pl_day = pl_per[keep], pl_day[keep]
    pl_end = next_in_group(pl_per, pl_day, end[pl_per])
    pl_type = placement_types(ctx, pl_day, pl_day - dob[pl_per])
    sb_rows = sb[pl_per]
    pl_type = np.where(sb_rows, np.where(rng.random(len(pl_per)) < 0.7, "K2", "U6"), pl_type)
    provider = np.array([PROVIDER.get(t, "PR1") for t in np.unique(pl_type)], dtype=object)
    provider = provider[np.searchsorted(np.unique(pl_type), pl_type)]
    m = len(pl_per)
    change_reason = choice(
        rng,
        [
            "CARPL",
            "CLOSE",
            "ALLEG",
            "STAND",
            "APPRR",
            "CREQB",
            "CREQO",
            "CHILD",
            "LAREQ",
            "PLACE",
            "OTHER",
        ],
        [30, 8, 3, 4, 6, 5, 5, 6, 12, 8, 13],
        m,
    )
    last = pl_end == end[pl_per]
    placements = {
        "period": pl_per,
        "start": pl_day,
        "end": pl_end,
        "type": pl_type,
        "provider": provider,
        "change_reason": np.where(last, "", change_reason).astype(object),
    }

    # Legal statuses: police protection / EPO -> interim care order or s20; interim -> full order.
    age = entry - dob
    first = np.where(
        age >= 16 * YEAR,
        choice(rng, ["V2", "C2", "J2", "L1"], [70, 15, 5, 10], n),
        choice(rng, ["C2", "V2", "L1", "L2", "J1"], [38, 42, 9, 9, 2], n),
    )
    first = np.where(sb, per["legal"], first)
    lg_per, lg_day, lg_status = [np.arange(n)], [entry], [first]
    emergency = np.isin(first, ["L1", "L2"])
    after = np.where(rng.random(n) < 0.6, "C2", "V2")
    step1 = entry + rng.integers(1, 9, n)
    ok1 = emergency & (step1 < end)
    lg_per.append(np.flatnonzero(ok1))
    lg_day.append(step1[ok1])
    lg_status.append(after[ok1])
    interim = (first == "C2") | (ok1 & (after == "C2"))
    step2 = np.where(ok1, step1, entry) + rng.integers(150, 360, n)
    ok2 = interim & (step2 < end) & ~sb
    lg_per.append(np.flatnonzero(ok2))
    lg_day.append(step2[ok2])
    lg_status.append(np.full(ok2.sum(), "C1"))
    lg_per_a = np.concatenate(lg_per)
    lg_day_a = np.concatenate(lg_day)
    lg_status_a = np.concatenate(lg_status).astype(object)
    order = np.lexsort((lg_day_a, lg_per_a))
    lg_per_a, lg_day_a, lg_status_a = lg_per_a[order], lg_day_a[order], lg_status_a[order]
    legal = {
        "period": lg_per_a,
        "start": lg_day_a,
        "end": next_in_group(lg_per_a, lg_day_a, end[lg_per_a]),
        "status": lg_status_a,
    }

    # Episodes: a new one at every placement or legal status change (903 RNE P / L / B).
    bp_per = np.concatenate([pl_per, lg_per_a])
    bp_day = np.concatenate([pl_day, lg_day_a])
    bp_bits = np.concatenate([np.full(len(pl_per), 1), np.full(len(lg_per_a), 2)])
    order = np.lexsort((bp_day, bp_per))
    bp_per, bp_day, bp_bits = bp_per[order], bp_day[order], bp_bits[order]
    new = np.concatenate([[True], (bp_per[1:] != bp_per[:-1]) | (bp_day[1:] != bp_day[:-1])])
    starts = np.flatnonzero(new)
    bits = np.bitwise_or.reduceat(bp_bits, starts) if len(starts) else bp_bits
    ep_per, ep_day = bp_per[starts], bp_day[starts]
    ep_end = next_in_group(ep_per, ep_day, end[ep_per])
    is_first = ep_day == entry[ep_per]
    ep_reason = np.where(is_first, "S", np.where(bits == 1, "P", np.where(bits == 2, "L", "B")))
    ep_last = ep_end == end[ep_per]
    episodes = {
        "period": ep_per,
        "start": ep_day,
        "end": ep_end,
        "start_reason": ep_reason,
        "ceased_reason": np.where(ep_last, per["reason"][ep_per], "X1").astype(object),
    }
    return {"placements": placements, "legal": legal, "episodes": episodes}


def historic_care_leavers(ctx: Context) -> dict[str, np.ndarray]:
    """Young people aged 18-25 on the first day who left care before it (no episodes kept)."""
    rng, p = ctx.rng, ctx.profile
    per_age = p.care_leavers_per_10k_per_year_of_age * ctx.per10k(np.array([ctx.d0]))[0]
    count = rng.poisson(per_age * 8)
    dob = ctx.d0 - age_days(rng, [(18, 26, 1)], count)
    eighteen = years_later(dob, 18)
    early = rng.random(count) < 0.2
    sixteen = years_later(dob, 16)
    left = np.where(early, sixteen + rng.integers(0, 700, count), eighteen)
    left = np.minimum(left, ctx.d0 - 1)
    qualifying = rng.random(count) < 0.05
    return {"dob": dob, "left": left, "qualifying": qualifying}
