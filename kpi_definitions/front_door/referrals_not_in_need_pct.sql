-- Referral episodes that closed, placed by their close date, leaving out referrals that ended in
-- no further action at the referral itself: numerator 1 when the child was assessed and found
-- not to be in need - closed with RC8 (no further action after assessment) or RC9 (closed after
-- assessment, referred to early help).
select
    cine_close_date as event_date,
    case when cine_close_reason in ('RC8', 'RC9') then 1 else 0 end as numerator,
    1 as denominator,
    cine_referral_team as team
from ssd_cin_episodes
where cine_close_date is not null
  and cine_referral_nfa is not true
