-- Plans with their dates.
with plans as (
    select
        cppl_cp_plan_id as plan_id,
        cppl_cp_plan_start_date as start_date,
        cppl_cp_plan_end_date as end_date
    from ssd_cp_plans
)

-- One row per plan open at the end of each as-at date: started on or before D, not ended by D
-- (a plan ending on D is closed at the end of D).
select
    a.as_at_date,
    1 as numerator,
    null as denominator
from as_at_dates a
inner join plans p
    on p.start_date <= a.as_at_date
   and (p.end_date is null or p.end_date > a.as_at_date)
