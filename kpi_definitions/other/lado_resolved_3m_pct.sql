-- LADO referrals placed in the period they were received: numerator 1 when resolved within
-- getvariable('months') calendar months (resolved on or before received + months, clipped to
-- month end). One not resolved counts as late only once that deadline has passed by the extract
-- date; until then it is left out (censoring, as the catalogue's timeliness KPIs).
with referrals as (
    select
        received_date,
        resolved_date,
        months_after(received_date, getvariable('months')) as deadline
    from ext_lado_referrals
)
select
    received_date as event_date,
    case when resolved_date <= deadline then 1 else 0 end as numerator,
    1 as denominator
from referrals
where resolved_date is not null
   or deadline < getvariable('extract_date')
