-- Contacts in the period whose child had another contact on an earlier day in the 12 months before.
with contacts as (
    -- the calendar date is what counts: a same-day contact is not "previous" (Clarification 6)
    select cont_contact_id, cont_person_id, cast(cont_contact_date as date) as contact_date
    from ssd_contacts
),
repeats as (
    -- previous contact dated in [date - 12 months, date)
    select distinct c.cont_contact_id
    from contacts c
    join contacts p
        on p.cont_person_id = c.cont_person_id
        and p.contact_date < c.contact_date
        and p.contact_date >= months_before(c.contact_date, 12)
)
select
    c.contact_date as event_date,
    case when r.cont_contact_id is not null then 1 else 0 end as numerator,
    1 as denominator
from contacts c
left join repeats r on r.cont_contact_id = c.cont_contact_id
