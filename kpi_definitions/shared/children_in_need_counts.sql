-- The number of children in need at the end of each day it changes: columns (d, children); the
-- count holds until the next d (read it with an asof join on d <= D). In need at the end of D =
-- a referral episode open at D (referral on or before D, not closed by D: an episode closing on
-- D is closed) whose referral did not end in no further action (cine_referral_nfa not Y), as
-- the DfE's children in need at 31 March. A child with two open episodes counts once. Each
-- child's episodes are followed through time (repeating every episode for every D is too big
-- at large volumes). Reads ssd_cin_episodes.
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
)
select d, sum(sum(change)) over (order by d) as children
from flips
group by d
