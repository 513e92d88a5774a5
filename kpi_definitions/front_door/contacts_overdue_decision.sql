-- Contacts still waiting for a decision at the end of D (as contacts_awaiting_decision) and past
-- their one working day: overdue once wd(contact day, D) > 1, the contact day being day 0, so
-- from the second working day after it until the day of the decision.
with first_decision as (
    -- the earliest decision ends the wait (Clarification 7); only its calendar date matters at D
    select contact_id, min(cast(decision_datetime as date)) as decided_on
    from ext_contact_decisions
    group by contact_id
)
select
    w.date as from_date,
    d.decided_on as to_date,
    1 as numerator,
    null as denominator
from ssd_contacts c
join ref.calendar k on k.date = cast(c.cont_contact_date as date)
join working_days w on w.working_day_index = k.working_day_index + 2  -- the block working_days
left join first_decision d on d.contact_id = c.cont_contact_id
