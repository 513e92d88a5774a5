-- Referrals received, placed by the referral date: numerator 1 when the source of referral is
-- 3A-3F (GP, health visitor, school nurse, other primary health, A&E, other health).
select
    cine_referral_date as event_date,
    case when cine_referral_source_code in ('3A', '3B', '3C', '3D', '3E', '3F') then 1 else 0 end as numerator,
    1 as denominator
from ssd_cin_episodes
