-- Children looked after at D for more than 42 days (denominator) who were seen on a statutory
-- visit in the 42 days to D (numerator).
with episodes as (
    select
        clae_cla_episode_id as episode_id,
        clae_person_id as person_id,
        clae_cla_episode_start_date as start_date,
        clae_cla_episode_ceased as ceased_date,
        clae_entered_care_date as entered_care_date,
        -- The furthest any earlier episode of the child reaches (an open one reaches forever).
        max(coalesce(clae_cla_episode_ceased, date '9999-12-31')) over (
            partition by clae_person_id
            order by clae_cla_episode_start_date, clae_cla_episode_id
            rows between unbounded preceding and 1 preceding
        ) as earlier_reach
    from ssd_cla_episodes
),
numbered_periods as (
    -- A new continuous period of care starts when an episode begins after every earlier episode
    -- had ceased; an episode starting on the day the previous one ceased (X1) continues it.
    select
        *,
        sum(case when earlier_reach is null or start_date > earlier_reach then 1 else 0 end) over (
            partition by person_id order by start_date, episode_id
        ) as period_no
    from episodes
),
periods as (
    select *, min(start_date) over (partition by person_id, period_no) as period_start
    from numbered_periods
),
current_episode as (
    -- The child's episode open at the end of D (the latest start if several).
    select a.as_at_date, p.person_id, coalesce(p.entered_care_date, p.period_start) as entered
    from as_at_dates a
    join periods p
      on p.start_date <= a.as_at_date
     and (p.ceased_date is null or p.ceased_date > a.as_at_date)
    qualify row_number() over (
        partition by a.as_at_date, p.person_id order by p.start_date desc, p.episode_id desc
    ) = 1
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
cohort as (
    -- Looked after at D and in care for more than 42 days: D - entered > 42.
    select c.as_at_date, c.person_id
    from current_episode c
    where c.as_at_date - c.entered > 42
      and not exists (
          select 1 from short_breaks s
          where s.as_at_date = c.as_at_date and s.person_id = c.person_id
      )
),
seen_recently as (
    -- A CLA visit where the child was seen, dated 0 to 42 days before D, matched by person.
    select distinct c.as_at_date, c.person_id
    from cohort c
    join ssd_cla_visits v
      on v.clav_person_id = c.person_id
     and v.clav_cla_visit_seen
     and c.as_at_date - v.clav_cla_visit_date between 0 and 42
)
select
    c.as_at_date,
    c.person_id,
    case when s.person_id is not null then 1 else 0 end as numerator,
    1 as denominator
from cohort c
left join seen_recently s on s.as_at_date = c.as_at_date and s.person_id = c.person_id
