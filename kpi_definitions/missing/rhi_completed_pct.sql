-- Missing (type M) episodes that ended in the period and whose return home interview was
-- accepted, dated by the day the child returned: was an interview completed (ever, by the
-- extract date)? One not completed counts as not done only once 72 hours from the return have
-- run out before the end of the extract date (as rhi_72h_pct), so a return of the last days is
-- not counted against the service before it could have been seen.
with completed as (
    select distinct missing_id
    from ext_return_interviews
    where rhi_completed_datetime is not null
)
select
    cast(m.miss_missing_episode_end_date as date) as event_date,
    (c.missing_id is not null)::integer as numerator,
    1 as denominator
from ssd_missing m
left join completed c on c.missing_id = m.miss_table_id
where m.miss_missing_episode_type = 'M'
  and m.miss_missing_episode_end_date is not null
  and m.miss_missing_rhi_accepted = 'Y'
  and (
      c.missing_id is not null
      or m.miss_missing_episode_end_date + interval 72 hour
         < cast(getvariable('extract_date') as timestamp) + interval 1 day
  )
