-- Child protection plans and their review deadlines: one row per plan, columns (plan_id,
-- person_id, qualifying_from, end_date, missed_from). A plan qualifies for the review measure
-- from the first D with D - 3 months on or after its start (calendar months clipped to the month
-- end: the day after start + 3 months when that was clipped) until its end (blank: open).
-- Deadline chain: the first review is due by start + 3 months, each later one by the review
-- before + 6 months (months_after, clipped to the month end); the due date recorded on a review
-- is not used. A deadline falling on D with no review yet is not missed; once one is missed the
-- plan stays late, from missed_from, the day after the first deadline passed with no review on
-- or before it (the next review's date, or none). Reviews link by plan id and count from the
-- plan start on; after a start and a review on one day, the review's deadline runs. Reads
-- ssd_cp_plans and ssd_cp_reviews.
with plans as (
    select cppl_cp_plan_id as plan_id, cppl_person_id as person_id,
           cppl_cp_plan_start_date as start_date, cppl_cp_plan_end_date as end_date
    from ssd_cp_plans
),
steps as (
    -- the plan start and every review, each with the deadline it sets for the next review
    select plan_id, start_date as step_date, months_after(start_date, 3) as deadline
    from plans
    union all
    select p.plan_id, r.cppr_cp_review_date, months_after(r.cppr_cp_review_date, 6)
    from plans p
    join ssd_cp_reviews r
      on r.cppr_cp_plan_id = p.plan_id
     and r.cppr_cp_review_date >= p.start_date
),
chain as (
    select plan_id, step_date, max(deadline) as deadline,
           lead(step_date) over (partition by plan_id order by step_date) as next_step
    from steps
    group by plan_id, step_date
),
missed as (
    select plan_id, min(deadline) + 1 as missed_from
    from chain
    where next_step is null or next_step > deadline
    group by plan_id
)
select
    p.plan_id,
    p.person_id,
    months_after(p.start_date, 3)
        + (months_before(months_after(p.start_date, 3), 3) < p.start_date)::integer
        as qualifying_from,
    p.end_date,
    m.missed_from
from plans p
join missed m on m.plan_id = p.plan_id
