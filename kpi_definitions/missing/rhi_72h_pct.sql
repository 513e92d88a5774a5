-- Missing (type M) episodes that ended in the period, dated by the day the child returned: was
-- a return home interview completed within 72 hours of the return?
with first_interview as (
    -- Several interviews for one episode: the earliest completed one counts.
    select missing_id, min(rhi_completed_datetime) as completed_at
    from ext_return_interviews
    where rhi_completed_datetime is not null
    group by missing_id
),
returns as (
    -- A date-only end is a TIMESTAMP at 00:00, so it is read as midnight.
    select
        m.miss_table_id,
        m.miss_missing_episode_end_date as returned_at,
        f.completed_at
    from ssd_missing m
    left join first_interview f on f.missing_id = m.miss_table_id
    where m.miss_missing_episode_type = 'M'
      and m.miss_missing_episode_end_date is not null
)
select
    cast(returned_at as date) as event_date,
    -- Within 72 hours = at most 259,200 seconds after the return.
    case when completed_at <= returned_at + interval 72 hour then 1 else 0 end as numerator,
    1 as denominator
from returns
-- Completed interviews always count; one not completed counts (as late) only once its 72 hours
-- ran out before the end of the extract date, i.e. before midnight at the start of E + 1 day.
where completed_at is not null
   or returned_at + interval 72 hour < cast(getvariable('extract_date') as timestamp) + interval 1 day
