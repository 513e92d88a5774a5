-- Plans open at the end of each as-at date D (as the block cp_open_plans: started on or before
-- D, not ended by D; a plan ending on D is closed at the end of D), counted at each D from the
-- days plans start and end.
with changes as (
    -- a plan ending on or before its start is open at the end of no day
    select cppl_cp_plan_start_date as d, 1 as change
    from ssd_cp_plans
    where cppl_cp_plan_end_date is null or cppl_cp_plan_end_date > cppl_cp_plan_start_date
    union all
    select cppl_cp_plan_end_date, -1
    from ssd_cp_plans
    where cppl_cp_plan_end_date > cppl_cp_plan_start_date
),
counts as (
    select d, sum(sum(change)) over (order by d) as plans
    from changes
    group by d
)
select a.as_at_date, coalesce(c.plans, 0) as numerator, null as denominator
from as_at_dates a
asof left join counts c on c.d <= a.as_at_date
