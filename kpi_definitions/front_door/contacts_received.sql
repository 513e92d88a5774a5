-- One row per contact, dated by when it was received.
select
    cast(cont_contact_date as date) as event_date,
    1 as numerator,
    null as denominator
from ssd_contacts
