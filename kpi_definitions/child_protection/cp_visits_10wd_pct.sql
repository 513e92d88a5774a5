-- Per child and date, from the plans open at the end of D (as the block cp_open_plans: a plan
-- ending on D is closed): the earliest open plan decides whether the child has been on a plan
-- for more than 10 working days; the latest open plan starts the window in which visits count.
-- Each child's plans and visits are followed as stretches of days, and the children due and seen
-- are counted at each D from the days those stretches start and end (repeating every child on a
-- plan for every D ran to millions of rows at large volumes).
with plan_days as (
    -- A child's open plans change only on a day one starts or ends.
    select
        person_id,
        d,
        lead(d, 1, date '9999-12-31') over (partition by person_id order by d) as to_date
    from (
        select cppl_person_id as person_id, cppl_cp_plan_start_date as d from ssd_cp_plans
        union
        select cppl_person_id, cppl_cp_plan_end_date from ssd_cp_plans
        where cppl_cp_plan_end_date is not null
    )
),
plan_stretches as (
    -- The earliest and latest start of the plans open at the end of each such day, until the
    -- child's next such day; a day with no plan open has no row.
    select
        c.person_id,
        c.d,
        c.to_date,
        min(p.cppl_cp_plan_start_date) as first_start,
        max(p.cppl_cp_plan_start_date) as latest_start
    from plan_days c
    join ssd_cp_plans p
      on p.cppl_person_id = c.person_id
     and p.cppl_cp_plan_start_date <= c.d
     and (p.cppl_cp_plan_end_date is null or p.cppl_cp_plan_end_date > c.d)
    group by c.person_id, c.d, c.to_date
),
first_day_of_index as (
    -- The first date with each working-day index (indexes run on without a gap).
    select working_day_index, min(date) as date from ref.calendar group by working_day_index
),
due as (
    -- Due at D: wd(first start, D) > 10, i.e. D on or after the 11th working day after the first
    -- start (working days come from the calendar's working-day index, as working_days_between
    -- counts them); the others are not yet due and left out.
    select
        s.person_id,
        s.latest_start,
        greatest(s.d, f.date) as from_date,
        s.to_date
    from plan_stretches s
    join ref.calendar c on c.date = s.first_start
    join first_day_of_index f on f.working_day_index = c.working_day_index + 11
    where greatest(s.d, f.date) < s.to_date
),
seen_visits as (
    -- Visits that saw the child, matched by person, one per day.
    select distinct v.cppv_person_id as person_id, v.cppv_cp_visit_date as visit_date,
           c.working_day_index
    from ssd_cp_visits v
    join ref.calendar c on c.date = v.cppv_cp_visit_date
    where v.cppv_cp_visit_seen
),
visit_cover as (
    -- A visit is the child's latest from its day until the next visit, and is within 10 working
    -- days of D until the 11th working day after it.
    select
        v.person_id,
        v.visit_date,
        least(
            lead(v.visit_date, 1, date '9999-12-31') over (
                partition by v.person_id order by v.visit_date
            ),
            coalesce(f.date, date '9999-12-31')
        ) as to_date
    from seen_visits v
    left join first_day_of_index f on f.working_day_index = v.working_day_index + 11
),
seen as (
    -- Due and seen: the latest visit is on or after the start of the latest open plan.
    select
        greatest(d.from_date, v.visit_date) as from_date,
        least(d.to_date, v.to_date) as to_date
    from due d
    join visit_cover v
      on v.person_id = d.person_id
     and v.visit_date >= d.latest_start
     and v.visit_date < d.to_date
     and v.to_date > d.from_date
),
changes as (
    select from_date as d, 0 as seen_change, 1 as due_change from due
    union all
    select to_date, 0, -1 from due where to_date < date '9999-12-31'
    union all
    select from_date, 1, 0 from seen where from_date < to_date
    union all
    select to_date, -1, 0 from seen where from_date < to_date and to_date < date '9999-12-31'
),
counts as (
    select
        d,
        sum(sum(seen_change)) over (order by d) as seen_children,
        sum(sum(due_change)) over (order by d) as due_children
    from changes
    group by d
)
-- (dates outside the working-day calendar have no working days to count: no child is due)
select
    a.as_at_date,
    coalesce(c.seen_children, 0) as numerator,
    coalesce(c.due_children, 0) as denominator
from as_at_dates a
join ref.calendar k on k.date = a.as_at_date
asof left join counts c on c.d <= a.as_at_date
