"""Contacts and referrals, and what each referral becomes: assessment, s47 enquiry, ICPC, CP
plan or care (``linking`` gives them their children, ``casework`` their visits and reviews).

Referrals are simulated from three years before the history window (``burn-in``) so that the
children on plans and in need on the first day are a steady-state stock; the snapshot keeps only
what a real extract would hold (see ``model._keep_referrals``).
"""

import numpy as np

from pipelines.synthetic.common import (
    YEAR,
    Context,
    age_days,
    choice,
    poisson_days,
    seasonal_weight,
)
from pipelines.synthetic.workdays import MINUTES_A_DAY, NA

BURN_IN_DAYS = 3 * 365

SOURCES = [
    "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F",
    "4", "5A", "5B", "5C", "5D", "6", "7", "8", "9", "10",
]  # fmt: skip
SOURCE_WEIGHTS = [
    4, 1, 2, 1, 18, 2, 3, 3, 4, 1, 2, 2, 2, 5, 3, 2, 4, 29, 3, 4, 1, 1,
]  # fmt: skip
SOURCE_NAMES = {
    "1A": "Individual - family member", "1B": "Individual - acquaintance",
    "1C": "Individual - self", "1D": "Individual - other", "2A": "Schools",
    "2B": "Education services", "3A": "Health visitor", "3B": "GP",
    "3C": "Hospital", "3D": "Other primary health", "3E": "A&E", "3F": "Other health",
    "4": "Housing", "5A": "LA social care", "5B": "Other internal", "5C": "External LA",
    "5D": "Early help", "6": "Police", "7": "Other legal agency", "8": "Other",
    "9": "Anonymous", "10": "Unknown",
}  # fmt: skip
NEEDS = ["N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"]
NEED_WEIGHTS = [0.5, 55, 5, 3, 11, 15, 3, 0.5, 3, 4]
CHILD_AGE_BANDS = [(0.1, 1, 10), (1, 5, 20), (5, 10, 26), (10, 16, 36), (16, 18, 8)]
CATEGORIES = ["NEG", "EMO", "PHY", "SAB", "MUL"]
CATEGORY_WEIGHTS = [50, 34, 8, 4, 4]


def simulate_contacts(ctx: Context) -> dict[str, np.ndarray]:
    """Contacts received in the window, their decisions, and the referrals they become."""
    rng, cal, p = ctx.rng, ctx.cal, ctx.profile
    norm = seasonal_weight(np.arange(ctx.d0, ctx.d0 + 364), cal).mean()

    def rate(days: np.ndarray) -> np.ndarray:
        per_year = ctx.curve(p.referrals_per_10k, days) * ctx.per10k(days)
        return per_year / YEAR * p.contacts_per_referral * seasonal_weight(days, cal) / norm

    day = poisson_days(rng, ctx.d0, ctx.d1, rate)
    n = len(day)
    working = cal.is_working_day(day)
    office = working & (rng.random(n) < 0.86)
    minute = np.where(
        office,
        rng.integers(510, 1050, n),
        np.where(
            working, (1050 + rng.integers(0, 900, n)) % MINUTES_A_DAY, rng.integers(420, 1380, n)
        ),
    )
    order = np.lexsort((minute, day))
    day, minute = day[order], minute[order]

    others = ["existing_case", "early_help", "advice", "nfa", "other"]
    decision = np.where(
        rng.random(n) < 1.0 / p.contacts_per_referral,
        "referral",
        choice(rng, others, [0.14, 0.28, 0.22, 0.30, 0.06], n),
    ).astype(object)
    fast = rng.random(n) < ctx.pct(p.contact_decision_1wd_pct, day)
    delay = np.where(fast, (rng.random(n) < 0.45).astype(np.int64), 1 + rng.geometric(0.3, n))
    decision_day = cal.add(day, delay)
    same_day = decision_day == day
    decision_minute = np.where(
        same_day,
        np.minimum(minute + rng.integers(15, 240, n), MINUTES_A_DAY - 1),
        rng.integers(525, 1110, n),
    )
    decided = (decision == "referral") | (rng.random(n) > 0.003)
    second = decided & (decision != "referral") & (rng.random(n) < 0.03)
    second_day = cal.add(decision_day, rng.integers(1, 6, n))
    return {
        "day": day,
        "minute": day * MINUTES_A_DAY + minute,
        "source": choice(rng, SOURCES, SOURCE_WEIGHTS, n),
        "decision": decision,
        "decided": decided,
        "decision_minute": np.where(decided, decision_day * MINUTES_A_DAY + decision_minute, NA),
        "decision_day": decision_day,
        "priority": choice(rng, ["red", "amber", "green", ""], [8, 32, 55, 5], n),
        "second": second,
        "second_minute": second_day * MINUTES_A_DAY + rng.integers(540, 1080, n),
        "second_decision": np.where(decision == "early_help", "other", "early_help"),
        "person": np.full(n, -1, dtype=np.int64),
    }


