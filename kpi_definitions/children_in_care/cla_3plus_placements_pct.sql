-- Children looked after at D (denominator; the block children_looked_after) who had 3 or more
-- distinct placements in effect at any time in the 12 months to D, (D - 12 months, D]
-- (numerator).
with placements_in_window as (
    -- A placement is in effect in the window when it started on or before D and had not ended
    -- by D - 12 months (one that ended exactly on D - 12 months is out). Every placement of the
    -- child counts, from any period of care, temporary and short-break ones included.
    select l.as_at_date, l.person_id, count(distinct p.clap_cla_placement_id) as placements
    from children_looked_after l
    join ssd_cla_placement p
      on p.clap_person_id = l.person_id
     and p.clap_cla_placement_start_date <= l.as_at_date
     and (p.clap_cla_placement_end_date is null
          or p.clap_cla_placement_end_date > months_before(l.as_at_date, 12))
    group by l.as_at_date, l.person_id
)
select
    l.as_at_date,
    l.person_id,
    case when w.placements >= 3 then 1 else 0 end as numerator,
    1 as denominator
from children_looked_after l
left join placements_in_window w on w.as_at_date = l.as_at_date and w.person_id = l.person_id
