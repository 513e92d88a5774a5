-- Children looked after at D (denominator) and those whose current placement is of type K1, K2
-- (numerator), from the counts of the block cla_placement_mix.
select
    a.as_at_date,
    coalesce(m.homes, 0) as numerator,
    coalesce(m.looked_after, 0) as denominator
from as_at_dates a
asof left join cla_placement_mix m on m.d <= a.as_at_date
