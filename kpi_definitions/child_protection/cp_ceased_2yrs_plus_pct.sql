-- One row per child protection plan that has ended, placed by its end date: numerator 1 when it
-- lasted two years or more, the DfE's "more than 729 calendar days including the day of
-- cessation", i.e. end - start >= 729 days.
select
    cppl_cp_plan_end_date as event_date,
    case
        when date_diff('day', cppl_cp_plan_start_date, cppl_cp_plan_end_date) >= 729 then 1
        else 0
    end as numerator,
    1 as denominator
from ssd_cp_plans
where cppl_cp_plan_end_date is not null
