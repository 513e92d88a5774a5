-- One row per referral, dated by its referral date.
select
    cine_referral_date as event_date,
    1 as numerator,
    null as denominator,
    cine_referral_team as team
from ssd_cin_episodes
