"""Who each referral and contact is about: re-referrals and second CP plans reuse an earlier
child; a contact is about the referred child, a child with an open case, a repeat, or a new one."""

import numpy as np

from pipelines.synthetic.common import YEAR, Context, pick_at
from pipelines.synthetic.frontdoor import child_ages
from pipelines.synthetic.workdays import NA

INFINITY = np.iinfo(np.int64).max // 4


def link_people(ctx: Context, r: dict[str, np.ndarray]) -> None:
    """Give every referral a child: re-referrals and second CP plans reuse an earlier child.

    A re-referral links to an earlier referral (within 12 months) whose episode had closed; a new
    plan for a child who had one before links to an earlier plan's child. Each referral is the
    previous one of at most one later referral, so every child's referrals form a chain of
    non-overlapping episodes.
    """
    rng, p = ctx.rng, ctx.profile
    day = r["day"]
    n = len(day)
    link_close = np.where(r["care_entry"] != NA, INFINITY, r["close"])
    parent = np.full(n, -1, dtype=np.int64)
    used = np.zeros(n, dtype=bool)

    want = np.flatnonzero(rng.random(n) < ctx.pct(p.rereferral_pct, day) * 1.12)
    for _ in range(6):
        if len(want) == 0:
            break
        lag = rng.integers(8, 362, len(want))
        j = pick_at(rng, day, day[want] - lag)
        ok = (day[j] < day[want]) & (link_close[j] < day[want] - 2) & ~used[j]
        ok &= day[want] - day[j] <= 364
        cand_i, cand_j = want[ok], j[ok]
        _, first = np.unique(cand_j, return_index=True)
        parent[cand_i[first]] = cand_j[first]
        used[cand_j[first]] = True
        linked = np.zeros(n, dtype=bool)
        linked[cand_i[first]] = True
        want = want[~linked[want]]

    root, dob = _resolve(day, r["age"], parent)
    # Second and subsequent plans: a new plan's child is an earlier plan's child.
    plan = r["plan"]
    cands = np.flatnonzero(plan & (r["care_entry"] == NA))
    cands = cands[np.argsort(link_close[cands], kind="stable")]
    cand_close = link_close[cands]
    want = np.flatnonzero(plan & (parent == -1) & (rng.random(n) < p.second_plan_pct / 100))
    for _ in range(6):
        if len(want) == 0 or len(cands) == 0:
            break
        c = np.searchsorted(cand_close, day[want] - 30)
        k = c - 1 - (rng.random(len(want)) * np.minimum(c, 400)).astype(np.int64)
        j = cands[np.clip(k, 0, len(cands) - 1)]
        ok = (c > 0) & ~used[j] & (j != want) & (root[j] != want)
        ok &= day[want] - dob[j] < 17 * YEAR
        cand_i, cand_j = want[ok], j[ok]
        _, first = np.unique(cand_j, return_index=True)
        parent[cand_i[first]] = cand_j[first]
        used[cand_j[first]] = True
        linked = np.zeros(n, dtype=bool)
        linked[cand_i[first]] = True
        want = want[~linked[want]]
        root, dob = _resolve(day, r["age"], parent)

    # A child must be under 18 at every referral: break any link that would make them older.
    for _ in range(4):
        old = (day - dob) >= 18 * YEAR - 1
        if not old.any():
            break
        parent[old] = -1
        root, dob = _resolve(day, r["age"], parent)
    r["parent"] = parent
    r["root"] = root
    r["dob"] = dob


def _resolve(day: np.ndarray, age: np.ndarray, parent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    root = np.where(parent >= 0, parent, np.arange(len(parent)))
    while True:
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    dob_root = day - age
    return root, dob_root[root]


def assign_contact_people(
    ctx: Context, contacts: dict[str, np.ndarray], r: dict[str, np.ndarray]
) -> None:
    """People for contacts: the referred child, a child with an open case, a repeat, or new."""
    rng = ctx.rng
    n = len(contacts["day"])
    person = contacts["person"]
    ref_of_contact = r["contact"] >= 0
    person[r["contact"][ref_of_contact]] = r["person"][ref_of_contact]

    # Existing case: a child whose episode is open on the contact date.
    existing = np.flatnonzero(contacts["decision"] == "existing_case")
    day = r["day"]
    for _ in range(5):
        if len(existing) == 0:
            break
        cday = contacts["day"][existing]
        j = pick_at(rng, day, cday - rng.integers(1, 300, len(existing)))
        ok = (day[j] < cday) & (r["close"][j] > cday)
        person[existing[ok]] = r["person"][j[ok]]
        existing = existing[~ok]
    contacts["decision"][existing] = "nfa"

    # Repeat contacts about a child with an earlier contact in the last year.
    free = person < 0
    repeat = free & (rng.random(n) < 0.3)
    idx = np.flatnonzero(repeat)
    cparent = np.full(n, -1, dtype=np.int64)
    cday = contacts["day"]
    earlier = cday[idx] - rng.integers(3, 360, len(idx))
    j = pick_at(rng, cday, earlier)
    # An earlier contact dated before the first one in the history was never recorded: that
    # child is new to the extract. (Matching it to the first contact instead piled every such
    # repeat onto one child: 79,000 contacts at scale 50.)
    ok = (j < idx) & (earlier >= cday[0])
    cparent[idx[ok]] = j[ok]
    root = np.where(cparent >= 0, cparent, np.arange(n))
    while True:
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    roots_needing = np.flatnonzero((root == np.arange(n)) & (person < 0))
    dob = cday[roots_needing] - child_ages(rng, len(roots_needing))
    person[roots_needing] = ctx.persons.add(dob)
    person[:] = np.where(person < 0, person[root], person)
    contacts["person"] = person
