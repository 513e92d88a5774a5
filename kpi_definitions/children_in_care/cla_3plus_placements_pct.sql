-- Children looked after at D (denominator; the block children_looked_after) who had 3 or more
-- distinct placements in effect at any time in the 12 months to D, (D - 12 months, D]
-- (numerator).
with placement_spans as (
    -- A placement is in effect in the window when it started on or before D and had not ended
    -- by D - 12 months (one that ended exactly on D - 12 months is out). Every placement of the
    -- child counts, from any period of care, temporary and short-break ones included. So it
    -- counts for every D from its start until the first D whose D - 12 months reaches its end
    -- (a day later than end + 12 months when that was clipped from 29 February).
    select
        clap_person_id as person_id,
        clap_cla_placement_start_date as from_date,
        months_after(clap_cla_placement_end_date, 12)
            + case when strftime(clap_cla_placement_end_date, '%m-%d') = '02-29' then 1 else 0 end
            as to_date
    from ssd_cla_placement
    where clap_cla_placement_start_date is not null
),
changes as (
    select person_id, from_date as d, 1 as change
    from placement_spans
    where to_date is null or to_date > from_date
    union all
    select person_id, to_date, -1
    from placement_spans
    where to_date > from_date
),
placement_counts as (
    -- the child's placements in the window, from each day it changes until the next
    select
        person_id,
        d as from_date,
        -- (the last change lasts: a far date keeps the join a plain range join)
        lead(d, 1, date '9999-12-31') over child_days as to_date,
        sum(sum(change)) over child_days as placements
    from changes
    group by person_id, d
    window child_days as (partition by person_id order by d)
),
three_or_more as (
    -- the dates D on which the child had had 3 or more
    select a.as_at_date, w.person_id
    from placement_counts w
    join as_at_dates a
      on a.as_at_date >= w.from_date and a.as_at_date < w.to_date
    where w.placements >= 3
)
select
    l.as_at_date,
    l.person_id,
    case when w.person_id is not null then 1 else 0 end as numerator,
    1 as denominator
from children_looked_after l
left join three_or_more w on w.as_at_date = l.as_at_date and w.person_id = l.person_id
