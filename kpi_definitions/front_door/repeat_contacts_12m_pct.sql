-- Contacts in the period whose child had another contact on an earlier day in the 12 months before.
with contacts as (
    -- the calendar date is what counts: a same-day contact is not "previous" (Clarification 6)
    select cont_person_id, cast(cont_contact_date as date) as contact_date
    from ssd_contacts
),
contact_days as (
    -- each child's days with a contact, and the day of the contact before (the latest earlier
    -- one: if it is not within 12 months, no earlier contact is)
    select
        cont_person_id,
        contact_date,
        lag(contact_date) over (partition by cont_person_id order by contact_date) as previous_day
    from (
        select distinct cont_person_id, contact_date
        from contacts
        where cont_person_id is not null and contact_date is not null
    )
)
-- a previous contact dated in [date - 12 months, date)
select
    c.contact_date as event_date,
    case when d.previous_day >= months_before(c.contact_date, 12) then 1 else 0 end as numerator,
    1 as denominator
from contacts c
left join contact_days d
    on d.cont_person_id = c.cont_person_id and d.contact_date = c.contact_date
