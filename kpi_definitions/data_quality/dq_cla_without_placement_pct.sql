-- Children looked after at D (denominator) with no placement open at D (numerator), from the
-- blocks children_looked_after and cla_current_placement (a child with an open placement has a
-- row there).
select
    l.as_at_date,
    l.person_id,
    case when c.person_id is null then 1 else 0 end as numerator,
    1 as denominator
from children_looked_after l
left join cla_current_placement c on c.as_at_date = l.as_at_date and c.person_id = l.person_id
