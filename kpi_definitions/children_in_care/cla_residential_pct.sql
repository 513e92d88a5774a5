-- Children looked after at D (denominator) living in residential settings (numerator), by the
-- type of their current placement (blocks children_looked_after and cla_current_placement).
-- A child with no open placement stays in the denominator and is never in the numerator.
select
    l.as_at_date,
    l.person_id,
    case when c.placement_type in ('K1', 'K2', 'R1', 'R2', 'R5', 'S1') then 1 else 0 end as numerator,
    1 as denominator
from children_looked_after l
left join cla_current_placement c on c.as_at_date = l.as_at_date and c.person_id = l.person_id
