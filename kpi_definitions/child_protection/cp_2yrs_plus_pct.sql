-- Plans open at the end of D (denominator: from the plan's start until its end, a plan ending on
-- D being closed), and those of them open 2 years or more at D (numerator): more than 729 days
-- counting the day of cessation, i.e. D - start >= 729, so from the 729th day after the start.
select
    cppl_cp_plan_start_date as from_date,
    cppl_cp_plan_end_date as to_date,
    0 as numerator,
    1 as denominator
from ssd_cp_plans
union all
select cppl_cp_plan_start_date + 729, cppl_cp_plan_end_date, 1, 0
from ssd_cp_plans
