-- Children looked after at the end of each period end D, one row per child (the block
-- children_looked_after); the engine divides the count by the 0-17 population in force at D
-- (denominator: population).
select as_at_date, person_id, 1 as numerator, null as denominator
from children_looked_after
