-- Case-holding senior practitioners and case holders (org_role 4 or 5) at D who had a
-- supervision in the `supervision_days` days to D (local standard; 30 days by default).
with allocations as (
    -- involvements open at D whose role maps to ALLOCATED_SOCIAL_WORKER in la.yaml
    select distinct a.as_at_date, i.invo_professional_id as worker_id
    from as_at_dates a
    join ssd_involvements i
      on i.invo_involvement_start_date <= a.as_at_date
     and (i.invo_involvement_end_date is null or i.invo_involvement_end_date > a.as_at_date)
    join la_roles r
      on r.role_code = upper(trim(i.invo_professional_role_id))
     and r.role = 'ALLOCATED_SOCIAL_WORKER'
),
worker_at_date as (
    -- the worker's period open at D gives the role; should two periods of one worker
    -- overlap, the one that started last
    select a.as_at_date, w.worker_id, w.org_role
    from as_at_dates a
    join ext_worker_periods w
      on w.period_start <= a.as_at_date
     and (w.period_end is null or w.period_end > a.as_at_date)
    qualify row_number() over (
        partition by a.as_at_date, w.worker_id
        order by w.period_start desc, w.period_end desc nulls first, w.team_id, w.fte desc
    ) = 1
),
cohort as (
    -- org_role 4 or 5 at D holding at least one case at D (employed or agency alike)
    select w.as_at_date, w.worker_id
    from worker_at_date w
    join allocations c on c.as_at_date = w.as_at_date and c.worker_id = w.worker_id
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
