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
awaiting as (
    -- received by D and not decided by D: a decision dated after D was still awaited at D
    select c.received_on, a.as_at_date
    from contacts c
    join as_at_dates a
        on c.received_on <= a.as_at_date
        and (c.decided_on is null or c.decided_on > a.as_at_date)
)
-- overdue once more than one working day has passed since the contact day (day 0)
select
    as_at_date,
    1 as numerator,
    null as denominator
from awaiting
where working_days_between(received_on, as_at_date) > 1
