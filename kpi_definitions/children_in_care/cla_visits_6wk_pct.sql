-- Children looked after at D for more than 42 days (denominator) who were seen on a statutory
-- visit in the 42 days to D (numerator). Each child's current period of care and visits are
-- followed as stretches of days, and the children counted at each D from the days those
-- stretches start and end (repeating every child in care for every D ran to millions of rows at
-- large volumes).
with cohort as (
    -- Looked after at D (the block cla_current_ep_stretches: stretches of days with one current
    -- episode, with the date the child entered care for the current period of care) and in care
    -- for more than 42 days: D - entered > 42, i.e. D on or after entered + 43.
    select person_id, greatest(from_date, entered + 43) as from_date, to_date
    from cla_current_ep_stretches
    where greatest(from_date, entered + 43) < to_date
),
seen_visits as (
    -- CLA visits where the child was seen, matched by person, one per day
    select distinct clav_person_id as person_id, clav_cla_visit_date as visit_date
    from ssd_cla_visits
    where clav_cla_visit_seen and clav_cla_visit_date is not null
),
visit_cover as (
    -- a visit is the child's latest on or before D from its day until the next visit, and is in
    -- the 42 days to D (0 to 42 days before D) until 43 days after it
    select
        person_id,
        visit_date,
        least(
            lead(visit_date, 1, date '9999-12-31') over (
                partition by person_id order by visit_date
            ),
            visit_date + 43
        ) as to_date
    from seen_visits
),
seen as (
    select
        greatest(c.from_date, v.visit_date) as from_date,
        least(c.to_date, v.to_date) as to_date
    from cohort c
    join visit_cover v
      on v.person_id = c.person_id
     and v.visit_date < c.to_date
     and v.to_date > c.from_date
),
changes as (
    select from_date as d, 0 as seen_change, 1 as cohort_change from cohort
    union all
    select to_date, 0, -1 from cohort where to_date < date '9999-12-31'
    union all
    select from_date, 1, 0 from seen
    union all
    select to_date, -1, 0 from seen where to_date < date '9999-12-31'
),
counts as (
    select
        d,
        sum(sum(seen_change)) over (order by d) as seen_children,
        sum(sum(cohort_change)) over (order by d) as cohort_children
    from changes
    group by d
)
select
    a.as_at_date,
    coalesce(c.seen_children, 0) as numerator,
    coalesce(c.cohort_children, 0) as denominator
from as_at_dates a
asof left join counts c on c.d <= a.as_at_date
