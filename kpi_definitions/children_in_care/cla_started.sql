-- One row per episode that began a period of care (SSDA903 RNE = S), dated by its start.
select
    clae_cla_episode_start_date as event_date,
    1 as numerator,
    null as denominator
from ssd_cla_episodes
where clae_cla_episode_start_reason = 'S'
