-- Children on a plan open at each as-at date D (numerator) and children with a referral episode
-- open at D (denominator). Each plan and episode is a span of days, open at the end of D when
-- it started on or before D and did not end by D (a plan or episode ending on D is closed, as
-- the block cp_open_plans). The query follows the days each child comes onto and off a plan (or
-- an open case) and counts the children at each D. (Repeating every open case for every D ran to
-- tens of millions of rows at large volumes.)
with spans as (
    select 'plan' as kind, cppl_person_id as person_id, cppl_cp_plan_start_date as from_date,
           cppl_cp_plan_end_date as to_date
    from ssd_cp_plans
    union all
    select 'case', cine_person_id, cine_referral_date, cine_close_date
    from ssd_cin_episodes
),
changes as (
    -- +1 on the day a span opens, -1 on the day it ends; a span ending on or before its start
    -- is open on no day
    select kind, person_id, from_date as d, 1 as change
    from spans
    where from_date is not null and (to_date is null or to_date > from_date)
    union all
    select kind, person_id, to_date, -1
    from spans
    where from_date is not null and to_date > from_date
),
flips as (
    -- the child's open plans (or episodes) at the end of each day one opened or ended, and the
    -- day before (the same less that day's changes); several count once (Clarification 14): +1
    -- the day a child comes onto a plan (or has an open case), -1 the day it comes off
    select
        kind,
        d,
        sum(sum(change)) over (partition by kind, person_id order by d) as open_now,
        (open_now > 0)::integer - (open_now - sum(change) > 0)::integer as change
    from changes
    group by kind, person_id, d
),
counts as (
    select
        d,
        sum(sum(case when kind = 'plan' then change else 0 end)) over (order by d) as on_plan,
        sum(sum(case when kind = 'case' then change else 0 end)) over (order by d) as open_case
    from flips
    group by d
)
-- the two counts are taken separately, as the catalogue writes the ratio: a child on a plan
-- without an open episode stays in the numerator
select
    a.as_at_date,
    coalesce(c.on_plan, 0) as numerator,
    coalesce(c.open_case, 0) as denominator
from as_at_dates a
asof left join counts c on c.d <= a.as_at_date
