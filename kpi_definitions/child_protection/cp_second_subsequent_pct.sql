-- Plans with their child, start date and, where the source gives it, the number of the child's
-- earlier plans of this council (CIN census NumberOfPreviousCPP).
with plans as (
    select
        cppl_cp_plan_id as plan_id,
        cppl_person_id as person_id,
        cppl_cp_plan_start_date as start_date,
        cppl_previous_cp_plans as previous_plans
    from ssd_cp_plans
),

-- A plan is second or subsequent when the source counts an earlier plan, or the same child has
-- a plan with a strictly earlier start in the extract, however long ago and whether or not it
-- has ended.
flagged as (
    select
        p.plan_id,
        p.start_date,
        coalesce(p.previous_plans > 0, false) or exists (
            select 1
            from plans earlier
            where earlier.person_id = p.person_id
              and earlier.start_date < p.start_date
        ) as is_subsequent
    from plans p
)

-- One row per plan, placed by its start date.
select
    start_date as event_date,
    case when is_subsequent then 1 else 0 end as numerator,
    1 as denominator
from flagged
