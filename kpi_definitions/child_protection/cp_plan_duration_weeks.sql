-- Plans that have ended, with their length in calendar days.
with ended as (
    select
        cppl_cp_plan_end_date as end_date,
        date_diff('day', cppl_cp_plan_start_date, cppl_cp_plan_end_date) as days_on_plan
    from ssd_cp_plans
    where cppl_cp_plan_end_date is not null
)

-- One row per plan, placed by its end date: the engine sums the weeks (numerator) and the plans
-- (denominator) over the period and divides, giving the mean.
select
    end_date as event_date,
    days_on_plan / 7.0 as numerator,
    1 as denominator
from ended
