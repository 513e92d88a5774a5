-- Children looked after at D (denominator) whose current placement is foster care (numerator):
-- each child counts on every day of care, in the stretches of their current placement (the block
-- cla_current_pl_stretches), in the numerator while that placement is of type U1, U2, U3, U4, U5
-- or U6. A child with no open placement counts in the denominator only.
select
    from_date,
    to_date,
    coalesce(placement_type in ('U1', 'U2', 'U3', 'U4', 'U5', 'U6'), false)::integer as numerator,
    1 as denominator
from cla_current_pl_stretches
