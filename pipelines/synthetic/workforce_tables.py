"""The workforce's tables from the simulated worker periods: ext_worker_periods, absences,
vacancies and supervisions."""

import numpy as np

from pipelines.synthetic.common import YEAR, Context, Table, choice, ragged
from pipelines.synthetic.workdays import NA


def workforce_tables(ctx: Context, wf: Table, tables: dict[str, Table]) -> None:
    """ext_worker_periods, ext_absences, ext_vacancies and ext_supervisions."""
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
    ab = absences(ctx, wf)
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
    sup = supervisions(ctx, wf)
    tables["ext_supervisions"] = {
        "supervision_id": np.arange(len(sup["worker"])) + 1_900_001,
        "worker_id": sup["worker"],
        "supervision_date": sup["day"],
        "supervisor_id": sup["supervisor"],
    }


def absences(ctx: Context, wf: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Sickness mostly, at the profile's days per FTE (thinned to follow the curve), plus training
    and other leave."""
    rng, cal, p = ctx.rng, ctx.cal, ctx.profile
    start = np.maximum(wf["period_start"], ctx.d0 - 366)
    end = np.where(wf["period_end"] == NA, ctx.d1 + 1, np.minimum(wf["period_end"], ctx.d1 + 1))
    years = np.maximum(end - start, 0) / YEAR
    fte = wf["period_fte"]
    s_max = float(np.max([v for _, v in p.sickness_days_per_fte]))
    mean_len = 6.5
    count = rng.poisson(years * fte * (s_max / mean_len + 1.6))
    pi, _ = ragged(count)
    m = len(pi)
    day = start[pi] + (rng.random(m) * (end[pi] - start[pi])).astype(np.int64)
    day = cal.add(day - 1, 1)
    sick_share = (s_max / mean_len) / (s_max / mean_len + 1.6)
    sick = rng.random(m) < sick_share
    accept = ~sick | (rng.random(m) < ctx.curve(p.sickness_days_per_fte, day) / s_max)
    u = rng.random(m)
    sick_len = np.where(
        u < 0.7,
        rng.integers(1, 4, m),
        np.where(u < 0.92, rng.integers(4, 16, m), rng.integers(16, 61, m)),
    )
    other_reason = choice(
        rng, ["TRN", "OTH", "PUB", "UNA", "UNP", "MAT"], [45, 25, 5, 11, 11, 3], m
    )
    other_len = np.where(other_reason == "MAT", rng.integers(100, 200, m), rng.integers(1, 4, m))
    reason = np.where(sick, "SIC", other_reason)
    length = np.where(sick, sick_len, other_len)
    finish = cal.add(day, length - 1)
    keep = accept & (day < end[pi])
    pi, day, finish, reason, length = pi[keep], day[keep], finish[keep], reason[keep], length[keep]
    lost = np.round(length * fte[pi], 1)
    order = np.lexsort((day, wf["period_worker"][pi]))
    return {
        "worker": wf["period_worker"][pi][order],
        "start": day[order],
        "end": finish[order],
        "reason": reason[order],
        "lost": np.where(rng.random(len(order)) < 0.7, lost[order], np.nan),
    }


def supervisions(ctx: Context, wf: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    rng, p = ctx.rng, ctx.profile
    holders = np.flatnonzero(np.isin(wf["period_role"], [4, 5]))
    start = np.maximum(wf["period_start"][holders], ctx.d0 - 60)
    end = np.where(wf["period_end"][holders] == NA, ctx.d1 + 1, wf["period_end"][holders])
    cur = start + rng.integers(3, 25, len(holders))
    out_i, out_day = [], []
    active = np.arange(len(holders))
    while len(active):
        ok = cur[active] < np.minimum(end[active], ctx.d1 + 1)
        active = active[ok]
        out_i.append(active)
        out_day.append(cur[active].copy())
        gap = ctx.curve(p.supervision_gap_days, cur[active])
        cur[active] += np.maximum(rng.normal(gap, 7), 7).astype(np.int64)
    rows = holders[np.concatenate(out_i)]
    day = np.concatenate(out_day)
    # The supervisor: the team's first team manager, where there is one.
    team = wf["period_team"][rows]
    managers = {}
    for t, w, r in zip(
        wf["period_team"].tolist(),
        wf["period_worker"].tolist(),
        wf["period_role"].tolist(),
        strict=True,
    ):
        if r == 3 and t not in managers:
            managers[t] = w
    sup = np.array([managers.get(t, -1) for t in team.tolist()], dtype=np.int64)
    sup = np.where(rng.random(len(rows)) < 0.15, -1, sup)
    order = np.lexsort((day, wf["period_worker"][rows]))
    return {"worker": wf["period_worker"][rows][order], "day": day[order], "supervisor": sup[order]}
