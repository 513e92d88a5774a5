-- Children looked after at D whose first review was due before D (denominator) and whose every
-- review deadline up to D was met (numerator).
with cohort as (
    -- Looked after at D (the block cla_current_episode: one row per child looked after at D,
    -- with the continuous period of care of the current episode and the date the child entered
    -- care for it) and past the first review's deadline: wd(entered, D) > 20. A child whose
    -- 20th working day is D itself is not yet due and is left out.
    select c.as_at_date, c.person_id, c.period_no, c.entered
    from cla_current_episode c
    where working_days_between(c.entered, c.as_at_date) > 20
),
period_cla_ids as (
    -- Reviews link through clar_cla_id = clae_cla_id, for any episode of the current period.
    select distinct person_id, period_no, cla_id from cla_care_periods where cla_id is not null
),
reviews_to_date as (
    -- Reviews held between entering care and D; cancelled ones are not reviews. Two records on
    -- one date are one review.
    select distinct c.as_at_date, c.person_id, c.entered, r.clar_cla_review_date as review_date
    from cohort c
    join period_cla_ids i on i.person_id = c.person_id and i.period_no = c.period_no
    join ssd_cla_reviews r on r.clar_cla_id = i.cla_id
    where r.clar_cla_review_date between c.entered and c.as_at_date
      and not coalesce(r.clar_cla_review_cancelled, false)
),
review_sequence as (
    select
        *,
        row_number() over (partition by as_at_date, person_id order by review_date) as review_no,
        lag(review_date) over (partition by as_at_date, person_id order by review_date)
            as previous_review
    from reviews_to_date
),
review_lateness as (
    -- First review within 20 working days of entering care, the second within 3 months of the
    -- first, then each within 6 months of the previous (calendar months, clipped to month end).
    select
        as_at_date,
        person_id,
        review_no,
        review_date,
        case
            when review_no = 1 then working_days_between(entered, review_date) > 20
            when review_no = 2 then review_date > months_after(previous_review, 3)
            else review_date > months_after(previous_review, 6)
        end as late
    from review_sequence
),
review_summary as (
    select
        as_at_date,
        person_id,
        bool_or(late) as any_late,
        max(review_no) as reviews,
        max(review_date) as last_review
    from review_lateness
    group by as_at_date, person_id
),
timeliness as (
    -- Not timely if a review was late, or the next deadline passed before D with no review. A
    -- deadline falling on D itself is not missed (as Clarification 12 for CP reviews). With no
    -- review at all the 20-working-day deadline has passed (the cohort condition).
    select
        c.as_at_date,
        c.person_id,
        case
            when s.reviews is null then false
            when s.any_late then false
            when s.reviews = 1 then months_after(s.last_review, 3) >= c.as_at_date
            else months_after(s.last_review, 6) >= c.as_at_date
        end as timely
    from cohort c
    left join review_summary s on s.as_at_date = c.as_at_date and s.person_id = c.person_id
)
select
    as_at_date,
    person_id,
    case when timely then 1 else 0 end as numerator,
    1 as denominator
from timeliness
