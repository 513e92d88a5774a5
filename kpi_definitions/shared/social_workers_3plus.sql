-- Children with 3 or more allocated social workers in the 12 months to D, for three groups of
-- children at D: one row per group per as-at date D, columns (status, as_at_date, numerator,
-- denominator). status 'cla': looked after at D (the block care_stretches); 'cp': on a child
-- protection plan at D (a plan started on or before D and not ended by D); 'cin': in need at D
-- (a referral episode open at D whose referral did not end in no further action, as the block
-- children_in_need_counts; children on plans and in care are in need too). denominator: the
-- group's children at D; numerator: those of them with 3 or more distinct allocated social
-- workers whose involvement overlapped (D - 12 months, D]. Reads ssd_involvements, la_roles,
-- care_stretches, ssd_cp_plans and ssd_cin_episodes (an absent table is empty).
with allocations as (
    -- Only involvements whose LA role code maps (la.yaml roles) to an allocated social worker;
    -- personal advisers and unmapped roles are not allocations. Overlap with (D - 12 months, D]:
    -- started on or before D, not ended by D - 12 months, so the involvement counts for every D
    -- from its start until the first D whose D - 12 months reaches its end (a day later than
    -- end + 12 months when that was clipped from 29 February). Time before the child entered
    -- the group counts (as the DfE measure for children in care).
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
group_changes as (
    -- +1 the day a plan or an episode opens, -1 the day it ends; one ending on or before its
    -- start is open at the end of no day
    select 'cp' as status, cppl_person_id as person_id, cppl_cp_plan_start_date as d, 1 as change
    from ssd_cp_plans
    where cppl_cp_plan_start_date is not null
      and (cppl_cp_plan_end_date is null or cppl_cp_plan_end_date > cppl_cp_plan_start_date)
    union all
    select 'cp', cppl_person_id, cppl_cp_plan_end_date, -1
    from ssd_cp_plans
    where cppl_cp_plan_end_date > cppl_cp_plan_start_date
    union all
    select 'cin', cine_person_id, cine_referral_date, 1
    from ssd_cin_episodes
    where cine_referral_nfa is not true
      and (cine_close_date is null or cine_close_date > cine_referral_date)
    union all
    select 'cin', cine_person_id, cine_close_date, -1
    from ssd_cin_episodes
    where cine_referral_nfa is not true
      and cine_close_date > cine_referral_date
),
group_states as (
    -- in the group at the end of each day a plan or episode opened or closed (two at once: once)
    select status, person_id, d, sum(sum(change)) over child_days > 0 as in_group
    from group_changes
    where person_id is not null
    group by status, person_id, d
    window child_days as (partition by status, person_id order by d)
),
stretches as (
    -- the stretches of days each child was in each group (9999-12-31: to this day)
    select 'cla' as status, person_id, from_date, coalesce(to_date, date '9999-12-31') as to_date
    from care_stretches
    union all
    select status, person_id, from_date, to_date
    from (
        select
            status,
            person_id,
            d as from_date,
            lead(d, 1, date '9999-12-31') over (partition by status, person_id order by d)
                as to_date,
            in_group
        from group_states
    )
    where in_group
),
three_or_more as (
    -- the stretches of days the child had had 3 or more and was in the group
    select
        s.status,
        greatest(s.from_date, w.from_date) as from_date,
        least(s.to_date, w.to_date) as to_date
    from worker_counts w
    join stretches s
      on s.person_id = w.person_id
     and s.from_date < w.to_date
     and s.to_date > w.from_date
    where w.workers >= 3
),
count_changes as (
    -- children in the group and those with 3 or more, counted at each D from the days their
    -- stretches start and end
    select status, from_date as d, 0 as three_change, 1 as group_change from stretches
    union all
    select status, to_date, 0, -1 from stretches where to_date < date '9999-12-31'
    union all
    select status, from_date, 1, 0 from three_or_more
    union all
    select status, to_date, -1, 0 from three_or_more where to_date < date '9999-12-31'
),
counts as (
    select
        status,
        d,
        sum(sum(three_change)) over (partition by status order by d) as three_or_more_children,
        sum(sum(group_change)) over (partition by status order by d) as children
    from count_changes
    group by status, d
)
select
    g.status,
    a.as_at_date,
    coalesce(c.three_or_more_children, 0) as numerator,
    coalesce(c.children, 0) as denominator
from as_at_dates a
cross join (values ('cla'), ('cp'), ('cin')) as g(status)
asof left join counts c on c.status = g.status and c.d <= a.as_at_date
