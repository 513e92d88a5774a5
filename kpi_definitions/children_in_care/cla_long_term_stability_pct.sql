-- Children under 16 looked after at D who had been looked after continuously for 2.5 years or
-- more (a stretch of care_stretches starting on or before D - 30 months and still going at D);
-- numerator 1 when their current placement (the block cla_current_placement) had lasted 2 years
-- or more at D (started on or before D - 24 months). A placement for adoption (A3-A6) that began
-- the day the child's previous placement ended is measured from that previous placement's start
-- (the DfE: the adoptive placement together with the previous placement).
with placements as (
    select
        clap_cla_placement_id as placement_id,
        clap_cla_placement_start_date as start_date,
        clap_cla_placement_type as placement_type,
        lag(clap_cla_placement_start_date) over by_child as previous_start,
        lag(clap_cla_placement_end_date) over by_child as previous_end
    from ssd_cla_placement
    window by_child as (
        partition by clap_person_id
        order by clap_cla_placement_start_date, clap_cla_placement_id
    )
),
stable_from as (
    select
        placement_id,
        case
            when placement_type in ('A3', 'A4', 'A5', 'A6') and previous_end = start_date
                then previous_start
            else start_date
        end as stable_from
    from placements
),
cohort as (
    select a.as_at_date, s.person_id
    from care_stretches s
    join as_at_dates a
      on s.from_date <= months_before(a.as_at_date, 30)
     and (s.to_date is null or a.as_at_date < s.to_date)
    join ssd_person p on p.pers_person_id = s.person_id
    where age_on(p.pers_dob, a.as_at_date) < 16
    group by a.as_at_date, s.person_id
)
select
    c.as_at_date,
    case when f.stable_from <= months_before(c.as_at_date, 24) then 1 else 0 end as numerator,
    1 as denominator
from cohort c
left join cla_current_placement cp
  on cp.as_at_date = c.as_at_date
 and cp.person_id = c.person_id
left join stable_from f on f.placement_id = cp.placement_id
