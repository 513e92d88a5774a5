-- Children who started to be looked after in the 12 months to each as-at date D, (D - 12
-- months, D]: one row per child per D. A start is an episode with reason for new episode S; a
-- start while a V3/V4 (short breaks) legal status is open on its first day is left out, as the
-- DfE leaves out children looked after under a series of short breaks. A child who starts twice
-- in the 12 months is one child (the DfE counts the first start only). The engine divides by the
-- population at D.
with starts as (
    select e.clae_person_id as person_id, e.clae_cla_episode_start_date as start_date
    from ssd_cla_episodes e
    where e.clae_cla_episode_start_reason = 'S'
      and not exists (
          select 1
          from ssd_legal_status l
          where l.lega_person_id = e.clae_person_id
            and l.lega_legal_status in ('V3', 'V4')
            and l.lega_legal_status_start_date <= e.clae_cla_episode_start_date
            and (l.lega_legal_status_end_date is null
                 or l.lega_legal_status_end_date > e.clae_cla_episode_start_date)
      )
)
select a.as_at_date, 1 as numerator, null as denominator
from as_at_dates a
join starts s
  on s.start_date > months_before(a.as_at_date, 12)
 and s.start_date <= a.as_at_date
group by a.as_at_date, s.person_id
