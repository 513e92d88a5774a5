-- Plans open at the end of each as-at date (the block cp_open_plans: a plan ending on D is
-- closed), with their age in calendar days at D.
with open_plans as (
    select as_at_date, date_diff('day', start_date, as_at_date) as days_open
    from cp_open_plans
)

-- One row per plan; 2 years or more = more than 729 days counting the day of cessation, i.e.
-- D - start >= 729.
select
    as_at_date,
    case when days_open >= 729 then 1 else 0 end as numerator,
    1 as denominator
from open_plans
