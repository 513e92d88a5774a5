-- Children with an open case at the end of D (a referral episode, CP plan or care episode) and
-- no allocated social worker at D, each child once (the block person_status_stretches): every
-- stretch with an open case counts 1, less 1 on the days the child was also allocated.
with open_cases as (
    select person_id, from_date, to_date from person_status_stretches where status = 'open_any'
),
allocated as (
    select person_id, from_date, to_date from person_status_stretches where status = 'allocated'
)
select from_date, to_date, 1 as numerator, null as denominator
from open_cases
union all
select greatest(o.from_date, a.from_date), least(o.to_date, a.to_date), -1, null
from open_cases o
join allocated a
  on a.person_id = o.person_id
 and (o.to_date is null or a.from_date < o.to_date)
 and (a.to_date is null or o.from_date < a.to_date)
