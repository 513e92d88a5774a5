-- Full-time equivalent social workers in post at D, employed and agency together.
with social_workers as (
    -- workers in post at D (the block workers_at_date: the worker's period open at D) who are
    -- CSWW children and family social workers (org_role 1-6); a blank agency flag is neither
    -- employed nor agency, so it is not counted (Clarification 22)
    select *
    from workers_at_date
    where org_role in ('1', '2', '3', '4', '5', '6')
      and agency is not null
)
select as_at_date, fte as numerator, cast(null as double) as denominator
from social_workers
