"""Teams, social workers (periods, absences, supervisions, vacancies) and allocations.

Each team has an establishment (FTE). Every month employed workers leave at the profile's
turnover rate, a few move team, and the team recruits toward ``establishment x (1 - vacancy
rate)`` employed FTE, topped up with agency workers to the profile's agency share. Vacancies
at month ends, agency share and turnover are therefore consistent with each other.
"""

import math

import numpy as np

from pipelines.synthetic.common import YEAR, Context, Team, choice, ragged
from pipelines.synthetic.workdays import NA, add_months

AREAS = (
    # area, share of social work FTE, team name, service id, service name, most teams
    ("front_door", 0.10, "MASH", "SVC1", "Front Door and Assessment", 2),
    ("assessment", 0.20, "Assessment Team", "SVC1", "Front Door and Assessment", 6),
    ("fieldwork", 0.36, "Safeguarding Team", "SVC2", "Safeguarding and Family Support", 8),
    ("disability", 0.06, "Disabled Children's Team", "SVC2", "Safeguarding and Family Support", 2),
    ("children_in_care", 0.22, "Children in Care Team", "SVC3", "Children in Care", 6),
    ("care_leavers", 0.04, "Leaving Care Team", "SVC3", "Children in Care", 1),
    ("other", 0.02, "Quality Assurance Unit", "SVC4", "Quality Assurance", 1),
)
TEAM_FTE = 12.0
FTE_VALUES = ["1.0", "0.8", "0.6", "0.5"]
FTE_WEIGHTS = [78, 10, 7, 5]
CHANGE_REASONS = ["MANAGE", "ORGRST", "ABSENC", "CHCHAN", "PCCHAN", "FCONTA", "OTHERS"]
CHANGE_WEIGHTS = [35, 15, 10, 5, 5, 5, 25]
JOB_TITLES = {
    1: "Head of Service",
    2: "Service Manager",
    3: "Team Manager",
    4: "Senior Practitioner",
    5: "Social Worker",
    6: "Social Worker (not case holding)",
}


def make_teams(profile_fte: float) -> list[Team]:
    """Teams sized from the social work establishment (FTE); at least one per service area."""
    teams: list[Team] = []
    for area, share, name, svc, svc_name, most in AREAS:
        fte = profile_fte * share
        count = int(min(most, max(1, round(fte / TEAM_FTE))))
        for k in range(count):
            label = name if count == 1 else f"{name} {k + 1}"
            teams.append(Team(f"T{len(teams) + 1:02d}", label, area, svc, svc_name, fte / count))
    return teams


def establishment_fte(ctx: Context, first_day: int) -> float:
    p = ctx.profile
    in_post = p.sw_fte_per_10k * float(ctx.per10k(np.array([ctx.d0]))[0])
    a = float(ctx.pct(p.agency_pct, np.array([first_day]))[0])
    v = float(ctx.pct(p.vacancy_pct, np.array([first_day]))[0])
    return in_post * (1 - a) / (1 - v)


