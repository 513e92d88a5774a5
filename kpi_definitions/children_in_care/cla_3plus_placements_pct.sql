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
        case
            when months_before(months_after(clap_cla_placement_end_date, 12), 12)
                >= clap_cla_placement_end_date
                then months_after(clap_cla_placement_end_date, 12)
            else months_after(clap_cla_placement_end_date, 12) + 1
        end as to_date
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
    -- the child's placements in the window at D, from each day it changes until the next
    select person_id, d, sum(sum(change)) over (partition by person_id order by d) as placements
    from changes
    group by person_id, d
)
select
    l.as_at_date,
    l.person_id,
    case when w.placements >= 3 then 1 else 0 end as numerator,
    1 as denominator
from children_looked_after l
asof left join placement_counts w on w.person_id = l.person_id and w.d <= l.as_at_date
