-- Children with a plan open at the end of each as-at date D (as the block cp_open_plans: a plan
-- ending on D is closed). The DfE rate counts children, so several open plans count once. The
-- engine divides by the population at D. Each child's plans are followed through time and the
-- children counted at each D from the days a child comes onto or leaves a plan.
with changes as (
    -- a plan ending on or before its start is open at the end of no day
    select cppl_person_id as person_id, cppl_cp_plan_start_date as d, 1 as change
    from ssd_cp_plans
    where cppl_cp_plan_end_date is null or cppl_cp_plan_end_date > cppl_cp_plan_start_date
    union all
    select cppl_person_id, cppl_cp_plan_end_date, -1
    from ssd_cp_plans
    where cppl_cp_plan_end_date > cppl_cp_plan_start_date
),
flips as (
    -- the child's open plans at the end of each day one starts or ends, and the day before (the
    -- same less that day's changes): +1 the day a child comes onto a plan, -1 the day it leaves
    select
        d,
        sum(sum(change)) over (partition by person_id order by d) as open_plans,
        (open_plans > 0)::integer - (open_plans - sum(change) > 0)::integer as change
    from changes
    group by person_id, d
),
counts as (
    select d, sum(sum(change)) over (order by d) as children
    from flips
    group by d
)
select a.as_at_date, coalesce(c.children, 0) as numerator, null as denominator
from as_at_dates a
asof left join counts c on c.d <= a.as_at_date
