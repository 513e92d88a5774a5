"""Teams, and the social workers' periods in them with vacancies at month ends
(``workforce_tables``: absences, supervisions; ``allocation``: workers to cases).

Each team has an establishment (FTE). Every month employed workers leave at the profile's
turnover rate, a few move team, and the team recruits toward ``establishment x (1 - vacancy
rate)`` employed FTE, topped up with agency workers to the profile's agency share. Vacancies
at month ends, agency share and turnover are therefore consistent with each other.
"""

import math

import numpy as np

from pipelines.synthetic.common import YEAR, Context, Team, choice
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
