-- One row per referral; the engine sums the 12 months to each period end and divides by the
-- 0-17 population at that date.
select
    cine_referral_date as event_date,
    1 as numerator,
    null as denominator,
    cine_referral_team as team
from ssd_cin_episodes
