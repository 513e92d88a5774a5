-- Children looked after at D (denominator) with no placement open at D (numerator): every child
-- counts in both on the days of their stretches of care (the block care_stretches), and is taken
-- off the numerator on the days they have a current placement (the block
-- cla_current_pl_stretches, only ever within care).
select from_date, to_date, 1 as numerator, 1 as denominator
from care_stretches
union all
select from_date, to_date, -1, 0
from cla_current_pl_stretches
