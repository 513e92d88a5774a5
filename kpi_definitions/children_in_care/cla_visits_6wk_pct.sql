-- Children looked after at D for more than 42 days (denominator) who were seen on a statutory
-- visit in the 42 days to D (numerator).
with in_care_over_42_days as (
    -- Looked after at D (the block cla_current_ep_stretches, with the date the child entered
    -- care for the current period of care) and D - entered > 42, i.e. D on or after entered + 43.
    select person_id as unit_id, greatest(from_date, entered + 43) as from_date, to_date
    from cla_current_ep_stretches
),
visits_seen as (
    -- CLA visits where the child was seen
    select clav_person_id as unit_id, clav_cla_visit_date as event_date
    from ssd_cla_visits
    where clav_cla_visit_seen
),
seen as (
    -- A visit counts from its day until the child's next visit, while it is in the 42 days to D
    -- (0 to 42 days before D): until 43 days after it (the engine macro recent_cover).
    from recent_cover(visits_seen, 43)
)
select from_date, to_date, 0 as numerator, 1 as denominator
from in_care_over_42_days
union all
select from_date, to_date, 1, 0
from overlapping(in_care_over_42_days, seen)
