-- Children looked after at D (denominator; the block children_looked_after) who had 3 or more
-- distinct allocated social workers whose involvement overlapped the 12 months to D,
-- (D - 12 months, D] (numerator).
with allocations as (
    -- Only involvements whose LA role code maps (la.yaml roles) to an allocated social worker;
    -- personal advisers and unmapped roles are not allocations.
    select
        i.invo_person_id as person_id,
        i.invo_professional_id as worker_id,
        i.invo_involvement_start_date as start_date,
        i.invo_involvement_end_date as end_date
    from ssd_involvements i
    join la_roles r on r.role_code = upper(trim(i.invo_professional_role_id))
    where r.role = 'ALLOCATED_SOCIAL_WORKER'
),
workers_in_window as (
    -- Overlap with (D - 12 months, D]: started on or before D, not ended by D - 12 months.
    -- Time before the child was looked after counts (as the DfE measure); returning to an
    -- earlier worker does not add one.
    select l.as_at_date, l.person_id, count(distinct a.worker_id) as workers
    from children_looked_after l
    join allocations a
      on a.person_id = l.person_id
     and a.start_date <= l.as_at_date
     and (a.end_date is null or a.end_date > months_before(l.as_at_date, 12))
    group by l.as_at_date, l.person_id
)
select
    l.as_at_date,
    l.person_id,
    case when w.workers >= 3 then 1 else 0 end as numerator,
    1 as denominator
from children_looked_after l
left join workers_in_window w on w.as_at_date = l.as_at_date and w.person_id = l.person_id
