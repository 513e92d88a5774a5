-- Children looked after at D (denominator: each child's stretches of care, the block
-- care_stretches) living in residential settings (numerator: the stretches of a current
-- placement of type K1, K2, R1, R2, R5 or S1, the block cla_current_pl_stretches). A child with
-- no open placement stays in the denominator and is never in the numerator.
select from_date, to_date, 0 as numerator, 1 as denominator
from care_stretches
union all
select from_date, to_date, 1, 0
from cla_current_pl_stretches
where placement_type in ('K1', 'K2', 'R1', 'R2', 'R5', 'S1')
