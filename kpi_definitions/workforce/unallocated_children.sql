-- Children with an open case at D (referral episode, child protection plan or care episode)
-- and no allocated social worker at D. Each child's cases and allocations are spans of days;
-- the query follows the day each child becomes, or stops being, unallocated, and counts at each
-- D the children unallocated at the end of D. (Repeating every open case for every D ran to
-- tens of millions of rows at large volumes.)
with open_spans as (
    -- open at the end of D: started on or before D, not ended by D; a child with several open
    -- cases counts once
    select cine_person_id as person_id, cine_referral_date as from_date, cine_close_date as to_date
    from ssd_cin_episodes
    union all
    -- child protection plans (as the block cp_open_plans: a plan ending on D is closed)
    select cppl_person_id, cppl_cp_plan_start_date, cppl_cp_plan_end_date
    from ssd_cp_plans
    union all
    -- every care episode counts, short breaks (V3/V4) included (Clarification 26)
    select clae_person_id, clae_cla_episode_start_date, clae_cla_episode_ceased
    from ssd_cla_episodes
),
allocation_spans as (
    -- allocations as the block allocations_at_date: an involvement open at D whose role maps to
    -- ALLOCATED_SOCIAL_WORKER in la.yaml; a personal adviser is not an allocation
    -- (Clarification 19)
    select
        i.invo_person_id as person_id,
        i.invo_involvement_start_date as from_date,
        i.invo_involvement_end_date as to_date
    from ssd_involvements i
    join la_roles r
      on r.role_code = upper(trim(i.invo_professional_role_id))
     and r.role = 'ALLOCATED_SOCIAL_WORKER'
    where i.invo_person_id is not null
),
changes as (
    -- +1 on the day a span opens, -1 on the day it ends; a span ending on or before its start
    -- is open on no day
    select person_id, from_date as d, 1 as open_change, 0 as allocation_change
    from open_spans
    where from_date is not null and (to_date is null or to_date > from_date)
    union all
    select person_id, to_date, -1, 0
    from open_spans
    where from_date is not null and to_date > from_date
    union all
    select person_id, from_date, 0, 1
    from allocation_spans
    where from_date is not null and (to_date is null or to_date > from_date)
    union all
    select person_id, to_date, 0, -1
    from allocation_spans
    where from_date is not null and to_date > from_date
),
running as (
    -- open cases and allocations at the end of each day something changed for the child, and
    -- the day before (the same less that day's changes)
    select
        person_id,
        d,
        sum(sum(open_change)) over child_days as open_cases,
        sum(sum(allocation_change)) over child_days as allocations,
        open_cases - sum(open_change) as open_cases_before,
        allocations - sum(allocation_change) as allocations_before
    from changes
    group by person_id, d
    window child_days as (partition by person_id order by d)
),
flips as (
    -- +1 the day a child becomes unallocated, -1 the day it stops being
    select
        d,
        (open_cases > 0 and allocations = 0)::integer
            - (open_cases_before > 0 and allocations_before = 0)::integer as change
    from running
),
counts as (
    select d, sum(sum(change)) over (order by d) as children
    from flips
    group by d
)
select a.as_at_date, coalesce(c.children, 0) as numerator, cast(null as double) as denominator
from as_at_dates a
asof left join counts c on c.d <= a.as_at_date
