-- Children looked after at D (denominator; the children of the block
-- children_looked_after, from their stretches of care in care_stretches) who had 3 or more
-- distinct allocated social workers whose involvement overlapped the 12 months to D,
-- (D - 12 months, D] (numerator).
with allocations as (
    -- Only involvements whose LA role code maps (la.yaml roles) to an allocated social worker;
    -- personal advisers and unmapped roles are not allocations. Overlap with (D - 12 months, D]:
    -- started on or before D, not ended by D - 12 months, so the involvement counts for every D
    -- from its start until the first D whose D - 12 months reaches its end (a day later than
    -- end + 12 months when that was clipped from 29 February). Time before the child was looked
    -- after counts (as the DfE measure).
    select
        i.invo_person_id as person_id,
        i.invo_professional_id as worker_id,
        i.invo_involvement_start_date as from_date,
        months_after(i.invo_involvement_end_date, 12)
            + case when strftime(i.invo_involvement_end_date, '%m-%d') = '02-29' then 1 else 0 end
            as to_date
    from ssd_involvements i
    join la_roles r on r.role_code = upper(trim(i.invo_professional_role_id))
    where r.role = 'ALLOCATED_SOCIAL_WORKER'
      -- only children ever in care can be counted: the others need not be followed
      and i.invo_person_id in (select clae_person_id from ssd_cla_episodes)
),
changes as (
    select person_id, worker_id, from_date as d, 1 as change
    from allocations
    where to_date is null or to_date > from_date
    union all
    select person_id, worker_id, to_date, -1
    from allocations
    where to_date > from_date
),
worker_flips as (
    -- the worker's involvements in the child's window at each day one comes in or leaves, and
    -- the day before (the same less that day's changes); returning to an earlier worker does
    -- not add one: +1 the day a worker comes into the child's window, -1 the day they leave it
    select
        person_id,
        d,
        sum(sum(change)) over (partition by person_id, worker_id order by d) as counted,
        (counted > 0)::integer - (counted - sum(change) > 0)::integer as change
    from changes
    group by person_id, worker_id, d
),
worker_counts as (
    -- the child's distinct workers in the window, from each day it changes until the next
    select
        person_id,
        d as from_date,
        -- (the last change lasts: a far date keeps the join a plain range join)
        lead(d, 1, date '9999-12-31') over child_days as to_date,
        sum(sum(change)) over child_days as workers
    from worker_flips
    group by person_id, d
    window child_days as (partition by person_id order by d)
),
three_or_more as (
    -- the stretches of days the child had had 3 or more and was looked after (the block
    -- care_stretches: the children of children_looked_after)
    select
        greatest(c.from_date, w.from_date) as from_date,
        least(c.to_date, w.to_date) as to_date
    from worker_counts w
    join care_stretches c
      on c.person_id = w.person_id
     and c.from_date < w.to_date
     and c.to_date > w.from_date
    where w.workers >= 3
),
looked_after_changes as (
    -- children looked after and those with 3 or more, counted at each D from the days their
    -- stretches start and end
    select from_date as d, 0 as three_change, 1 as looked_after_change from care_stretches
    union all
    select to_date, 0, -1 from care_stretches where to_date < date '9999-12-31'
    union all
    select from_date, 1, 0 from three_or_more
    union all
    select to_date, -1, 0 from three_or_more where to_date < date '9999-12-31'
),
counts as (
    select
        d,
        sum(sum(three_change)) over (order by d) as three_or_more_children,
        sum(sum(looked_after_change)) over (order by d) as looked_after
    from looked_after_changes
    group by d
)
select
    a.as_at_date,
    coalesce(c.three_or_more_children, 0) as numerator,
    coalesce(c.looked_after, 0) as denominator
from as_at_dates a
asof left join counts c on c.d <= a.as_at_date
