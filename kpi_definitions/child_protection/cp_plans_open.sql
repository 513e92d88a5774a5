-- Child protection plans open at the end of D: each plan counts from its start date until its
-- end date (a plan ending on D is closed at the end of D; one ending on or before its start is
-- open on no day).
select
    cppl_cp_plan_start_date as from_date,
    cppl_cp_plan_end_date as to_date,
    1 as numerator,
    null as denominator
from ssd_cp_plans
