-- Children looked after at D (denominator) living in residential settings (numerator): each child
-- counts on every day of care, in the stretches of their current placement (the block
-- cla_current_pl_stretches), in the numerator while that placement is of type K1, K2, R1, R2, R5
-- or S1. A child with no open placement counts in the denominator only.
select
    from_date,
    to_date,
    coalesce(placement_type in ('K1', 'K2', 'R1', 'R2', 'R5', 'S1'), false)::integer as numerator,
    1 as denominator
from cla_current_pl_stretches
