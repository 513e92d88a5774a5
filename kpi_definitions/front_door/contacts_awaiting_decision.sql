-- Contacts still waiting for a decision at the end of D: received on or before D and not
-- decided by D (a decision dated after D was still awaited at D), so each contact waits from the
-- day it was received until the day of its decision.
with first_decision as (
    -- the earliest decision ends the wait (Clarification 7); only its calendar date matters at D
    select contact_id, min(cast(decision_datetime as date)) as decided_on
    from ext_contact_decisions
    group by contact_id
)
select
    cast(c.cont_contact_date as date) as from_date,
    d.decided_on as to_date,
    1 as numerator,
    null as denominator
from ssd_contacts c
left join first_decision d on d.contact_id = c.cont_contact_id
