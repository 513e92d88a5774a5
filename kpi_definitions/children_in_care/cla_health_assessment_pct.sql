-- Children looked after at D for 12 months or more (the block cla_in_care_12_months); numerator 1
-- when the child had a health assessment dated in the 12 months to D.
select as_at_date, health_assessment as numerator, 1 as denominator
from cla_in_care_12_months
