-- Children looked after at D with a current placement whose distance from home is recorded (the
-- block cla_current_placement); numerator 1 when that distance is more than 20 miles.
select
    c.as_at_date,
    case when p.clap_cla_placement_distance > 20 then 1 else 0 end as numerator,
    1 as denominator
from cla_current_placement c
join ssd_cla_placement p on p.clap_cla_placement_id = c.placement_id
where p.clap_cla_placement_distance is not null
