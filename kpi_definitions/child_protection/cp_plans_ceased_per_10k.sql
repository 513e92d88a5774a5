-- One row per child protection plan that has ended, placed by its end date; the engine sums the
-- 12 months to each period end and divides by the 0-17 population at that date.
select
    cppl_cp_plan_end_date as event_date,
    1 as numerator,
    null as denominator
from ssd_cp_plans
where cppl_cp_plan_end_date is not null
