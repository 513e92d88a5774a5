-- Qualifying plans at each as-at date D: open at D (the block cp_open_plans) and started on or
-- before D - 3 months.
with qualifying as (
    select as_at_date, plan_id, person_id, start_date
    from cp_open_plans
    where start_date <= months_before(as_at_date, 3)
),

-- The steps of each plan's deadline chain as known at D: the plan start (next deadline 3 months
-- on) and every review linked by plan id, dated from the plan start to D (next deadline 6 months
-- after the review). The due date recorded on the review is not used.
steps as (
    select as_at_date, plan_id, person_id, start_date as step_date, 0 as step_kind,
           months_after(start_date, 3) as next_deadline
    from qualifying
    union all
    select q.as_at_date, q.plan_id, q.person_id, r.cppr_cp_review_date as step_date, 1 as step_kind,
           months_after(r.cppr_cp_review_date, 6) as next_deadline
    from qualifying q
    inner join ssd_cp_reviews r
        on r.cppr_cp_plan_id = q.plan_id
       and r.cppr_cp_review_date between q.start_date and q.as_at_date
),

-- Each step's deadline is met when the next review is on or before it; after the last step,
-- the deadline is met while it is not yet past (a deadline falling on D is not missed).
checked as (
    select
        as_at_date,
        plan_id,
        person_id,
        next_deadline,
        lead(step_date) over (
            partition by as_at_date, plan_id order by step_date, step_kind
        ) as next_review
    from steps
),

plan_timely as (
    select
        as_at_date,
        plan_id,
        person_id,
        bool_and(
            case when next_review is null then next_deadline >= as_at_date
                 else next_review <= next_deadline end
        ) as timely
    from checked
    group by as_at_date, plan_id, person_id
)

-- One row per child: timely only if every qualifying plan of the child is timely.
select
    as_at_date,
    case when bool_and(timely) then 1 else 0 end as numerator,
    1 as denominator
from plan_timely
group by as_at_date, person_id
