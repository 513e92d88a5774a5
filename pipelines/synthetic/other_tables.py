"""The tables outside the flow of cases: homeless 16- and 17-year-olds, children missing
education and electively home educated, LADO referrals; and the tables every other one
refers to, ssd_person and ssd_department."""

import numpy as np

from pipelines.synthetic.common import YEAR, Context, Table, Team, age_days, choice, poisson_days
from pipelines.synthetic.workdays import NA

ETHNICITIES = [
    "WBRI", "WIRI", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
    "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
]  # fmt: skip
ETHNICITY_WEIGHTS = [64, 1, 5, 1, 3, 1, 1, 2, 2, 4, 1, 1, 2, 3, 1, 0.5, 2, 1, 1.5]


def other_tables(ctx: Context, tables: dict[str, Table]) -> None:
    """ext_homeless_16_17, ext_education_status and ext_lado_referrals."""
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


def person_table(ctx: Context, per: Table, tables: dict[str, Table]) -> None:
    """ssd_person: everyone the simulation made; a death date where care ended in death (E2)."""
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


def departments(teams: list[Team]) -> Table:
    """ssd_department: the directorate, its services and their teams."""
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
