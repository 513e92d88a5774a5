-- LADO referrals resolved in the period, placed by the resolution date: numerator 1 when the
-- outcome recorded is "substantiated" (any case, spaces trimmed).
select
    resolved_date as event_date,
    case when lower(trim(outcome)) = 'substantiated' then 1 else 0 end as numerator,
    1 as denominator
from ext_lado_referrals
where resolved_date is not null
