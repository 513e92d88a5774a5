-- Case-holding senior practitioners and case holders (org_role 4 or 5) at D who had a
-- supervision in the `supervision_days` days to D (local standard; 30 days by default).
with cohort as (
    -- org_role 4 or 5 at D (the worker's period open at D, the block workers_at_date) holding
    -- at least one case at D (the block worker_caseloads: allocations open at D, involvements
    -- whose role maps to ALLOCATED_SOCIAL_WORKER in la.yaml), employed or agency alike
    select w.as_at_date, w.worker_id
    from workers_at_date w
    asof join worker_caseloads c on c.worker_id = w.worker_id and c.from_date <= w.as_at_date
    where w.org_role in ('4', '5') and c.cases > 0
),
supervisions as (
    select worker_id, supervision_date from ext_supervisions where supervision_date is not null
),
latest_supervision as (
    -- the worker's latest supervision on or before D: if it is not in the window, none is
    select c.as_at_date, c.worker_id, s.supervision_date
    from cohort c
    asof left join supervisions s
      on s.worker_id = c.worker_id and s.supervision_date <= c.as_at_date
)
-- "the N days to D" = (D - N days, D], as "the 12 months to D" (Clarification 3)
select
    as_at_date,
    case
        when supervision_date > as_at_date - cast(getvariable('supervision_days') as integer)
            then 1
        else 0
    end as numerator,
    1 as denominator
from latest_supervision
