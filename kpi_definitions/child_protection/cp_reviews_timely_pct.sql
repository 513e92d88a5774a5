-- Qualifying plans at each as-at date D: open at D (the block cp_open_plans) and started on or
-- before D - 3 months.
with qualifying as (
    select as_at_date, plan_id, person_id
    from cp_open_plans
    where start_date <= months_before(as_at_date, 3)
),

-- The steps of each plan's deadline chain: the plan start (next deadline 3 months on) and every
-- review linked by plan id, dated from the plan start (next deadline 6 months after the review).
-- The due date recorded on the review is not used. The chain as known at D is its steps dated
-- up to D, so each step is checked once, not again for every D.
plans as (
    select distinct plan_id, start_date from cp_open_plans
),
steps as (
    select plan_id, start_date as step_date, months_after(start_date, 3) as next_deadline
    from plans
    union all
    select p.plan_id, r.cppr_cp_review_date, months_after(r.cppr_cp_review_date, 6)
    from plans p
    inner join ssd_cp_reviews r
        on r.cppr_cp_plan_id = p.plan_id
       and r.cppr_cp_review_date >= p.start_date
),

-- One row per plan and step date: after a start and a review on one day, the review's deadline
-- runs (the later one).
step_days as (
    select plan_id, step_date, max(next_deadline) as next_deadline
    from steps
    group by plan_id, step_date
),

-- Each step's deadline is met when the next review is on or before it; missed_so_far says
-- whether any deadline up to this step was missed.
chain as (
    select
        plan_id,
        step_date,
        next_deadline,
        bool_or(coalesce(step_date > previous_deadline, false)) over (
            partition by plan_id order by step_date rows between unbounded preceding and current row
        ) as missed_so_far
    from (
        select
            *,
            lag(next_deadline) over (partition by plan_id order by step_date) as previous_deadline
        from step_days
    )
),

-- At D the plan's last step on or before D decides: timely when no deadline up to it was missed
-- and its own deadline is not yet past (a deadline falling on D is not missed).
plan_timely as (
    select
        q.as_at_date,
        q.person_id,
        not c.missed_so_far and c.next_deadline >= q.as_at_date as timely
    from qualifying q
    asof join chain c on c.plan_id = q.plan_id and c.step_date <= q.as_at_date
)

-- One row per child: timely only if every qualifying plan of the child is timely.
select
    as_at_date,
    case when bool_and(timely) then 1 else 0 end as numerator,
    1 as denominator
from plan_timely
group by as_at_date, person_id
