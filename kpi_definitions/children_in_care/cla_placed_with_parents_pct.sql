-- Children looked after at D (denominator) placed with parents or others with parental
-- responsibility (numerator): each child counts on every day of care, in the stretches of their
-- current placement (the block cla_current_pl_stretches), in the numerator while that placement is
-- of type P1. A child with no open placement counts in the denominator only.
select
    from_date,
    to_date,
    coalesce(placement_type in ('P1'), false)::integer as numerator,
    1 as denominator
from cla_current_pl_stretches
