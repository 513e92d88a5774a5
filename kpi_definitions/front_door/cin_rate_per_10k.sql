-- Children in need at the end of each as-at date D: children with a referral episode open at D
-- (referral on or before D, not closed by D: an episode closing on D is closed), leaving out
-- referrals that ended in no further action, as the DfE's children in need at 31 March does.
-- A child with two open episodes counts once. The engine divides by the population at D. The
-- days each child comes into and out of need are followed through time and the children counted
-- at each D from them (as cp_rate_per_10k: repeating every episode for every D is too big).
with changes as (
    -- an episode closing on or before its referral day is open at the end of no day
    select cine_person_id as person_id, cine_referral_date as d, 1 as change
    from ssd_cin_episodes
    where cine_referral_nfa is not true
      and (cine_close_date is null or cine_close_date > cine_referral_date)
    union all
    select cine_person_id, cine_close_date, -1
    from ssd_cin_episodes
    where cine_referral_nfa is not true
      and cine_close_date > cine_referral_date
),
flips as (
    -- the child's open episodes at the end of each day one opens or closes, and the day before:
    -- +1 the day a child comes into need, -1 the day the last open episode closes
    select
        d,
        sum(sum(change)) over (partition by person_id order by d) as open_episodes,
        (open_episodes > 0)::integer - (open_episodes - sum(change) > 0)::integer as change
    from changes
    group by person_id, d
),
counts as (
    select d, sum(sum(change)) over (order by d) as children
    from flips
    group by d
)
select a.as_at_date, coalesce(c.children, 0) as numerator, null as denominator
from as_at_dates a
asof left join counts c on c.d <= a.as_at_date
