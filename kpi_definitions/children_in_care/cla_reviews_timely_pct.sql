-- Children looked after at D whose first review was due before D (denominator) and whose every
-- review deadline up to D was met (numerator). Each child's current period of care and reviews
-- are followed as stretches of days, and the children due and timely are counted at each D from
-- the days those stretches start and end (repeating every child in care for every D ran to
-- millions of rows at large volumes).
with care_periods as (
    -- Each period of care (and the date the child entered care for it) once: the reviews up to
    -- D are the ones up to D of the period's whole sequence, so each review's lateness is
    -- worked out once, not again for every D.
    select distinct person_id, period_no, entered from cla_current_ep_stretches
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
first_day_of_index as (
    -- The first date with each working-day index (indexes run on without a gap).
    select working_day_index, min(date) as date from ref.calendar group by working_day_index
),
cohort as (
    -- Looked after at D (the block cla_current_ep_stretches: the stretches of days with one
    -- current episode, its continuous period of care and the date the child entered care for
    -- it) and past the first review's deadline: wd(entered, D) > 20, i.e. D on or after the
    -- 21st working day after entering care. A child whose 20th working day is D itself is not
    -- yet due and is left out.
    select
        s.person_id,
        s.period_no,
        s.entered,
        greatest(s.from_date, f.date) as from_date,
        s.to_date
    from cla_current_ep_stretches s
    join ref.calendar c on c.date = s.entered
    join first_day_of_index f on f.working_day_index = c.working_day_index + 21
    where greatest(s.from_date, f.date) < s.to_date
),
timely_spans as (
    -- The child's last review on or before D is this one from its date until the next review.
    -- Not timely if a review so far was late, or once the next deadline has passed with no
    -- review: timely up to the deadline (a deadline falling on D itself is not missed, as
    -- Clarification 12 for CP reviews). With no review at all the 20-working-day deadline has
    -- passed (the cohort condition): never timely.
    select
        person_id,
        period_no,
        entered,
        review_date as from_date,
        least(
            lead(review_date, 1, date '9999-12-31') over (
                partition by person_id, period_no, entered order by review_date
            ),
            case
                when review_no = 1 then months_after(review_date, 3)
                else months_after(review_date, 6)
            end + 1
        ) as to_date,
        any_late
    from review_history
),
timely as (
    select
        greatest(c.from_date, t.from_date) as from_date,
        least(c.to_date, t.to_date) as to_date
    from cohort c
    join timely_spans t
      on t.person_id = c.person_id
     and t.period_no = c.period_no
     and t.entered = c.entered
     and t.from_date < c.to_date
     and t.to_date > c.from_date
    where not coalesce(t.any_late, false)
),
changes as (
    select from_date as d, 0 as timely_change, 1 as due_change from cohort
    union all
    select to_date, 0, -1 from cohort where to_date < date '9999-12-31'
    union all
    select from_date, 1, 0 from timely where from_date < to_date
    union all
    select to_date, -1, 0 from timely where from_date < to_date and to_date < date '9999-12-31'
),
counts as (
    select
        d,
        sum(sum(timely_change)) over (order by d) as timely_children,
        sum(sum(due_change)) over (order by d) as due_children
    from changes
    group by d
)
-- (dates outside the working-day calendar have no working days to count: no child is due)
select
    a.as_at_date,
    coalesce(c.timely_children, 0) as numerator,
    coalesce(c.due_children, 0) as denominator
from as_at_dates a
join ref.calendar k on k.date = a.as_at_date
asof left join counts c on c.d <= a.as_at_date
