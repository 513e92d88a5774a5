-- One row per LADO referral (allegation against an adult working with children), dated by
-- when it was received.
select
    received_date as event_date,
    1 as numerator,
    cast(null as double) as denominator
from ext_lado_referrals
