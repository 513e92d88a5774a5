-- Children looked after at D (denominator) with no placement open at D (numerator): the
-- children looked after less those with a current placement. Counted at each D from the days
-- each child's stretches of care (the block care_stretches) and of a current placement
-- (cla_current_pl_stretches, only ever within care) start and end: the same children as
-- children_looked_after and cla_current_placement at D, without a row for every child and D.
with changes as (
    -- +1 on the day a stretch starts, -1 on the day it ends (9999-12-31: it has not)
    select from_date as d, 0 as placed_change, 1 as looked_after_change from care_stretches
    union all
    select to_date, 0, -1 from care_stretches where to_date < date '9999-12-31'
    union all
    select from_date, 1, 0 from cla_current_pl_stretches
    union all
    select to_date, -1, 0 from cla_current_pl_stretches where to_date < date '9999-12-31'
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
    coalesce(c.looked_after - c.placed, 0) as numerator,
    coalesce(c.looked_after, 0) as denominator
from as_at_dates a
asof left join counts c on c.d <= a.as_at_date
