-- Children looked after at each period end D (an open CLA episode at D, no V3/V4 legal status
-- open at D): each child counts on the days of their stretches of care (the block
-- care_stretches).
select from_date, to_date, 1 as numerator, null as denominator
from care_stretches
