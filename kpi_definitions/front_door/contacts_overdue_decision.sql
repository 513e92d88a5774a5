-- Contacts still waiting for a decision at the end of D and past their one working day.
with first_decision as (
    -- the earliest decision ends the wait (Clarification 7); only its calendar date matters at D
    select contact_id, min(cast(decision_datetime as date)) as decided_on
    from ext_contact_decisions
    group by contact_id
),
contacts as (
    select c.cont_contact_id, cast(c.cont_contact_date as date) as received_on, d.decided_on
    from ssd_contacts c
    left join first_decision d on d.contact_id = c.cont_contact_id
),
working_days as (
    -- the first date carrying each working-day index is that working day
    select working_day_index, min(date) as date from ref.calendar group by working_day_index
),
overdue_from as (
    -- overdue once more than one working day has passed since the contact day (day 0): from its
    -- second working day after, wd(received, D) > 1
    select w.date as overdue_on, c.decided_on
    from contacts c
    join ref.calendar r on r.date = c.received_on
    join working_days w on w.working_day_index = r.working_day_index + 2
),
changes as (
    -- and not decided by D (a decision dated after D was still awaited at D): overdue from
    -- overdue_on to the day before the decision; the count at D sums the changes up to D
    select overdue_on as d, 1 as change
    from overdue_from
    where decided_on is null or decided_on > overdue_on
    union all
    select decided_on, -1
    from overdue_from
    where decided_on > overdue_on
),
overdue as (
    select d, sum(sum(change)) over (order by d) as contacts
    from changes
    group by d
)
select
    a.as_at_date,
    coalesce(o.contacts, 0) as numerator,
    null as denominator
from as_at_dates a
asof left join overdue o on o.d <= a.as_at_date
