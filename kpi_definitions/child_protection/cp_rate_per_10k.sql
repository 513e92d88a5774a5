-- Plans with their child and dates.
with plans as (
    select
        cppl_person_id as person_id,
        cppl_cp_plan_start_date as start_date,
        cppl_cp_plan_end_date as end_date
    from ssd_cp_plans
),

-- Plans open at the end of each as-at date (a plan ending on D is closed).
open_plans as (
    select a.as_at_date, p.person_id
    from as_at_dates a
    inner join plans p
        on p.start_date <= a.as_at_date
       and (p.end_date is null or p.end_date > a.as_at_date)
)

-- One row per child: the DfE rate counts children, so several open plans count once.
-- The engine divides by the population at D.
select
    as_at_date,
    1 as numerator,
    null as denominator
from open_plans
group by as_at_date, person_id
