-- Children with an open case at D (referral episode, child protection plan or care episode)
-- and no allocated social worker at D.
with open_cases as (
    -- union removes duplicates: a child with several open cases counts once
    select a.as_at_date, e.cine_person_id as person_id
    from as_at_dates a
    join ssd_cin_episodes e
      on e.cine_referral_date <= a.as_at_date
     and (e.cine_close_date is null or e.cine_close_date > a.as_at_date)
    union
    -- child protection plans open at D (the block cp_open_plans)
    select as_at_date, person_id
    from cp_open_plans
    union
    -- every care episode counts, short breaks (V3/V4) included (Clarification 26)
    select a.as_at_date, c.clae_person_id
    from as_at_dates a
    join ssd_cla_episodes c
      on c.clae_cla_episode_start_date <= a.as_at_date
     and (c.clae_cla_episode_ceased is null or c.clae_cla_episode_ceased > a.as_at_date)
),
allocated as (
    -- an allocation open at D (the block allocations_at_date: an involvement whose role maps
    -- to ALLOCATED_SOCIAL_WORKER in la.yaml; a personal adviser is not an allocation,
    -- Clarification 19)
    select distinct as_at_date, person_id
    from allocations_at_date
)
select o.as_at_date, 1 as numerator, cast(null as double) as denominator
from open_cases o
anti join allocated l on l.as_at_date = o.as_at_date and l.person_id = o.person_id
