-- Children looked after at D, aged under 16 at D, whose current placement (the block
-- cla_current_placement) is unregulated or supported accommodation (H5, K3, P2): one row per
-- such child.
with with_age as (
    -- Age in whole years on D; a child with no date of birth has no age and is left out.
    select c.as_at_date, c.person_id, c.placement_type, age_on(p.pers_dob, c.as_at_date) as age
    from cla_current_placement c
    join ssd_person p on p.pers_person_id = c.person_id
    where p.pers_dob is not null
)
select as_at_date, person_id, 1 as numerator, null as denominator
from with_age
where age < 16
  and placement_type in ('H5', 'K3', 'P2')
