-- Children looked after at D (denominator) with no placement open at D (numerator): each child
-- counts on every day of care, in the stretches of their current placement (the block
-- cla_current_pl_stretches), in the numerator while they have none.
select from_date, to_date, (placement_id is null)::integer as numerator, 1 as denominator
from cla_current_pl_stretches
