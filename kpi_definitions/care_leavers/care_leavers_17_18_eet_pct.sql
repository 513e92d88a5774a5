-- Care leavers aged 17-18 at D (the block care_leavers_other_ages, cohort '17_18'): one row per
-- young person; numerator 1 when in education, employment or training.
select as_at_date, eet as numerator, 1 as denominator
from care_leavers_other_ages
where cohort = '17_18'
