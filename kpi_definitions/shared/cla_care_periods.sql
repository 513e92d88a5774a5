-- Continuous periods of care: one row per CLA episode (every episode in ssd_cla_episodes,
-- short breaks included), columns (episode_id, person_id, cla_id, start_date, ceased_date,
-- entered_care_date, period_no, period_start). period_no numbers the child's continuous periods
-- of care from 1; period_start is the first episode start of the episode's period (the date the
-- child entered care when the episode does not record it). Reads ssd_cla_episodes.
with episodes as (
    select
        clae_cla_episode_id as episode_id,
        clae_person_id as person_id,
        clae_cla_id as cla_id,
        clae_cla_episode_start_date as start_date,
        clae_cla_episode_ceased as ceased_date,
        clae_entered_care_date as entered_care_date,
        -- How far the child's earlier episodes reach: the latest ceased, or still open.
        max(clae_cla_episode_ceased) over earlier as earlier_reach,
        bool_or(clae_cla_episode_ceased is null) over earlier as earlier_open
    from ssd_cla_episodes
    window earlier as (
        partition by clae_person_id
        order by clae_cla_episode_start_date, clae_cla_episode_id
        rows between unbounded preceding and 1 preceding
    )
),
numbered_periods as (
    -- A new continuous period of care starts when an episode begins after every earlier episode
    -- had ceased; an episode starting on the day the previous one ceased (X1) continues it.
    select
        *,
        sum(
            case when not coalesce(earlier_open, false)
                      and (earlier_reach is null or start_date > earlier_reach) then 1 else 0 end
        ) over (
            partition by person_id order by start_date, episode_id
        ) as period_no
    from episodes
)
select
    episode_id,
    person_id,
    cla_id,
    start_date,
    ceased_date,
    entered_care_date,
    period_no,
    min(start_date) over (partition by person_id, period_no) as period_start
from numbered_periods
