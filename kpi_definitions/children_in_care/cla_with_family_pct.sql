-- Children looked after at D (denominator) placed with family or friends (numerator).
with open_episodes as (
    -- An episode is open at the end of D: started on or before D, not ceased by D.
    select a.as_at_date, e.clae_person_id as person_id
    from as_at_dates a
    join ssd_cla_episodes e
      on e.clae_cla_episode_start_date <= a.as_at_date
     and (e.clae_cla_episode_ceased is null or e.clae_cla_episode_ceased > a.as_at_date)
),
short_breaks as (
    -- Any V3/V4 (short breaks) legal status open at D takes the child out of the count.
    select a.as_at_date, l.lega_person_id as person_id
    from as_at_dates a
    join ssd_legal_status l
      on l.lega_legal_status in ('V3', 'V4')
     and l.lega_legal_status_start_date <= a.as_at_date
     and (l.lega_legal_status_end_date is null or l.lega_legal_status_end_date > a.as_at_date)
),
looked_after as (
    select distinct o.as_at_date, o.person_id
    from open_episodes o
    where not exists (
        select 1 from short_breaks s
        where s.as_at_date = o.as_at_date and s.person_id = o.person_id
    )
),
current_placement as (
    -- The child's placement open at D, matched by person; the latest start if several are open
    -- (ties broken by the highest placement id so the answer is repeatable).
    select l.as_at_date, l.person_id, p.clap_cla_placement_type as placement_type
    from looked_after l
    join ssd_cla_placement p
      on p.clap_person_id = l.person_id
     and p.clap_cla_placement_start_date <= l.as_at_date
     and (p.clap_cla_placement_end_date is null or p.clap_cla_placement_end_date > l.as_at_date)
    qualify row_number() over (
        partition by l.as_at_date, l.person_id
        order by p.clap_cla_placement_start_date desc, p.clap_cla_placement_id desc
    ) = 1
)
-- A child with no open placement stays in the denominator and is never in the numerator.
select
    l.as_at_date,
    l.person_id,
    case when c.placement_type in ('U1', 'U2', 'U3', 'P1') then 1 else 0 end as numerator,
    1 as denominator
from looked_after l
left join current_placement c on c.as_at_date = l.as_at_date and c.person_id = l.person_id
