-- Children with a qualifying plan at D (open at D, the block cp_open_plans' rule: a plan ending on
-- D is closed, and started on or before D - 3 months), timely when every qualifying plan of the
-- child has met every review deadline so far. Each plan's qualifying days and timely days are
-- followed as stretches, each child's count of both through time, and the children counted at
-- each D from the days they come into or leave the counts (repeating every plan for every D ran
-- to millions of rows at large volumes).
with plans as (
    select cppl_cp_plan_id as plan_id, cppl_person_id as person_id,
           cppl_cp_plan_start_date as start_date, cppl_cp_plan_end_date as end_date
    from ssd_cp_plans
),

-- The steps of each plan's deadline chain: the plan start (next deadline 3 months on) and every
-- review linked by plan id, dated from the plan start (next deadline 6 months after the review).
-- The due date recorded on the review is not used. The chain as known at D is its steps dated
-- up to D, so each step is checked once, not again for every D.
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
        ) as missed_so_far,
        lead(step_date, 1, date '9999-12-31') over (
            partition by plan_id order by step_date
        ) as next_step
    from (
        select
            *,
            lag(next_deadline) over (partition by plan_id order by step_date) as previous_deadline
        from step_days
    )
),

-- Qualifying from the first D with D - 3 months on or after the start (months clipped to the
-- month end, so the day after start + 3 months when that was clipped) while the plan is open.
qualifying as (
    select
        plan_id,
        person_id,
        greatest(
            start_date,
            case
                when months_before(months_after(start_date, 3), 3) >= start_date
                    then months_after(start_date, 3)
                else months_after(start_date, 3) + 1
            end
        ) as from_date,
        coalesce(end_date, date '9999-12-31') as to_date
    from plans
),

-- The plan's last step on or before D decides from its date until the next step: timely while
-- no deadline up to it was missed and its own deadline is not yet past (a deadline falling on D
-- is not missed).
timely as (
    select
        q.plan_id,
        q.person_id,
        greatest(q.from_date, c.step_date) as from_date,
        least(q.to_date, c.next_step, c.next_deadline + 1) as to_date
    from qualifying q
    join chain c
      on c.plan_id = q.plan_id
     and c.step_date < q.to_date
     and c.next_step > q.from_date
    where not c.missed_so_far
),

-- Each child's qualifying and timely plans through time.
changes as (
    select person_id, from_date as d, 1 as plan_change, 0 as timely_change
    from qualifying where from_date < to_date
    union all
    select person_id, to_date, -1, 0
    from qualifying where from_date < to_date and to_date < date '9999-12-31'
    union all
    select person_id, from_date, 0, 1
    from timely where from_date < to_date
    union all
    select person_id, to_date, 0, -1
    from timely where from_date < to_date and to_date < date '9999-12-31'
),
child_days as (
    -- the child's qualifying and timely plans at the end of each day either changed, and the
    -- day before (the same less that day's changes)
    select
        person_id,
        d,
        sum(sum(plan_change)) over child_days as plans,
        sum(sum(timely_change)) over child_days as timely_plans,
        plans - sum(plan_change) as plans_before,
        timely_plans - sum(timely_change) as timely_plans_before
    from changes
    group by person_id, d
    window child_days as (partition by person_id order by d)
),

-- One child counted once: +1 the day a child comes into the count, -1 the day it leaves.
flips as (
    select
        d,
        (plans > 0)::integer - (plans_before > 0)::integer as due_change,
        (plans > 0 and timely_plans = plans)::integer
            - (plans_before > 0 and timely_plans_before = plans_before)::integer as timely_change
    from child_days
),
counts as (
    select
        d,
        sum(sum(timely_change)) over (order by d) as timely_children,
        sum(sum(due_change)) over (order by d) as due_children
    from flips
    group by d
)
select
    a.as_at_date,
    coalesce(c.timely_children, 0) as numerator,
    coalesce(c.due_children, 0) as denominator
from as_at_dates a
asof left join counts c on c.d <= a.as_at_date
