-- Children looked after at the end of each period end D (open CLA episode at D, no V3/V4 legal
-- status open at D): the children of the block children_looked_after, counted at each D from
-- the days each child's stretches of care (the block care_stretches) start and end.
with changes as (
    -- +1 on the day a stretch starts, -1 on the day it ends (9999-12-31: it has not)
    select from_date as d, 1 as change from care_stretches
    union all
    select to_date, -1 from care_stretches where to_date < date '9999-12-31'
),
counts as (
    select d, sum(sum(change)) over (order by d) as children
    from changes
    group by d
)
select a.as_at_date, coalesce(c.children, 0) as numerator, null as denominator
from as_at_dates a
asof left join counts c on c.d <= a.as_at_date
