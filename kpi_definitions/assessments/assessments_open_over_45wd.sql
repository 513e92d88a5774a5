-- Single assessments open at the end of each as-at date D and past 45 working days (the block
-- assessments_typed: no type row, or no type table, means a single assessment, Clarification 10).
with working_days as (
    -- the first date carrying each working-day index is that working day
    select working_day_index, min(date) as date from ref.calendar group by working_day_index
),
overdue_from as (
    -- past 45 working days at D once wd(start, D) > 45: from the 46th working day after the start
    select s.team, w.date as overdue_on, s.auth_date
    from assessments_typed s
    join ref.calendar c on c.date = s.start_date
    join working_days w on w.working_day_index = c.working_day_index + 46
    where s.assessment_type = 'single'
),
changes as (
    -- open at D: started by D and not authorised by D; the referral's own state is ignored
    -- (Clarification 10). So counted from overdue_on to the day before authorisation: +1 on the
    -- one, -1 on the other, per team
    select team, overdue_on as d, 1 as change
    from overdue_from
    where auth_date is null or auth_date > overdue_on
    union all
    select team, auth_date, -1
    from overdue_from
    where auth_date > overdue_on
),
counts as (
    -- each team's count from each day it changes until the next
    select
        team,
        d,
        sum(sum(change)) over (partition by team order by d) as assessments,
        -- (the last change lasts: a far date keeps the join a plain range join)
        lead(d, 1, date '9999-12-31') over (partition by team order by d) as next_change
    from changes
    group by team, d
)
select a.as_at_date, c.assessments as numerator, null as denominator, c.team
from counts c
join as_at_dates a
  on a.as_at_date >= c.d and a.as_at_date < c.next_change
where c.assessments > 0
