-- Children looked after at D (denominator: each child's stretches of care, the block
-- care_stretches) placed with family or friends (numerator: the stretches of a current
-- placement of type U1, U2, U3 or P1, the block cla_current_pl_stretches). A child with no open
-- placement stays in the denominator and is never in the numerator.
select from_date, to_date, 0 as numerator, 1 as denominator
from care_stretches
union all
select from_date, to_date, 1, 0
from cla_current_pl_stretches
where placement_type in ('U1', 'U2', 'U3', 'P1')
