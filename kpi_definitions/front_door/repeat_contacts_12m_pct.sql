-- Contacts in the period whose child had another contact on an earlier day in the 12 months before.
with contacts as (
    -- the calendar date is what counts: a same-day contact is not "previous" (Clarification 6)
    select cont_person_id, cast(cont_contact_date as date) as contact_date
    from ssd_contacts
),
with_previous as (
    -- the child's latest contact on an earlier day (if it is not within 12 months, no earlier
    -- contact is)
    select
        contact_date,
        case
            when cont_person_id is not null then max(contact_date) over (
                partition by cont_person_id order by contact_date
                range between unbounded preceding and interval 1 day preceding
            )
        end as previous_day
    from contacts
)
-- a previous contact dated in [date - 12 months, date)
select
    contact_date as event_date,
    case when previous_day >= months_before(contact_date, 12) then 1 else 0 end as numerator,
    1 as denominator
from with_previous