def simulate_referrals(ctx: Context, contacts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Burn-in referrals plus one referral per contact decided ``referral``, and their paths."""
    rng, cal, p = ctx.rng, ctx.cal, ctx.profile
    norm = seasonal_weight(np.arange(ctx.d0, ctx.d0 + 364), cal).mean()

    def rate(days: np.ndarray) -> np.ndarray:
        per_year = ctx.curve(p.referrals_per_10k, days) * ctx.per10k(days)
        return per_year / YEAR * seasonal_weight(days, cal) / norm

    burn = poisson_days(rng, ctx.d0 - BURN_IN_DAYS, ctx.d0 - 1, rate)
    from_contact = np.flatnonzero(contacts["decision"] == "referral")
    day = np.concatenate([burn, contacts["decision_day"][from_contact]])
    contact = np.concatenate([np.full(len(burn), -1), from_contact])
    source = np.concatenate(
        [choice(rng, SOURCES, SOURCE_WEIGHTS, len(burn)), contacts["source"][from_contact]]
    )
    order = np.argsort(day, kind="stable")
    day, contact, source = day[order], contact[order], source[order]
    n = len(day)
    r: dict[str, np.ndarray] = {"day": day, "contact": contact, "source": source}
    r["need"] = choice(rng, NEEDS, NEED_WEIGHTS, n)
    r["team"] = ctx.pick_team("assessment", n)
    r["age"] = child_ages(rng, n)

    nfa = rng.random(n) < p.referral_nfa_pct / 100
    assessed = ~nfa
    p_s47 = ctx.curve(p.s47_per_10k, day) / (
        ctx.curve(p.referrals_per_10k, day) * (1 - p.referral_nfa_pct / 100)
    )
    s47 = assessed & (rng.random(n) < p_s47)
    icpc = s47 & (rng.random(n) < ctx.pct(p.icpc_per_s47_pct, day))
    plan = icpc & (rng.random(n) < ctx.pct(p.plan_per_icpc_pct, day))
    r.update(nfa=nfa, assessed=assessed, s47=s47, icpc=icpc, plan=plan)

    # Assessments. The clock runs from the start date (catalogue choice D1).
    a_start = cal.add(
        day, choice(rng, ["0", "1", "2", "3", "4", "5"], [35, 30, 15, 10, 5, 5], n).astype(np.int64)
    )
    if p.assessment_model == "single":
        on_time = rng.random(n) < ctx.pct(p.single_45wd_pct, a_start)
        a_auth = cal.add(
            a_start, np.where(on_time, rng.integers(8, 46, n), rng.integers(46, 95, n))
        )
        core = np.zeros(n, dtype=bool)
        core_start = core_auth = np.full(n, NA)
        done = a_auth
    else:
        on_time = rng.random(n) < ctx.pct(p.initial_7wd_pct, a_start)
        a_auth = cal.add(a_start, np.where(on_time, rng.integers(1, 8, n), rng.integers(8, 26, n)))
        core = assessed & (s47 | (rng.random(n) < p.core_share_pct / 100))
        core_start = a_auth
        core_on_time = rng.random(n) < ctx.pct(p.core_35wd_pct, core_start)
        core_auth = cal.add(
            core_start, np.where(core_on_time, rng.integers(12, 36, n), rng.integers(36, 80, n))
        )
        done = np.where(core, core_auth, a_auth)
    r.update(a_start=a_start, a_auth=a_auth, core=core, core_start=core_start, core_auth=core_auth)
    r["child_seen"] = np.where(rng.random(n) < 0.96, "Y", "N")

    # Section 47: starts at the strategy discussion, a few working days after the referral.
    s_start = cal.add(
        day, choice(rng, ["0", "1", "2", "3", "5"], [40, 25, 15, 12, 8], n).astype(np.int64)
    )
    s_end = cal.add(s_start, rng.integers(5, 30, n))
    icpc_on_time = rng.random(n) < ctx.pct(p.icpc_15wd_pct, s_start)
    icpc_day = cal.add(
        s_start, np.where(icpc_on_time, rng.integers(6, 16, n), rng.integers(16, 36, n))
    )
    s_end = np.where(icpc, np.minimum(s_end, icpc_day), s_end)
    r.update(
        s_start=s_start,
        s_end=s_end,
        s47_nfa=np.where(icpc, "N", np.where(rng.random(n) < 0.55, "Y", "N")),
        icpc_day=icpc_day,
        icpc_target=cal.add(s_start, 15),
    )

    # CP plans: length from the profile's mean for the start date (gamma, shape 4).
    mean_weeks = ctx.curve(p.cp_plan_weeks, icpc_day)
    length = np.maximum(rng.gamma(4.0, mean_weeks * 7 / 4.0), 42).astype(np.int64)
    plan_end = icpc_day + length
    cat = choice(rng, CATEGORIES, CATEGORY_WEIGHTS, n)
    changed = rng.random(n) < 0.1
    r.update(
        plan_start=icpc_day,
        plan_end=plan_end,
        category=cat,
        latest_category=np.where(changed, choice(rng, CATEGORIES, CATEGORY_WEIGHTS, n), cat),
    )

    # Episode of need: when it would close without care (care entries are added later).
    cin = assessed & ~plan & (rng.random(n) >= np.where(s47, 0.5, p.assessment_nfa_pct / 100))
    cin_days = rng.lognormal(np.log(ctx.curve(p.cin_plan_months, done) * 30.4), 0.7).astype(
        np.int64
    )
    close = np.where(
        nfa,
        day + rng.integers(0, 5, n),
        np.where(cin, done + 14 + cin_days, done + rng.integers(0, 15, n)),
    )
    step_down = np.where(
        rng.random(n) < 0.5,
        rng.integers(0, 21, n),
        rng.lognormal(np.log(120), 0.6, n).astype(np.int64),
    )
    close = np.where(plan, plan_end + step_down, close)
    close = np.maximum(close, np.where(s47, s_end, day))
    r["cin"] = cin
    r["done"] = np.where(assessed, done, day)
    r["close"] = close
    r["close_reason"] = np.where(
        nfa | (assessed & ~cin & ~plan),
        np.where(rng.random(n) < 0.6, "RC8", "RC9"),
        choice(rng, ["RC7", "RC5", "RC3", "RC4", "RC6"], [82, 7, 4, 4, 3], n),
    ).astype(object)

    # Into care: from an ending plan, or part-way through a CIN episode (window only).
    window = day >= ctx.d0
    to_care_from_plan = plan & (plan_end >= ctx.d0) & (rng.random(n) < p.cp_to_care_pct / 100)
    to_care_from_cin = window & cin & (rng.random(n) < 0.025)
    care_entry = np.where(
        to_care_from_plan,
        plan_end,
        np.where(
            to_care_from_cin,
            done + 10 + (rng.random(n) * np.maximum(cin_days, 20) * 0.8).astype(np.int64),
            NA,
        ),
    )
    r["care_entry"] = care_entry
    return r


def child_ages(rng: np.random.Generator, n: int) -> np.ndarray:
    return age_days(rng, CHILD_AGE_BANDS, n)
