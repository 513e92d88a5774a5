"""Who worked with each child: allocated social workers for every open case (assessment,
then fieldwork or care), duty workers at the front door, and personal advisers for care
leavers (``ssd_involvements``)."""

import numpy as np

from pipelines.synthetic.allocation import WorkerIndex, allocate
from pipelines.synthetic.common import Context, Table
from pipelines.synthetic.history import History
from pipelines.synthetic.workdays import NA, years_later


def involvements(
    ctx: Context, r: Table, keep: np.ndarray, refs: Table, per: Table, wf: Table, history: History
) -> None:
    """Allocated social workers for every open case, duty workers at the front door, and
    personal advisers for care leavers."""
    rng, tables = ctx.rng, history.tables
    main = np.flatnonzero(keep & r["assessed"])
    delay = np.where(
        rng.random(len(main)) < 0.5,
        0,
        np.where(
            rng.random(len(main)) < 0.7,
            rng.integers(1, 3, len(main)),
            rng.integers(3, 12, len(main)),
        ),
    )
    a_start = r["day"][main] + delay
    a_end = np.minimum(r["done"][main], r["close"][main])
    continues = (r["cin"][main] | r["plan"][main]) & (r["close"][main] > r["done"][main] + 7)
    to_care = r["care_entry"][main] != NA
    b_end = np.where(to_care, r["care_entry"][main], r["close"][main])
    b = continues & (b_end > a_end)
    field_team = np.where(
        r["need"][main] == "N2",
        ctx.pick_team("disability", len(main)),
        ctx.pick_team("fieldwork", len(main)),
    )
    la = np.flatnonzero(~per["short_break"])
    sb_rows = np.flatnonzero(per["short_break"][refs["extra"]["period_rows"]])
    phases = {
        "person": np.concatenate(
            [
                r["person"][main],
                r["person"][main][b],
                per["person"][la],
                refs["extra"]["person"][sb_rows],
            ]
        ),
        "team": np.concatenate(
            [
                r["team"][main],
                field_team[b],
                ctx.pick_team("children_in_care", len(la)),
                refs["extra"]["team"][sb_rows],
            ]
        ),
        "start": np.concatenate(
            [a_start, a_end[b], per["entry"][la], refs["extra"]["day"][sb_rows] + 5]
        ),
        "end": np.concatenate(
            [
                np.maximum(a_end, a_start + 1),
                np.maximum(b_end[b], a_end[b] + 1),
                per["end"][la],
                refs["extra"]["close"][sb_rows],
            ]
        ),
        "end_reason": np.concatenate(
            [
                np.where(b, "TSPROC", ""),
                np.where(to_care[b], "TSPROC", ""),
                np.full(len(la), "", dtype=object),
                np.full(len(sb_rows), "", dtype=object),
            ]
        ).astype(object),
        "kind": np.concatenate(
            [
                np.full(len(main), 0),
                np.full(int(b.sum()), 1),
                np.full(len(la), 2),
                np.full(len(sb_rows), 3),
            ]
        ),
    }
    index = WorkerIndex(ctx, wf, (4, 5))
    alloc = allocate(ctx, index, phases)
    # The assessing worker is the first worker of the assessment phase.
    first = np.concatenate([[True], alloc["phase"][1:] != alloc["phase"][:-1]])
    a_phase = alloc["phase"][first & (alloc["phase"] < len(main))]
    a_worker = alloc["worker"][first & (alloc["phase"] < len(main))]
    worker_of_ref = np.full(len(r["day"]), -1, dtype=np.int64)
    worker_of_ref[main[a_phase]] = a_worker
    assessments = tables["ssd_cin_assessments"]
    assessments["cina_assessment_worker_id"] = worker_of_ref[assessments.pop("_ref")]

    # Duty workers at the front door: a role code the LA does not map (ignored by the ingest).
    duty = np.flatnonzero(keep & (r["day"] >= ctx.d0) & (rng.random(len(r["day"])) < 0.3))
    duty_index = WorkerIndex(ctx, wf, (4, 5, 6))
    d_worker, _, d_team = duty_index.pick(
        rng, ctx.pick_team("front_door", len(duty)), r["day"][duty]
    )
    ok = d_worker >= 0
    duty, d_worker, d_team = duty[ok], d_worker[ok], d_team[ok]

    # Personal advisers: from 17 and three quarters (or on leaving care at 16-17) to 21 or 25.
    pa = _personal_advisers(ctx, history)
    team_code = np.array([t.team_id for t in ctx.teams], dtype=object)
    cl_team = ctx.team_ids("care_leavers")[0]
    person = np.concatenate([phases["person"][alloc["phase"]], r["person"][duty], pa["person"]])
    start = np.concatenate([alloc["start"], r["day"][duty], pa["start"]])
    end = np.concatenate([alloc["end"], r["day"][duty] + rng.integers(0, 3, len(duty)), pa["end"]])
    keep_rows = (end >= ctx.d0 - 366) & (start <= ctx.d1)
    order = np.lexsort((start, person))
    order = order[keep_rows[order]]
    tables["ssd_involvements"] = {
        "invo_involvements_id": np.arange(len(order)) + 2_000_001,
        "invo_professional_id": np.concatenate([alloc["worker"], d_worker, pa["worker"]])[order],
        "invo_professional_role_id": np.concatenate(
            [
                np.full(len(alloc["worker"]), "SW"),
                np.full(len(duty), "DUTY"),
                np.full(len(pa["person"]), "PA"),
            ]
        )[order],
        "invo_professional_team": np.concatenate(
            [
                team_code[alloc["team"]],
                team_code[d_team],
                np.full(len(pa["person"]), team_code[cl_team]),
            ]
        )[order],
        "invo_involvement_start_date": start[order],
        "invo_involvement_end_date": end[order],
        "invo_worker_change_reason": np.concatenate(
            [alloc["reason"], np.full(len(duty), "", dtype=object), pa["reason"]]
        ).astype(object)[order],
        "invo_person_id": person[order],
    }


