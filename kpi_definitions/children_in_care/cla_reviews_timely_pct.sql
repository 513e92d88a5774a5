-- Children looked after at D whose first review was due before D (denominator) and whose every
-- review deadline up to D was met (numerator): first review within 20 working days of entering
-- care, the second within 3 months of the first, then each within 6 months of the previous
-- (calendar months, clipped to month end; a deadline falling on D is not missed). Each child's
-- current period of care (the block cla_current_ep_stretches: stretches of days with one
-- current episode, its continuous period of care and the date the child entered care for it)
-- is a unit; its reviews are judged by the engine's reviews_on_time.
with first_day_of_index as (
    -- The first date with each working-day index (indexes run on without a gap).
    select working_day_index, min(date) as date from ref.calendar group by working_day_index
),
periods as (
    -- Each period of care and the last day its first review may be held: the day before the
    -- 21st working day after entering care (dates outside the working-day calendar, which has
    -- no working days to count, are never due).
    select distinct s.person_id, s.period_no, s.entered, f.date - 1 as first_due
    from cla_current_ep_stretches s
    join ref.calendar c on c.date = s.entered
    join first_day_of_index f on f.working_day_index = c.working_day_index + 21
),
due as (
    -- Looked after at D and past the first review's deadline (D after first_due).
    select
        row(s.person_id, s.period_no, s.entered) as unit_id,
        greatest(s.from_date, p.first_due + 1) as from_date,
        s.to_date
    from cla_current_ep_stretches s
    join periods p using (person_id, period_no, entered)
),
reviews as (
    -- Reviews held since entering care, linked through clar_cla_id = clae_cla_id to any episode
    -- of the period (cla_care_periods); cancelled ones are not reviews, and two records on one
    -- date are one review.
    select distinct
        row(p.person_id, p.period_no, p.entered) as unit_id,
        p.first_due,
        r.clar_cla_review_date as review_date
    from periods p
    join cla_care_periods e on e.person_id = p.person_id and e.period_no = p.period_no
    join ssd_cla_reviews r on r.clar_cla_id = e.cla_id
    where r.clar_cla_review_date >= p.entered
      and not coalesce(r.clar_cla_review_cancelled, false)
),
on_time as (select * from reviews_on_time(reviews, 3, 6))
select from_date, to_date, 0 as numerator, 1 as denominator
from due
union all
select from_date, to_date, 1, 0
from overlapping(due, on_time)
