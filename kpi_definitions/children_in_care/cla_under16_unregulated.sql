-- Children looked after at D, aged under 16 at D, whose current placement is unregulated or
-- supported accommodation (H5, K3, P2), counted at each D from the days such a placement
-- stretch (the block cla_current_pl_stretches: the children of cla_current_placement) starts
-- and ends, or the child turns 16 during it.
with placed as (
    -- Under 16 up to the day before the 16th birthday (whole years as age_on counts them: a
    -- 29 February birthday falls on 1 March in other years); a child with no date of birth has
    -- no age and is left out.
    select
        s.from_date,
        least(
            s.to_date,
            months_after(p.pers_dob, 192)
                + case when strftime(p.pers_dob, '%m-%d') = '02-29'
                            and day(months_after(p.pers_dob, 192)) = 28 then 1 else 0 end
        ) as to_date
    from cla_current_pl_stretches s
    join ssd_person p on p.pers_person_id = s.person_id
    where p.pers_dob is not null
      and s.placement_type in ('H5', 'K3', 'P2')
),
changes as (
    select from_date as d, 1 as change from placed where from_date < to_date
    union all
    select to_date, -1 from placed where from_date < to_date and to_date < date '9999-12-31'
),
counts as (
    select d, sum(sum(change)) over (order by d) as children
    from changes
    group by d
)
select a.as_at_date, coalesce(c.children, 0) as numerator, null as denominator
from as_at_dates a
asof left join counts c on c.d <= a.as_at_date
