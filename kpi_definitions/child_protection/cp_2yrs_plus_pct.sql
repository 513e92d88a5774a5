-- Plans open at the end of each as-at date D (as the block cp_open_plans: a plan ending on D is
-- closed), and those open 2 years or more at D: more than 729 days counting the day of
-- cessation, i.e. D - start >= 729. Counted at each D from the days plans start, reach 729
-- days and end.
with open_spans as (
    -- a plan ending on or before its start is open at the end of no day
    select
        cppl_cp_plan_start_date as from_date,
        coalesce(cppl_cp_plan_end_date, date '9999-12-31') as to_date
    from ssd_cp_plans
    where cppl_cp_plan_end_date is null or cppl_cp_plan_end_date > cppl_cp_plan_start_date
),
changes as (
    select from_date as d, 0 as long_change, 1 as open_change from open_spans
    union all
    select to_date, 0, -1 from open_spans where to_date < date '9999-12-31'
    union all
    select from_date + 729, 1, 0 from open_spans where from_date + 729 < to_date
    union all
    select to_date, -1, 0
    from open_spans
    where from_date + 729 < to_date and to_date < date '9999-12-31'
),
counts as (
    select
        d,
        sum(sum(long_change)) over (order by d) as long_plans,
        sum(sum(open_change)) over (order by d) as open_plans
    from changes
    group by d
)
select
    a.as_at_date,
    coalesce(c.long_plans, 0) as numerator,
    coalesce(c.open_plans, 0) as denominator
from as_at_dates a
asof left join counts c on c.d <= a.as_at_date
