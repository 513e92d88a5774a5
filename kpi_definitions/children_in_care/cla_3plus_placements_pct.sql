-- Children looked after at D (denominator; the children of the block
-- children_looked_after, from their stretches of care in care_stretches) who had 3 or more
-- placements in effect at any time in the 12 months to D, (D - 12 months, D] (numerator),
-- placements counted as LAIT 372 (SSDA903) counts them: see the YAML.
with counted as (
    -- placements of 24 hours or more that are not temporary (T0-T4: hospital, holiday, respite
    -- and the like); a placement ending the day it started lasted under 24 hours
    select
        clap_cla_placement_id as placement_id,
        clap_person_id as person_id,
        clap_cla_placement_start_date as start_date,
        clap_cla_placement_end_date as end_date,
        clap_cla_placement_type as placement_type
    from ssd_cla_placement
    where clap_cla_placement_start_date is not null
      and coalesce(clap_cla_placement_type, '') not in ('T0', 'T1', 'T2', 'T3', 'T4')
      and (clap_cla_placement_end_date is null
           or clap_cla_placement_end_date > clap_cla_placement_start_date)
),
continuations as (
    -- placed for adoption with the current foster carers (A3, A5) from the day the child's
    -- previous placement ended: the same carers, so not a new placement; the previous one runs on
    select c.placement_id, p.placement_id as previous_id, c.end_date
    from counted c
    join counted p
      on p.person_id = c.person_id
     and p.end_date = c.start_date
     and p.placement_id <> c.placement_id
    where c.placement_type in ('A3', 'A5')
    qualify row_number() over (partition by c.placement_id order by p.start_date desc) = 1
),
placements as (
    select
        p.person_id,
        p.start_date,
        case when k.previous_id is not null then k.end_date else p.end_date end as end_date
    from counted p
    left join continuations k on k.previous_id = p.placement_id
    where p.placement_id not in (select placement_id from continuations)
),
placement_spans as (
    -- A placement is in effect in the window when it started on or before D and had not ended
    -- by D - 12 months (one that ended exactly on D - 12 months is out), from any period of
    -- care. So it counts for every D from its start until the first D whose D - 12 months
    -- reaches its end (a day later than end + 12 months when that was clipped from 29 February).
    select
        person_id,
        start_date as from_date,
        months_after(end_date, 12)
            + case when strftime(end_date, '%m-%d') = '02-29' then 1 else 0 end
            as to_date
    from placements
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
    -- the stretches of days the child had had 3 or more and was looked after (the block
    -- care_stretches: the children of children_looked_after)
    select
        greatest(c.from_date, w.from_date) as from_date,
        least(c.to_date, w.to_date) as to_date
    from placement_counts w
    join care_stretches c
      on c.person_id = w.person_id
     and c.from_date < w.to_date
     and c.to_date > w.from_date
    where w.placements >= 3
),
looked_after_changes as (
    -- children looked after and those with 3 or more, counted at each D from the days their
    -- stretches start and end
    select from_date as d, 0 as three_change, 1 as looked_after_change from care_stretches
    union all
    select to_date, 0, -1 from care_stretches where to_date < date '9999-12-31'
    union all
    select from_date, 1, 0 from three_or_more
    union all
    select to_date, -1, 0 from three_or_more where to_date < date '9999-12-31'
),
counts as (
    select
        d,
        sum(sum(three_change)) over (order by d) as three_or_more_children,
        sum(sum(looked_after_change)) over (order by d) as looked_after
    from looked_after_changes
    group by d
)
select
    a.as_at_date,
    coalesce(c.three_or_more_children, 0) as numerator,
    coalesce(c.looked_after, 0) as denominator
from as_at_dates a
asof left join counts c on c.d <= a.as_at_date
