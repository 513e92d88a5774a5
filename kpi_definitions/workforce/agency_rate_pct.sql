-- Agency social workers' share of social work FTE at D, by team (and through la.yaml, by
-- service area).
with social_workers as (
    -- workers in post at D (the block workers_at_date: the worker's period open at D) who are
    -- CSWW social workers (org_role 1-6); a blank agency flag is neither employed nor agency,
    -- so the worker is in neither the numerator nor the denominator (Clarification 22)
    select *
    from workers_at_date
    where org_role in ('1', '2', '3', '4', '5', '6')
      and agency is not null
)
select
    as_at_date,
    team_id as team,
    case when agency then fte else 0 end as numerator,
    fte as denominator
from social_workers
