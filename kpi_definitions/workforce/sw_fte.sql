-- Full-time equivalent social workers in post at D, employed and agency together.
with worker_at_date as (
    -- a worker counts at D when a period is open at D (start <= D, end blank or after D);
    -- should two periods of one worker overlap, the one that started last
    select a.as_at_date, w.worker_id, w.team_id, w.fte, w.agency, w.org_role
    from as_at_dates a
    join ext_worker_periods w
      on w.period_start <= a.as_at_date
     and (w.period_end is null or w.period_end > a.as_at_date)
    qualify row_number() over (
        partition by a.as_at_date, w.worker_id
        order by w.period_start desc, w.period_end desc nulls first, w.team_id, w.fte desc
    ) = 1
),
social_workers as (
    -- CSWW children and family social workers (org_role 1-6); a blank agency flag is neither
    -- employed nor agency, so it is not counted (Clarification 22)
    select *
    from worker_at_date
    where org_role in ('1', '2', '3', '4', '5', '6')
      and agency is not null
)
select as_at_date, fte as numerator, cast(null as double) as denominator
from social_workers