class _Staff:
    """Growing arrays of workers and their periods (open periods carry role and agency)."""

    def __init__(self, first_id: int) -> None:
        self.next_id = first_id
        self.closed: list[tuple[np.ndarray, ...]] = []
        self.o_worker = np.zeros(0, dtype=np.int64)
        self.o_team = np.zeros(0, dtype=np.int64)
        self.o_start = np.zeros(0, dtype=np.int64)
        self.o_fte = np.zeros(0, dtype=np.float64)
        self.o_role = np.zeros(0, dtype=np.int64)
        self.o_agency = np.zeros(0, dtype=bool)

    def hire(
        self, team: int, starts: np.ndarray, ftes: np.ndarray, roles: np.ndarray, agency: bool
    ) -> None:
        n = len(starts)
        ids = np.arange(self.next_id, self.next_id + n, dtype=np.int64)
        self.next_id += n
        self.open(ids, np.full(n, team), starts, ftes, np.asarray(roles), np.full(n, agency))

    def open(
        self,
        workers: np.ndarray,
        teams: np.ndarray,
        starts: np.ndarray,
        ftes: np.ndarray,
        roles: np.ndarray,
        agency: np.ndarray,
    ) -> None:
        self.o_worker = np.concatenate([self.o_worker, workers])
        self.o_team = np.concatenate([self.o_team, teams])
        self.o_start = np.concatenate([self.o_start, starts])
        self.o_fte = np.concatenate([self.o_fte, ftes])
        self.o_role = np.concatenate([self.o_role, roles])
        self.o_agency = np.concatenate([self.o_agency, agency])

    def close(self, mask: np.ndarray, ends: np.ndarray, reasons: np.ndarray) -> None:
        self.closed.append(
            (
                self.o_worker[mask],
                self.o_team[mask],
                self.o_start[mask],
                ends,
                self.o_fte[mask],
                reasons,
                self.o_role[mask],
                self.o_agency[mask],
            )
        )
        keep = ~mask
        for name in ("o_worker", "o_team", "o_start", "o_fte", "o_role", "o_agency"):
            setattr(self, name, getattr(self, name)[keep])


def _roles(rng: np.random.Generator, area: str, n: int, agency: bool) -> np.ndarray:
    if area == "other":
        return rng.choice([1, 2, 2, 6], size=n)
    if agency:
        return np.where(rng.random(n) < 0.88, 5, 4)
    return rng.choice([4, 5, 6], size=n, p=[0.16, 0.77, 0.07])


