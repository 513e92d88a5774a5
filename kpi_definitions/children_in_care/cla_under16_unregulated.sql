-- Children looked after at D, aged under 16 at D, whose current placement is unregulated or
-- supported accommodation (H5, K3, P2): the stretches of such a current placement (the block
-- cla_current_pl_stretches: the children of cla_current_placement), up to the child's 16th
-- birthday.
select
    s.from_date,
    -- Under 16 up to the day before the 16th birthday (whole years as age_on counts them: a
    -- 29 February birthday falls on 1 March in other years); a child with no date of birth has
    -- no age and is left out.
    least(
        s.to_date,
        months_after(p.pers_dob, 192)
            + case when strftime(p.pers_dob, '%m-%d') = '02-29'
                        and day(months_after(p.pers_dob, 192)) = 28 then 1 else 0 end
    ) as to_date,
    1 as numerator,
    null as denominator
from cla_current_pl_stretches s
join ssd_person p on p.pers_person_id = s.person_id
where p.pers_dob is not null
  and s.placement_type in ('H5', 'K3', 'P2')
