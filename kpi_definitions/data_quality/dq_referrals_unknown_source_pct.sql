-- Referrals received in the period, and whether their source is known. Staging turns a code that
-- is not on the CIN census list into blank, so blank = not recorded or not a recognised code.
select
    cine_referral_date as event_date,
    case when coalesce(trim(cine_referral_source_code), '') = '' then 1 else 0 end as numerator,
    1 as denominator,
    cine_referral_team as team
from ssd_cin_episodes
