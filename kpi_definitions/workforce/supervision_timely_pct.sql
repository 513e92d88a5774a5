-- Case-holding senior practitioners and case holders (org_role 4 or 5) at D who had a
-- supervision in the `supervision_days` days to D (local standard; 30 days by default).
with case_holders as (
    -- workers with an allocation open at D (the block allocations_at_date: involvements whose
    -- role maps to ALLOCATED_SOCIAL_WORKER in la.yaml)
    select distinct as_at_date, worker_id
    from allocations_at_date
),
cohort as (
    -- org_role 4 or 5 at D (the worker's period open at D, the block workers_at_date) holding
    -- at least one case at D (employed or agency alike)
    select w.as_at_date, w.worker_id
    from workers_at_date w
    join case_holders c on c.as_at_date = w.as_at_date and c.worker_id = w.worker_id
    where w.org_role in ('4', '5')
),
supervised as (
    -- "the N days to D" = (D - N days, D], as "the 12 months to D" (Clarification 3)
    select distinct c.as_at_date, c.worker_id
    from cohort c
    join ext_supervisions s
      on s.worker_id = c.worker_id
     and s.supervision_date <= c.as_at_date
     and s.supervision_date > c.as_at_date - cast(getvariable('supervision_days') as integer)
)
select
    c.as_at_date,
    case when s.worker_id is not null then 1 else 0 end as numerator,
    1 as denominator
from cohort c
left join supervised s on s.as_at_date = c.as_at_date and s.worker_id = c.worker_id
