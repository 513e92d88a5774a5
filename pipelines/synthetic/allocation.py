"""Allocating cases to workers: which case-holding workers are in each team over time
(``WorkerIndex``), and a case's phases split into allocations, changed at random and when a
worker leaves (``allocate``)."""

import numpy as np

from pipelines.synthetic.common import YEAR, Context, choice, ragged
from pipelines.synthetic.workdays import NA

CHANGE_REASONS = ["MANAGE", "ORGRST", "ABSENC", "CHCHAN", "PCCHAN", "FCONTA", "OTHERS"]
CHANGE_WEIGHTS = [35, 15, 10, 5, 5, 5, 25]


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
