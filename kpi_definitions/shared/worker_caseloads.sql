-- Each worker's caseload through time: one row per worker per day their caseload changed,
-- columns (worker_id, from_date, to_date, cases): the number of children allocated to the worker
-- at the end of from_date and every day after it until the worker's next row, dated to_date
-- (9999-12-31: none). An allocation is as in
-- allocations_at_date (an ssd_involvements row open at the end of D, start on or before D, end
-- blank or after D, whose role maps to ALLOCATED_SOCIAL_WORKER in la.yaml); a child counts once
-- per worker, however many involvements link them (Clarification 26). Read a worker's caseload
-- at D with an asof join on from_date <= D; a worker with no row on or before D has none. Reads
-- ssd_involvements and la_roles. (Unlike allocations_at_date it does not repeat every
-- allocation for every D, which ran to tens of millions of rows at large volumes.)
with spans as (
    select
        i.invo_professional_id as worker_id,
        i.invo_person_id as person_id,
        i.invo_involvement_start_date as from_date,
        i.invo_involvement_end_date as to_date
    from ssd_involvements i
    join la_roles r
      on r.role_code = upper(trim(i.invo_professional_role_id))
     and r.role = 'ALLOCATED_SOCIAL_WORKER'
    -- an involvement ending on or before its start is open at the end of no day
    where i.invo_involvement_end_date is null
       or i.invo_involvement_end_date > i.invo_involvement_start_date
),
repeated_pairs as (
    -- a child with several involvements with one worker: those may overlap, and the child must
    -- count once while any is open
    select worker_id, person_id from spans group by worker_id, person_id having count(*) > 1
),
single_changes as (
    -- a child with one involvement with the worker joins the caseload on its start and leaves
    -- on its end
    select s.worker_id, s.from_date as d, 1 as change
    from spans s
    anti join repeated_pairs r on r.worker_id = s.worker_id and r.person_id = s.person_id
    union all
    select s.worker_id, s.to_date, -1
    from spans s
    anti join repeated_pairs r on r.worker_id = s.worker_id and r.person_id = s.person_id
    where s.to_date is not null
),
repeated_changes as (
    select s.worker_id, s.person_id, s.from_date as d, 1 as change
    from spans s
    semi join repeated_pairs r on r.worker_id = s.worker_id and r.person_id = s.person_id
    union all
    select s.worker_id, s.person_id, s.to_date, -1
    from spans s
    semi join repeated_pairs r on r.worker_id = s.worker_id and r.person_id = s.person_id
    where s.to_date is not null
),
repeated_flips as (
    -- the child's open involvements with the worker at the end of each day one starts or ends,
    -- and the day before (the same less that day's changes): +1 the day a child comes onto the
    -- worker's caseload, -1 the day it leaves
    select
        worker_id,
        d,
        sum(sum(change)) over (partition by worker_id, person_id order by d) as open_now,
        (open_now > 0)::integer - (open_now - sum(change) > 0)::integer as change
    from repeated_changes
    group by worker_id, person_id, d
),
flips as (
    select worker_id, d, change from single_changes
    union all
    select worker_id, d, change from repeated_flips
)
select
    worker_id,
    d as from_date,
    lead(d, 1, date '9999-12-31') over worker_days as to_date,
    sum(sum(change)) over worker_days as cases
from flips
group by worker_id, d
window worker_days as (partition by worker_id order by d)
