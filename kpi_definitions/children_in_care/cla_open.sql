-- Children looked after at the end of each period end D: one row per child (the block
-- children_looked_after: open CLA episode at D, no V3/V4 legal status open at D).
select as_at_date, person_id, 1 as numerator, null as denominator
from children_looked_after
