-- Children looked after at D for 12 months or more (the block cla_in_care_12_months); numerator 1
-- when the child had a check of type DENTAL_CHECK dated in the 12 months to D, (D - 12 months, D].
with checked as (
    select c.as_at_date, c.person_id
    from cla_in_care_12_months c
    join ssd_cla_health h
      on h.clah_person_id = c.person_id
     and h.clah_health_check_type = 'DENTAL_CHECK'
     and h.clah_health_check_date > months_before(c.as_at_date, 12)
     and h.clah_health_check_date <= c.as_at_date
    group by c.as_at_date, c.person_id
)
select
    c.as_at_date,
    (k.person_id is not null)::integer as numerator,
    1 as denominator
from cla_in_care_12_months c
left join checked k
  on k.as_at_date = c.as_at_date
 and k.person_id = c.person_id
