-- One row per child protection plan, placed by its start date; the engine sums the 12 months to
-- each period end and divides by the 0-17 population at that date.
select
    cppl_cp_plan_start_date as event_date,
    1 as numerator,
    null as denominator
from ssd_cp_plans
