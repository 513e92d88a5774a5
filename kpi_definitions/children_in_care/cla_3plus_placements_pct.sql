-- Children looked after at D (denominator) who had 3 or more distinct placements in effect at
-- any time in the 12 months to D, (D - 12 months, D] (numerator).
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
placements_in_window as (
    -- A placement is in effect in the window when it started on or before D and had not ended
    -- by D - 12 months (one that ended exactly on D - 12 months is out). Every placement of the
    -- child counts, from any period of care, temporary and short-break ones included.
    select l.as_at_date, l.person_id, count(distinct p.clap_cla_placement_id) as placements
    from looked_after l
    join ssd_cla_placement p
      on p.clap_person_id = l.person_id
     and p.clap_cla_placement_start_date <= l.as_at_date
     and (p.clap_cla_placement_end_date is null
          or p.clap_cla_placement_end_date > months_before(l.as_at_date, 12))
    group by l.as_at_date, l.person_id
)
select
    l.as_at_date,
    l.person_id,
    case when w.placements >= 3 then 1 else 0 end as numerator,
    1 as denominator
from looked_after l
left join placements_in_window w on w.as_at_date = l.as_at_date and w.person_id = l.person_id
