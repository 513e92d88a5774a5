-- Referrals in the period whose child had a previous referral on an earlier day in the 12 months before.
with referrals as (
    select cine_referral_id, cine_person_id, cine_referral_date, cine_referral_team
    from ssd_cin_episodes
),
rereferrals as (
    -- previous referral dated in [date - 12 months, date): same-day is not previous (Clarification 6)
    select distinct r.cine_referral_id
    from referrals r
    join referrals p
        on p.cine_person_id = r.cine_person_id
        and p.cine_referral_date < r.cine_referral_date
        and p.cine_referral_date >= months_before(r.cine_referral_date, 12)
)
select
    r.cine_referral_date as event_date,
    case when x.cine_referral_id is not null then 1 else 0 end as numerator,
    1 as denominator,
    r.cine_referral_team as team
from referrals r
left join rereferrals x on x.cine_referral_id = r.cine_referral_id
