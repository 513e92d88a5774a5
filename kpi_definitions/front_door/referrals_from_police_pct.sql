-- Referrals received, placed by the referral date: numerator 1 when the source of referral is
-- 6 (police).
select
    cine_referral_date as event_date,
    case when cine_referral_source_code in ('6') then 1 else 0 end as numerator,
    1 as denominator
from ssd_cin_episodes
