-- One row per missing or away-from-placement episode, dated by the day it started.
select
    cast(miss_missing_episode_start_date as date) as event_date,
    1 as numerator,
    null as denominator
from ssd_missing
