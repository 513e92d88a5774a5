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

-- Children whose 10 working days have run out at D; the others are not yet due and left out.
due as (
    select as_at_date, person_id, latest_start
    from children
    where working_days_between(first_start, as_at_date) > 10
),

-- Visits that saw the child, matched by person.
seen_visits as (
    select cppv_person_id as person_id, cppv_cp_visit_date as visit_date
    from ssd_cp_visits
    where cppv_cp_visit_seen
),

-- A qualifying visit: from the start of the latest open plan to D, within 10 working days of D.
visited as (
    select distinct d.as_at_date, d.person_id
    from due d
    inner join seen_visits v
        on v.person_id = d.person_id
       and v.visit_date between d.latest_start and d.as_at_date
       and working_days_between(v.visit_date, d.as_at_date) <= 10
)

select
    d.as_at_date,
    case when v.person_id is not null then 1 else 0 end as numerator,
    1 as denominator
from due d
left join visited v on v.as_at_date = d.as_at_date and v.person_id = d.person_id
