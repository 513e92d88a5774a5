-- Contacts still waiting for a decision at the end of each as-at date D.
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
changes as (
    -- received by D and not decided by D: a decision dated after D was still awaited at D. So a
    -- contact waits from the day it was received to the day before its decision: +1 on the one,
    -- -1 on the other, and the count at D is the sum of the changes up to D.
    select received_on as d, 1 as change
    from contacts
    where received_on is not null and (decided_on is null or decided_on > received_on)
    union all
    select decided_on, -1
    from contacts
    where received_on is not null and decided_on > received_on
),
waiting as (
    select d, sum(sum(change)) over (order by d) as contacts
    from changes
    group by d
)
select
    a.as_at_date,
    coalesce(w.contacts, 0) as numerator,
    null as denominator
from as_at_dates a
asof left join waiting w on w.d <= a.as_at_date
