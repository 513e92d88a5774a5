-- LADO referrals given initial consideration within 1 working day, placed in the period the
-- referral was received.
with referrals as (
    select
        received_date,
        working_days_between(received_date, initial_consideration_date) as wd_to_decision,
        working_days_between(received_date, getvariable('extract_date')) as wd_waiting
    from ext_lado_referrals
)
select
    received_date as event_date,
    case when wd_to_decision <= 1 then 1 else 0 end as numerator,
    1 as denominator
from referrals
where wd_to_decision is not null  -- considered (every fact in the extract counts, Clarification 1)
   or wd_waiting > 1              -- not considered and already late at the extract date
