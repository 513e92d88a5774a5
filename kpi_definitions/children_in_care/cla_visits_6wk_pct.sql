-- Children looked after at D for more than 42 days (denominator) who were seen on a statutory
-- visit in the 42 days to D (numerator).
with cohort as (
    -- Looked after at D (the block cla_current_episode, with the date the child entered care
    -- for the current period of care) and in care for more than 42 days: D - entered > 42.
    select c.as_at_date, c.person_id
    from cla_current_episode c
    where c.as_at_date - c.entered > 42
),
seen_recently as (
    -- A CLA visit where the child was seen, dated 0 to 42 days before D, matched by person.
    select distinct c.as_at_date, c.person_id
    from cohort c
    join ssd_cla_visits v
      on v.clav_person_id = c.person_id
     and v.clav_cla_visit_seen
     and c.as_at_date - v.clav_cla_visit_date between 0 and 42
)
select
    c.as_at_date,
    c.person_id,
    case when s.person_id is not null then 1 else 0 end as numerator,
    1 as denominator
from cohort c
left join seen_recently s on s.as_at_date = c.as_at_date and s.person_id = c.person_id
