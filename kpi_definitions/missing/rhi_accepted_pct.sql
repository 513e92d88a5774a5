-- Missing (type M) episodes that ended in the period and whose return home interview was offered,
-- dated by the day the child returned: was the interview accepted?
select
    cast(miss_missing_episode_end_date as date) as event_date,
    case when miss_missing_rhi_accepted = 'Y' then 1 else 0 end as numerator,
    1 as denominator
from ssd_missing
where miss_missing_episode_type = 'M'
  and miss_missing_episode_end_date is not null
  and miss_missing_rhi_offered = 'Y'
  -- NA (not applicable) is left out of both; a blank flag stays in the denominator.
  and miss_missing_rhi_accepted is distinct from 'NA'
