-- Children looked after at each as-at date D: one row per child per D, columns
-- (as_at_date, person_id). Looked after = a CLA episode open at the end of D (started on or before
-- D, not ceased by D); a child with any V3/V4 (short breaks) legal status open at D is left out,
-- and a child with no legal-status row counts (Clarification 15). Reads ssd_cla_episodes and
-- ssd_legal_status (optional: an absent table is empty, so nobody is excluded).
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
)
-- Children, not episodes: a child with two open episodes counts once.
select distinct o.as_at_date, o.person_id
from open_episodes o
where not exists (
    select 1 from short_breaks s
    where s.as_at_date = o.as_at_date and s.person_id = o.person_id
)
