-- Children looked after at the end of each period end D: each child counts on the days of their
-- stretches of care (the block care_stretches); the engine divides the count by the 0-17
-- population in force at D (denominator: population).
select from_date, to_date, 1 as numerator, null as denominator
from care_stretches
