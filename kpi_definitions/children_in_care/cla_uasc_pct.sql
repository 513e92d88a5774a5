-- Children looked after at each as-at date D (the block children_looked_after); numerator 1 when
-- the child had an immigration status of UASC open at the end of D (started on or before D, not
-- ended by D).
with uasc as (
    select c.as_at_date, c.person_id
    from children_looked_after c
    join ssd_immigration_status i
      on i.immi_person_id = c.person_id
     and upper(trim(i.immi_immigration_status)) in (
         'UASC', 'UNACCOMPANIED ASYLUM SEEKING CHILD', 'UNACCOMPANIED ASYLUM-SEEKING CHILD'
     )
     and i.immi_immigration_status_start_date <= c.as_at_date
     and (i.immi_immigration_status_end_date is null
          or i.immi_immigration_status_end_date > c.as_at_date)
    group by c.as_at_date, c.person_id
)
select
    c.as_at_date,
    (u.person_id is not null)::integer as numerator,
    1 as denominator
from children_looked_after c
left join uasc u
  on u.as_at_date = c.as_at_date
 and u.person_id = c.person_id
