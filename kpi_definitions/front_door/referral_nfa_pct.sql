-- Referrals in the period and whether each was marked no further action.
select
    cine_referral_date as event_date,
    -- a blank (unknown) flag is not Y: in the denominator only (Clarification 8)
    case when cine_referral_nfa then 1 else 0 end as numerator,
    1 as denominator,
    cine_referral_team as team
from ssd_cin_episodes
