-- Agency social workers' share of social work FTE at D, by team (and through la.yaml, by
-- service area).
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
    -- CSWW social workers (org_role 1-6); a blank agency flag is neither employed nor agency,
    -- so the worker is in neither the numerator nor the denominator (Clarification 22)
    select *
    from worker_at_date
    where org_role in ('1', '2', '3', '4', '5', '6')
      and agency is not null
)
select
    as_at_date,
    team_id as team,
    case when agency then fte else 0 end as numerator,
    fte as denominator
from social_workers
