-- Care leavers aged 21 to 25 at D (the block care_leavers_other_ages, cohort '21_25'): one row per
-- young person; numerator 1 when in touch.
select as_at_date, in_touch as numerator, 1 as denominator
from care_leavers_other_ages
where cohort = '21_25'
