"""Simulate one LA's history (``simulate``): the order in which its parts are drawn, and the
children in care and referrals every part shares.

What the history holds, like a real extract at the edge of its window: everything dated in the
window [start, end]; what was still open on ``start`` (episodes, plans, periods of care,
placements, allocations, worker periods), with the records that belong to it; the referral
before each re-referral in the first year and the earlier CP plans of children who start
another plan; and a year of look-back for allocations, worker periods and absences.

The parts draw from one random stream in a fixed order, so a seed gives the same files: a
change to the order of the calls below changes every table after it.
"""

import datetime as dt
import zlib

import numpy as np

from pipelines.synthetic import (
    care,
    care_tables,
    education,
    frontdoor,
    frontdoor_tables,
    health,
    involvements,
    lado,
    linking,
    other_tables,
    oversight,
    workforce,
    workforce_tables,
)
from pipelines.synthetic.common import Context, Table, choice
from pipelines.synthetic.history import History
from pipelines.synthetic.profiles import Profile
from pipelines.synthetic.workdays import WorkCalendar, day_number

FAR_FUTURE = 20_000  # days after the end: "still open" for anything that has not closed


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
    linking.link_people(ctx, r)
    roots = np.flatnonzero(r["root"] == np.arange(len(r["day"])))
    person_of_root = np.full(len(r["day"]), -1, dtype=np.int64)
    person_of_root[roots] = ctx.persons.add(r["dob"][roots])
    r["person"] = person_of_root[r["root"]]

    per = care.simulate_periods(ctx, r)
    n_sb_children = int(per.pop("n_short_break_children")[0])
    extra = _people_in_care(ctx, r, per, n_sb_children)
    linking.assign_contact_people(ctx, contacts, r)

    keep = _keep_referrals(ctx, r)
    tables: dict[str, Table] = {}
    refs = frontdoor_tables.referral_tables(ctx, r, keep, extra, tables)
    frontdoor_tables.contact_tables(ctx, contacts, tables)
    care_tables.care_tables(ctx, per, tables)
    # Issue 18's tables (health checks, UASC, LADO resolutions, case oversight) have a random
    # stream of their own: the other tables of a seed stay as they were.
    own = np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(la_code.encode()), 18]))
    tables["ssd_cla_health"] = health.health_checks(ctx, per, own)
    tables["ssd_immigration_status"] = health.immigration_statuses(ctx, per, own)
    placement = tables["ssd_cla_placement"]
    placement["clap_cla_placement_distance"] = health.placement_distances(ctx, placement, own)
    wf = workforce.simulate_workforce(ctx)
    workforce_tables.workforce_tables(ctx, wf, tables)
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
    care_tables.care_leaver_registers(ctx, per, history)
    involvements.involvements(ctx, r, keep, refs, per, wf, history)
    other_tables.other_tables(ctx, tables)
    lado.add_resolution(ctx, tables["ext_lado_referrals"], own)
    tables["ext_case_oversight"] = oversight.case_oversights(ctx, tables["ssd_cin_episodes"], own)
    education.link_ehe_to_referred(
        ctx, tables["ext_education_status"], tables["ssd_cin_episodes"], own
    )
    other_tables.person_table(ctx, per, tables)
    tables["ssd_department"] = other_tables.departments(ctx.teams)
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
