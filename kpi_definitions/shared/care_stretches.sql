-- The stretches of days each child was looked after: one row per child per continuous stretch
-- (episodes following one another on the same day are one stretch), columns (person_id,
-- from_date, to_date): looked after at the end of every day from from_date up to the day before
-- to_date (blank: to this day). Looked after = a CLA episode open at the end of the day (started
-- on or before it, not ceased by it); a child with any V3/V4 (short breaks) legal status open is
-- left out, and a child with no legal-status row counts (Clarification 15). The blocks that
-- follow children looked after start from these stretches, so each child's episodes and
-- short-break statuses are followed once. Reads ssd_cla_episodes and ssd_legal_status
-- (optional: an absent table is empty, so nobody is excluded).
with periods as (
    select clae_person_id as person_id, clae_cla_episode_start_date as from_date,
           clae_cla_episode_ceased as to_date, 1 as episode, 0 as short_break
    from ssd_cla_episodes
    union all
    select lega_person_id, lega_legal_status_start_date, lega_legal_status_end_date, 0, 1
    from ssd_legal_status
    where lega_legal_status in ('V3', 'V4')
),
changes as (
    -- +1 on the day an episode (or a V3/V4 status) starts, -1 on the day it ends; one ending on
    -- or before its start is open at the end of no day
    select person_id, from_date as d, episode, short_break
    from periods
    where from_date is not null and (to_date is null or to_date > from_date)
    union all
    select person_id, to_date, -episode, -short_break
    from periods
    where from_date is not null and to_date > from_date
),
per_day as (
    select person_id, d, sum(episode) as episodes, sum(short_break) as short_breaks
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
)
select person_id, from_date, to_date  -- until the next flip (none: to this day)
from (
    select person_id, d as from_date, lead(d) over (partition by person_id order by d) as to_date,
           looked_after
    from flips
)
where looked_after
