with first_decision as (
    select contact_id, min(decision_datetime) as decided_at
    from ext_contact_decisions
    group by contact_id
),
contacts as (
    select
        c.cont_contact_id,
        cast(c.cont_contact_date as date) as contact_date,
        working_days_between(c.cont_contact_date, d.decided_at) as wd_to_decision,
        working_days_between(c.cont_contact_date, getvariable('extract_date')) as wd_waiting
    from ssd_contacts c
    left join first_decision d on d.contact_id = c.cont_contact_id
)
select
    contact_date as event_date,
    case when wd_to_decision <= 1 then 1 else 0 end as numerator,
    1 as denominator
from contacts
where wd_to_decision is not null  -- decided
   or wd_waiting > 1              -- undecided and already late at the extract date
