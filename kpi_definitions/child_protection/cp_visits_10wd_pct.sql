-- Per child and date, from the plans open at the end of D (the block cp_open_plans: a plan
-- ending on D is closed): the earliest open plan decides whether the child has been on a plan
-- for more than 10 working days; the latest open plan starts the window in which visits count.
with children as (
    select
        as_at_date,
        person_id,
        min(start_date) as first_start,
        max(start_date) as latest_start
    from cp_open_plans
    group by as_at_date, person_id
),

-- Children whose 10 working days have run out at D, wd(first start, D) > 10; the others are not
-- yet due and left out. Working days come from the calendar's working-day index, as
-- working_days_between counts them.
due as (
    select c.as_at_date, c.person_id, c.latest_start, d.working_day_index as as_at_index
    from children c
    join ref.calendar d on d.date = c.as_at_date
    join ref.calendar s on s.date = c.first_start
    where d.working_day_index - s.working_day_index > 10
),

-- Visits that saw the child, matched by person.
seen_visits as (
    select v.cppv_person_id as person_id, v.cppv_cp_visit_date as visit_date, c.working_day_index
    from ssd_cp_visits v
    join ref.calendar c on c.date = v.cppv_cp_visit_date
    where v.cppv_cp_visit_seen
),

-- The child's latest visit on or before D: if it is not in the window (from the start of the
-- latest open plan, within 10 working days of D), no earlier visit is.
latest_visit as (
    select d.as_at_date, d.latest_start, d.as_at_index, v.visit_date, v.working_day_index
    from due d
    asof left join seen_visits v on v.person_id = d.person_id and v.visit_date <= d.as_at_date
)

select
    as_at_date,
    case
        when visit_date >= latest_start and as_at_index - working_day_index <= 10 then 1 else 0
    end as numerator,
    1 as denominator
from latest_visit
