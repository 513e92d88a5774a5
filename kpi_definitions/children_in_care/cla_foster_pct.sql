-- Children looked after at D (denominator: each child's stretches of care, the block
-- care_stretches) and those whose current placement is of type U1-U6 (foster care) (numerator: the
-- stretches of such a current placement, the block cla_current_pl_stretches). A child with no open
-- placement counts in the denominator only.
select from_date, to_date, 0 as numerator, 1 as denominator
from care_stretches
union all
select from_date, to_date, 1, 0
from cla_current_pl_stretches
where placement_type in ('U1', 'U2', 'U3', 'U4', 'U5', 'U6')
