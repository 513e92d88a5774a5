-- The stretches of days each child was looked after: one row per child per continuous stretch
-- (episodes following one another on the same day are one stretch), columns
-- (person_id, from_date, to_date): looked after at the end of every day from from_date up to the
-- day before to_date (blank: to this day). Looked after = a CLA episode open at the end of
-- the day (started on or before it, not ceased by it); a child with any V3/V4 (short breaks)
-- legal status open is left out, and a child with no legal-status row counts (Clarification 15).
-- Reads ssd_cla_episodes and ssd_legal_status (optional: an absent table is empty, so nobody is
-- excluded). The blocks that follow children looked after (children_looked_after and the
-- current episode and placement stretches) start from these stretches, so each child's
-- episodes and short-break statuses are followed once.
with changes as (
    -- +1 on the day an episode (or a V3/V4 status) starts, -1 on the day it ends; one ending on
    -- or before its start is open at the end of no day
    select clae_person_id as person_id, clae_cla_episode_start_date as d,
           1 as episode_change, 0 as short_break_change
    from ssd_cla_episodes
    where clae_cla_episode_start_date is not null
      and (clae_cla_episode_ceased is null
           or clae_cla_episode_ceased > clae_cla_episode_start_date)
    union all
    select clae_person_id, clae_cla_episode_ceased, -1, 0
    from ssd_cla_episodes
    where clae_cla_episode_start_date is not null
      and clae_cla_episode_ceased > clae_cla_episode_start_date
    union all
    select lega_person_id, lega_legal_status_start_date, 0, 1
    from ssd_legal_status
    where lega_legal_status in ('V3', 'V4')
      and lega_legal_status_start_date is not null
      and (lega_legal_status_end_date is null
           or lega_legal_status_end_date > lega_legal_status_start_date)
    union all
    select lega_person_id, lega_legal_status_end_date, 0, -1
    from ssd_legal_status
    where lega_legal_status in ('V3', 'V4')
      and lega_legal_status_start_date is not null
      and lega_legal_status_end_date > lega_legal_status_start_date
),
per_day as (
    -- the changes of each child's day
    select person_id, d, sum(episode_change) as episodes, sum(short_break_change) as short_breaks
    from changes
    where person_id is not null
    group by person_id, d
),
states as (
    -- looked after at the end of each day an episode or status started or ended
    select
        person_id,
        d,
        sum(episodes) over child_days > 0 and sum(short_breaks) over child_days = 0
            as looked_after
    from per_day
    window child_days as (partition by person_id order by d)
),
flips as (
    -- the days the child's state flips: a day with the state of the day before (one episode
    -- ceasing and the next starting on it, a placement move) continues the stretch, so each
    -- stretch is a whole continuous time in care (cohorts "in care for 12 months" need that)
    select person_id, d, looked_after
    from states
    qualify looked_after is distinct from lag(looked_after) over (partition by person_id order by d)
),
stretches as (
    -- from a day the child was looked after until the next flip (none: to this day)
    select
        person_id,
        d as from_date,
        lead(d) over (partition by person_id order by d) as to_date,
        looked_after
    from flips
)
select person_id, from_date, to_date
from stretches
where looked_after
