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
care_periods as (
    -- Each period of care (and the date the child entered care for it) once: the reviews up to
    -- D are the ones up to D of the period's whole sequence, so each review's lateness is
    -- worked out once, not again for every D.
    select distinct person_id, period_no, entered from cohort
),
period_cla_ids as (
    -- Reviews link through clar_cla_id = clae_cla_id, for any episode of the current period.
    select distinct person_id, period_no, cla_id from cla_care_periods where cla_id is not null
),
reviews as (
    -- Reviews held since entering care; cancelled ones are not reviews. Two records on one date
    -- are one review.
    select distinct p.person_id, p.period_no, p.entered, r.clar_cla_review_date as review_date
    from care_periods p
    join period_cla_ids i on i.person_id = p.person_id and i.period_no = p.period_no
    join ssd_cla_reviews r on r.clar_cla_id = i.cla_id
    where r.clar_cla_review_date >= p.entered
      and not coalesce(r.clar_cla_review_cancelled, false)
),
review_sequence as (
    select
        *,
        row_number() over period_reviews as review_no,
        lag(review_date) over period_reviews as previous_review
    from reviews
    window period_reviews as (partition by person_id, period_no, entered order by review_date)
),
review_lateness as (
    -- First review within 20 working days of entering care, the second within 3 months of the
    -- first, then each within 6 months of the previous (calendar months, clipped to month end).
    select
        *,
        case
            when review_no = 1 then working_days_between(entered, review_date) > 20
            when review_no = 2 then review_date > months_after(previous_review, 3)
            else review_date > months_after(previous_review, 6)
        end as late
    from review_sequence
),
review_history as (
    -- Whether this review or any before it in the period was late.
    select
        person_id,
        period_no,
        entered,
        review_date,
        review_no,
        bool_or(late) over (
            partition by person_id, period_no, entered
            order by review_date
            rows between unbounded preceding and current row
        ) as any_late
    from review_lateness
),
timeliness as (
    -- The child's last review on or before D. Not timely if a review was late, or the next
    -- deadline passed before D with no review. A deadline falling on D itself is not missed (as
    -- Clarification 12 for CP reviews). With no review at all the 20-working-day deadline has
    -- passed (the cohort condition).
    select
        c.as_at_date,
        c.person_id,
        case
            when s.review_no is null then false
            when s.any_late then false
            when s.review_no = 1 then months_after(s.review_date, 3) >= c.as_at_date
            else months_after(s.review_date, 6) >= c.as_at_date
        end as timely
    from cohort c
    asof left join review_history s
      on s.person_id = c.person_id
     and s.period_no = c.period_no
     and s.entered = c.entered
     and s.review_date <= c.as_at_date
)
select
    as_at_date,
    person_id,
    case when timely then 1 else 0 end as numerator,
    1 as denominator
from timeliness
