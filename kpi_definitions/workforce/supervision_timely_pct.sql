-- Case-holding senior practitioners and case holders (org_role 4 or 5) at D who had a
-- supervision in the `supervision_days` days to D (local standard; 30 days by default). Each
-- worker's period in force, caseload and supervisions are followed as stretches of days, and the
-- workers counted at each D from the days those stretches start and end (repeating every worker
-- for every D ran to millions of rows at large volumes).
with holding_cases as (
    -- the stretches of days the worker held at least one case (the block worker_caseloads:
    -- allocations open at D, involvements whose role maps to ALLOCATED_SOCIAL_WORKER in la.yaml)
    select worker_id, from_date, to_date from worker_caseloads where cases > 0
),
cohort as (
    -- org_role 4 or 5 at D (the worker's period in force at D, the block
    -- worker_periods_in_force) holding at least one case at D, employed or agency alike
    select
        w.worker_id,
        greatest(w.from_date, h.from_date) as from_date,
        least(w.to_date, h.to_date) as to_date
    from worker_periods_in_force w
    join holding_cases h
      on h.worker_id = w.worker_id
     and h.from_date < w.to_date
     and h.to_date > w.from_date
    where w.org_role in ('4', '5')
),
supervision_cover as (
    -- "the N days to D" = (D - N days, D], as "the 12 months to D" (Clarification 3): the
    -- worker's latest supervision on or before D is this one until the next, and is in the
    -- window until N days after it
    select
        worker_id,
        supervision_date as from_date,
        least(
            lead(supervision_date, 1, date '9999-12-31') over (
                partition by worker_id order by supervision_date
            ),
            supervision_date + cast(getvariable('supervision_days') as integer)
        ) as to_date
    from (
        select distinct worker_id, supervision_date
        from ext_supervisions
        where supervision_date is not null
    )
),
supervised as (
    select
        greatest(c.from_date, s.from_date) as from_date,
        least(c.to_date, s.to_date) as to_date
    from cohort c
    join supervision_cover s
      on s.worker_id = c.worker_id
     and s.from_date < c.to_date
     and s.to_date > c.from_date
),
changes as (
    select from_date as d, 0 as supervised_change, 1 as cohort_change from cohort
    union all
    select to_date, 0, -1 from cohort where to_date < date '9999-12-31'
    union all
    select from_date, 1, 0 from supervised where from_date < to_date
    union all
    select to_date, -1, 0 from supervised where from_date < to_date and to_date < date '9999-12-31'
),
counts as (
    select
        d,
        sum(sum(supervised_change)) over (order by d) as supervised_workers,
        sum(sum(cohort_change)) over (order by d) as cohort_workers
    from changes
    group by d
)
select
    a.as_at_date,
    coalesce(c.supervised_workers, 0) as numerator,
    coalesce(c.cohort_workers, 0) as denominator
from as_at_dates a
asof left join counts c on c.d <= a.as_at_date
