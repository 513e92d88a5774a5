-- Children looked after at D for more than 42 days (denominator) who were seen on a statutory
-- visit in the 42 days to D (numerator).
with cohort as (
    -- Looked after at D (the block cla_current_episode, with the date the child entered care
    -- for the current period of care) and in care for more than 42 days: D - entered > 42.
    select c.as_at_date, c.person_id
    from cla_current_episode c
    where c.as_at_date - c.entered > 42
),
seen_visits as (
    -- CLA visits where the child was seen, matched by person
    select clav_person_id as person_id, clav_cla_visit_date as visit_date
    from ssd_cla_visits
    where clav_cla_visit_seen and clav_cla_visit_date is not null
),
latest_visit as (
    -- the child's latest such visit on or before D: if it is not in the 42 days to D (0 to 42
    -- days before D), no visit is
    select c.as_at_date, c.person_id, v.visit_date
    from cohort c
    asof left join seen_visits v on v.person_id = c.person_id and v.visit_date <= c.as_at_date
)
select
    as_at_date,
    person_id,
    case when as_at_date - visit_date <= 42 then 1 else 0 end as numerator,
    1 as denominator
from latest_visit
