-- Children looked after at D (denominator: their stretches of care, the block care_stretches)
-- who had 3 or more placements in effect at any time in the 12 months to D, (D - 12 months, D]
-- (numerator), placements counted as LAIT 372 (SSDA903) counts them: see the YAML.
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
in_window as (
    -- A placement is in effect in the 12 months to D from its start until the first D whose
    -- 12 months no longer reach its end (one that ended exactly on D - 12 months is out), from
    -- any period of care.
    select person_id as unit_id, start_date as from_date, months_window_end(end_date, 12) as to_date
    from placements
),
three_or_more as (
    select unit_id, from_date, to_date from overlap_counts(in_window) where spans >= 3
),
looked_after as (
    select person_id as unit_id, from_date, to_date from care_stretches
)
select from_date, to_date, 0 as numerator, 1 as denominator
from looked_after
union all
select from_date, to_date, 1, 0
from overlapping(looked_after, three_or_more)
