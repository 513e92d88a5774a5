-- Children looked after at D (denominator) placed with family or friends (numerator), by the
-- type of their current placement. A child with no open placement stays in the denominator and
-- is never in the numerator. Counted at each D from the days each child's stretches of care
-- (the block care_stretches) and of a family or friends current placement
-- (cla_current_pl_stretches) start and end: the same children as children_looked_after and
-- cla_current_placement at D, without a row for every child and D.
with changes as (
    -- +1 on the day a stretch starts, -1 on the day it ends (9999-12-31: it has not)
    select from_date as d, 0 as placed_change, 1 as looked_after_change from care_stretches
    union all
    select to_date, 0, -1 from care_stretches where to_date < date '9999-12-31'
    union all
    select from_date, 1, 0 from cla_current_pl_stretches
    where placement_type in ('U1', 'U2', 'U3', 'P1')
    union all
    select to_date, -1, 0 from cla_current_pl_stretches
    where to_date < date '9999-12-31' and placement_type in ('U1', 'U2', 'U3', 'P1')
),
counts as (
    select
        d,
        sum(sum(placed_change)) over (order by d) as placed,
        sum(sum(looked_after_change)) over (order by d) as looked_after
    from changes
    group by d
)
select
    a.as_at_date,
    coalesce(c.placed, 0) as numerator,
    coalesce(c.looked_after, 0) as denominator
from as_at_dates a
asof left join counts c on c.d <= a.as_at_date