def simulate_workforce(ctx: Context) -> dict[str, np.ndarray]:
    """Worker periods from a year before the window to its end, plus vacancies at month ends."""
    rng, p = ctx.rng, ctx.profile
    w0 = int(
        np.datetime64(int(ctx.d0 - 365), "D")
        .astype("datetime64[M]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )
    teams = ctx.teams
    est = np.array([t.establishment_fte for t in teams])
    staff = _Staff(first_id=5001)
    fte_draw = lambda n: choice(rng, FTE_VALUES, FTE_WEIGHTS, n).astype(np.float64)  # noqa: E731

    # The workforce on the first day: long-serving employees and recent agency workers.
    v0 = float(ctx.pct(p.vacancy_pct, np.array([w0]))[0])
    a0 = float(ctx.pct(p.agency_pct, np.array([w0]))[0])
    for t, team in enumerate(teams):
        emp_n = max(2, math.ceil(est[t] * (1 - v0) / 0.93))
        starts = w0 - np.minimum(rng.exponential(4 * YEAR, emp_n), 20 * YEAR).astype(np.int64) - 1
        roles = _roles(rng, team.area, emp_n, False)
        if team.area != "other":
            roles[0] = 3
        staff.hire(t, starts, fte_draw(emp_n), roles, False)
        ag_n = round(float(est[t]) * (1 - v0) * a0 / (1 - a0) / 0.97)
        if ag_n:
            starts = w0 - rng.exponential(0.7 * YEAR, ag_n).astype(np.int64) - 1
            staff.hire(t, starts, np.ones(ag_n), _roles(rng, team.area, ag_n, True), True)

    vac_team, vac_day, vac_fte = [], [], []
    month = w0
    area_of = np.array([t.area for t in teams])
    while month <= ctx.d1:
        nxt = int(add_months(np.array([month]), 1)[0])
        ndays = nxt - month
        mid = np.array([month + 14])
        turnover = float(ctx.pct(p.turnover_pct, mid)[0])
        vac = float(ctx.pct(p.vacancy_pct, mid)[0])
        ag = float(ctx.pct(p.agency_pct, mid)[0])
        n_open = len(staff.o_worker)
        agency = staff.o_agency
        hazard = np.where(agency, 0.045, 1 - (1 - turnover) ** (1 / 12))
        leave = (rng.random(n_open) < hazard) & (staff.o_start < month)
        day = month + rng.integers(0, ndays, n_open)
        reasons = np.where(
            agency,
            "end of agency contract",
            choice(
                rng,
                ["resigned", "retired", "career move", "dismissed", "other"],
                [55, 12, 25, 3, 5],
                n_open,
            ),
        ).astype(object)
        staff.close(leave, day[leave], reasons[leave])
        # Team moves and FTE changes: a new, contiguous period for the same worker.
        n_open = len(staff.o_worker)
        agency = staff.o_agency
        roll = rng.random(n_open)
        move = ~agency & (roll < 0.003) & (staff.o_start < month)
        change = ~agency & (roll >= 0.003) & (roll < 0.005) & (staff.o_start < month)
        for mask, moving in ((move, True), (change, False)):
            if not mask.any():
                continue
            day = month + rng.integers(0, ndays, int(mask.sum()))
            workers, old_team, old_fte = staff.o_worker[mask], staff.o_team[mask], staff.o_fte[mask]
            roles, agencies = staff.o_role[mask], staff.o_agency[mask]
            staff.close(mask, day, np.full(int(mask.sum()), "", dtype=object))
            if moving:
                new_team = np.array(
                    [_other_team(rng, area_of, t) for t in old_team.tolist()], dtype=np.int64
                )
                staff.open(workers, new_team, day, old_fte, roles, agencies)
            else:
                staff.open(
                    workers, old_team, day, np.where(old_fte == 1.0, 0.8, 1.0), roles, agencies
                )
        # Agency workers released when the team has more than its agency target.
        emp_target = est * (1 - vac)
        ag_target = emp_target * ag / (1 - ag)
        agency = staff.o_agency
        ag_fte = np.bincount(staff.o_team, weights=staff.o_fte * agency, minlength=len(teams))
        release = np.zeros(len(staff.o_worker), dtype=bool)
        for t in np.flatnonzero(ag_fte > ag_target + 0.3).tolist():
            cand = np.flatnonzero(agency & (staff.o_team == t) & (staff.o_start < month))
            k = min(len(cand), int(ag_fte[t] - ag_target[t]))
            release[rng.permutation(cand)[:k]] = True
        if release.any():
            n_rel = int(release.sum())
            staff.close(
                release,
                month + rng.integers(0, ndays, n_rel),
                np.full(n_rel, "end of agency contract", dtype=object),
            )
        # Recruitment toward the targets.
        agency = staff.o_agency
        emp_fte = np.bincount(staff.o_team, weights=staff.o_fte * ~agency, minlength=len(teams))
        ag_fte = np.bincount(staff.o_team, weights=staff.o_fte * agency, minlength=len(teams))
        has_manager = np.bincount(staff.o_team[staff.o_role == 3], minlength=len(teams)) > 0
        for t, team in enumerate(teams):
            need_emp = emp_target[t] - emp_fte[t]
            n_emp = int(need_emp / 0.92 + rng.random()) if need_emp > 0.3 else 0
            if n_emp:
                roles = _roles(rng, team.area, n_emp, False)
                if team.area != "other" and not has_manager[t]:
                    roles[0] = 3
                staff.hire(t, month + rng.integers(0, ndays, n_emp), fte_draw(n_emp), roles, False)
            need_ag = ag_target[t] - ag_fte[t]
            n_ag = int(need_ag + rng.random()) if need_ag > 0.3 else 0
            if n_ag:
                staff.hire(
                    t,
                    month + rng.integers(0, ndays, n_ag),
                    np.ones(n_ag),
                    _roles(rng, team.area, n_ag, True),
                    True,
                )
        # Vacant FTE per team at the month end.
        month_end = nxt - 1
        if month_end >= ctx.d0 - 40:
            emp_fte = np.bincount(
                staff.o_team, weights=staff.o_fte * ~staff.o_agency, minlength=len(teams)
            )
            vac_team.append(np.arange(len(teams)))
            vac_day.append(np.full(len(teams), month_end))
            vac_fte.append(np.round(np.maximum(est - emp_fte, 0.0), 1))
        month = nxt

    n_open = len(staff.o_worker)
    staff.close(np.ones(n_open, dtype=bool), np.full(n_open, NA), np.full(n_open, "", dtype=object))
    worker, team_of, start, end, fte, reason, role, agency = (
        np.concatenate(c) for c in zip(*staff.closed, strict=True)
    )
    # Keep what a KPI can look back to: periods open within the year before the window.
    keep = (end == NA) | (end >= ctx.d0 - 366)
    order = np.lexsort((start[keep], worker[keep]))
    periods = {
        "worker": worker[keep][order],
        "team": team_of[keep][order],
        "start": start[keep][order],
        "end": end[keep][order],
        "fte": fte[keep][order],
        "leaving_reason": reason[keep][order],
        "agency": agency[keep][order],
        "role": role[keep][order],
    }
    # A leaving reason only on a worker's last period.
    w = periods["worker"]
    last = np.concatenate([w[1:] != w[:-1], [True]])
    periods["leaving_reason"] = np.where(last, periods["leaving_reason"], "").astype(object)
    return {
        **{f"period_{k}": v for k, v in periods.items()},
        "vacancy_team": np.concatenate(vac_team),
        "vacancy_day": np.concatenate(vac_day),
        "vacancy_fte": np.concatenate(vac_fte),
    }


def _other_team(rng: np.random.Generator, area_of: np.ndarray, team: int) -> int:
    same = np.flatnonzero(area_of == area_of[team])
    same = same[same != team]
    if len(same) == 0:
        same = np.flatnonzero(np.isin(area_of, ["assessment", "fieldwork", "children_in_care"]))
        same = same[same != team]
    return int(same[rng.integers(0, len(same))])


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


class WorkerIndex:
    """Which case-holding workers are in a team throughout each 28-day block, for allocation."""

    def __init__(self, ctx: Context, wf: dict[str, np.ndarray], roles: tuple[int, ...]) -> None:
        self.base = ctx.d0 - 800
        self.n_blocks = (ctx.d1 + 400 - self.base) // 28 + 1
        rows = np.flatnonzero(np.isin(wf["period_role"], roles))
        ps = wf["period_start"][rows]
        pe = np.where(wf["period_end"][rows] == NA, ctx.d1 + 10_000, wf["period_end"][rows])
        first = np.maximum(-((self.base - ps) // 28), 0)  # ceil((ps - base) / 28)
        last = np.minimum((pe - self.base - 28) // 28, self.n_blocks - 1)
        count = np.maximum(last - first + 1, 0)
        ri, k = ragged(count)
        block = first[ri] + k
        teams = wf["period_team"][rows][ri]
        area_of = np.array([ctx.teams[t].area for t in range(len(ctx.teams))])
        areas = sorted(set(area_of.tolist()))
        self.area_code = {a: i for i, a in enumerate(areas)}
        team_area = np.array([self.area_code[a] for a in area_of.tolist()], dtype=np.int64)
        self.team_area = team_area
        worker = wf["period_worker"][rows][ri]
        end = pe[ri]
        key = teams * self.n_blocks + block
        order = np.argsort(key, kind="stable")
        self.key, self.worker, self.end = key[order], worker[order], end[order]
        self.team = teams[order]
        akey = team_area[teams] * self.n_blocks + block
        order = np.argsort(akey, kind="stable")
        self.akey, self.aworker, self.aend = akey[order], worker[order], end[order]
        self.ateam = teams[order]

    def pick(
        self, rng: np.random.Generator, team: np.ndarray, day: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A worker in the team (else in another team of its area) for each (team, day): the
        worker, the end of their period and their team; worker -1 if there is none."""
        block = np.clip((day - self.base) // 28, 0, self.n_blocks - 1)
        worker = np.full(len(day), -1, dtype=np.int64)
        end = np.full(len(day), NA, dtype=np.int64)
        found_team = np.asarray(team, dtype=np.int64).copy()
        for keys, workers, ends, teams, k in (
            (self.key, self.worker, self.end, self.team, team * self.n_blocks + block),
            (
                self.akey,
                self.aworker,
                self.aend,
                self.ateam,
                self.team_area[team] * self.n_blocks + block,
            ),
        ):
            todo = worker < 0
            lo = np.searchsorted(keys, k[todo], "left")
            hi = np.searchsorted(keys, k[todo], "right")
            has = hi > lo
            j = lo + (rng.random(len(lo)) * (hi - lo)).astype(np.int64)
            idx = np.flatnonzero(todo)[has]
            worker[idx] = workers[j[has]]
            end[idx] = ends[j[has]]
            found_team[idx] = teams[j[has]]
        return worker, end, found_team


def allocate(
    ctx: Context,
    index: WorkerIndex,
    phases: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Split each phase of a case into allocations to workers.

    A phase is (person, team, start, end, end_reason, phase id). Allocations change at random
    (the profile's changes a year) and when the worker leaves the team (``LEFTRL``).
    """
    rng, p = ctx.rng, ctx.profile
    # Allocation history is kept from the index's first block (over two years before the window):
    # an allocation that began earlier is recorded from then.
    start = np.maximum(phases["start"], index.base)
    end = np.where(phases["end"] > start, phases["end"], start)
    horizon = np.minimum(end, ctx.d1 + 400)
    rate = ctx.curve(p.worker_changes_a_year, start)
    n_changes = rng.poisson(rate * np.maximum(horizon - start, 0) / YEAR)
    ci, _ = ragged(n_changes)
    cut = (
        start[ci]
        + 1
        + (rng.random(len(ci)) * np.maximum(horizon[ci] - start[ci] - 1, 0)).astype(np.int64)
    )
    seg_phase = np.concatenate([np.arange(len(start)), ci])
    seg_start = np.concatenate([start, cut])
    order = np.lexsort((seg_start, seg_phase))
    seg_phase, seg_start = seg_phase[order], seg_start[order]
    dup = np.concatenate(
        [[False], (seg_phase[1:] == seg_phase[:-1]) & (seg_start[1:] == seg_start[:-1])]
    )
    seg_phase, seg_start = seg_phase[~dup], seg_start[~dup]
    nxt_same = np.concatenate([seg_phase[1:] == seg_phase[:-1], [False]])
    seg_end = np.where(nxt_same, np.concatenate([seg_start[1:], [0]]), end[seg_phase])
    reason = np.where(
        nxt_same,
        choice(rng, CHANGE_REASONS, CHANGE_WEIGHTS, len(seg_phase)),
        phases["end_reason"][seg_phase],
    ).astype(object)

    out: dict[str, list[np.ndarray]] = {
        k: [] for k in ("phase", "start", "end", "reason", "worker", "team")
    }
    live = seg_end > seg_start  # phases that ended before the index's first block have none
    todo_phase, todo_start, todo_end, todo_reason = (
        seg_phase[live],
        seg_start[live],
        seg_end[live],
        reason[live],
    )
    for _ in range(6):
        if len(todo_phase) == 0:
            break
        worker, w_end, w_team = index.pick(rng, phases["team"][todo_phase], todo_start)
        has = worker >= 0
        leaves = has & (w_end < todo_end) & (w_end > todo_start)
        stop = np.where(leaves, w_end, todo_end)
        out["phase"].append(todo_phase[has])
        out["start"].append(todo_start[has])
        out["end"].append(stop[has])
        out["reason"].append(np.where(leaves, "LEFTRL", todo_reason)[has])
        out["worker"].append(worker[has])
        out["team"].append(w_team[has])
        todo_phase, todo_start, todo_end, todo_reason = (
            todo_phase[leaves],
            w_end[leaves],
            todo_end[leaves],
            todo_reason[leaves],
        )
    res = {k: np.concatenate(v) if v else np.zeros(0) for k, v in out.items()}
    res["phase"] = res["phase"].astype(np.int64)
    res["worker"] = res["worker"].astype(np.int64)
    res["team"] = res["team"].astype(np.int64)
    order = np.lexsort((res["start"], res["phase"]))
    return {k: v[order] for k, v in res.items()}
