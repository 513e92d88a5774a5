-- Missing (type M) episodes that ended in the period, dated by the day the child returned: was a
-- return home interview offered?
select
    cast(miss_missing_episode_end_date as date) as event_date,
    case when miss_missing_rhi_offered = 'Y' then 1 else 0 end as numerator,
    1 as denominator
from ssd_missing
where miss_missing_episode_type = 'M'
  and miss_missing_episode_end_date is not null
  -- NA (not applicable) is left out of both; a blank flag stays in the denominator.
  and miss_missing_rhi_offered is distinct from 'NA'