def _personal_advisers(ctx: Context, history: History) -> Table:
    rng, p = ctx.rng, ctx.profile
    cp = history.care_periods
    reg = history.care_register
    # Young people who were looked after for 13 weeks since 14 and on or after their 16th birthday.
    person, inv = np.unique(cp["person"], return_inverse=True)
    dob = np.zeros(len(person), dtype=np.int64)
    dob[inv] = cp["dob"]
    b14 = years_later(cp["dob"], 14)
    days14 = np.maximum(
        np.minimum(cp["end"], years_later(cp["dob"], 18)) - np.maximum(cp["entry"], b14), 0
    )
    cum = np.bincount(inv, weights=days14, minlength=len(person))
    last_end = np.full(len(person), -(10**9), dtype=np.int64)
    np.maximum.at(last_end, inv, cp["end"])
    sixteen = years_later(dob, 16)
    eighteen = years_later(dob, 18)
    eligible = (cum >= 91) & (last_end >= sixteen)
    left_early = last_end < eighteen
    start_cla = np.where(
        left_early,
        last_end + rng.integers(0, 60, len(person)),
        eighteen - rng.integers(30, 120, len(person)),
    )
    h_eighteen = years_later(reg["dob"], 18)
    start_hist = np.where(
        reg["left"] < h_eighteen,
        reg["left"] + rng.integers(0, 60, len(reg["dob"])),
        h_eighteen - rng.integers(30, 120, len(reg["dob"])),
    )
    people = np.concatenate([person[eligible], reg["person"][~reg["qualifying"]]])
    dobs = np.concatenate([dob[eligible], reg["dob"][~reg["qualifying"]]])
    start = np.concatenate([start_cla[eligible], start_hist[~reg["qualifying"]]])
    u = rng.random(len(people))
    pa21 = float(ctx.pct(p.pa_21plus_pct, np.array([ctx.d1]))[0])
    # Support to 25 means to the 26th birthday (a care leaver is "aged 21-25" until then).
    end = np.where(u < pa21, years_later(dobs, 26), years_later(dobs, 21))
    has = (u < 0.96) & (start <= ctx.d1) & (end > start)
    people, start, end = people[has], start[has], end[has]
    n_pa = max(2, int(np.ceil(len(people) / 25 * 0.5)))
    # Personal advisers are numbered from 9001, after the social workers: at large scales the
    # workforce itself reaches 9001, and a shared id would make two ssd_professionals rows.
    workers = history.workforce["period_worker"]
    first_pa = max(9001, int(workers.max()) + 1 if len(workers) else 0)
    history.pa_ids = np.arange(n_pa, dtype=np.int64) + first_pa
    worker = history.pa_ids[rng.integers(0, n_pa, len(people))]
    return {
        "person": people,
        "start": start,
        "end": end,
        "worker": worker,
        "reason": np.where(end < years_later(dobs[has], 26), "OTHERS", "").astype(object),
    }
