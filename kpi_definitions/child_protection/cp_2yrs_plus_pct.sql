-- Plans open at the end of each as-at date (a plan ending on D is closed), with their age in
-- calendar days at D.
with open_plans as (
    select
        a.as_at_date,
        date_diff('day', p.cppl_cp_plan_start_date, a.as_at_date) as days_open
    from as_at_dates a
    inner join ssd_cp_plans p
        on p.cppl_cp_plan_start_date <= a.as_at_date
       and (p.cppl_cp_plan_end_date is null or p.cppl_cp_plan_end_date > a.as_at_date)
)

-- One row per plan; 2 years or more = more than 729 days counting the day of cessation, i.e.
-- D - start >= 729.
select
    as_at_date,
    case when days_open >= 729 then 1 else 0 end as numerator,
    1 as denominator
from open_plans
