-- Allocations counted through time: one row per count, key and day the count changes, columns
-- (count_of, key_id, from_date, to_date, members): the count at the end of every day from
-- from_date up to the day before to_date (blank: to this day); 0 between allocations. count_of
-- 'caseload': the children allocated to worker key_id (an involvement open at the end of D); a
-- child counts once per worker, however many involvements link them (Clarification 26).
-- 'workers_12m': the distinct social workers allocated to child key_id whose involvement
-- overlapped the 12 months to D, (D - 12 months, D] (started by D, not ended by D - 12 months).
-- An allocation is an ssd_involvements row whose role maps to ALLOCATED_SOCIAL_WORKER in la.yaml
-- (not a personal adviser or an unmapped role, Clarification 19). Reads ssd_involvements and
-- la_roles.
with allocations as (
    select i.invo_professional_id as worker_id, i.invo_person_id as person_id,
           i.invo_involvement_start_date as from_date, i.invo_involvement_end_date as to_date
    from ssd_involvements i
    join la_roles r on r.role_code = upper(trim(i.invo_professional_role_id))
    where r.role = 'ALLOCATED_SOCIAL_WORKER'
),
spans as (
    select 'caseload' as count_of, worker_id as key_id, person_id as member_id, from_date, to_date
    from allocations
    union all
    -- in the window until the first D whose D - 12 months reaches the end (a day later than
    -- end + 12 months when that was clipped from 29 February)
    select 'workers_12m', person_id, worker_id, from_date,
           months_after(to_date, 12) + (strftime(to_date, '%m-%d') = '02-29')::integer
    from allocations
),
changes as (
    select count_of, key_id, member_id, from_date as d, 1 as change
    from spans
    where from_date is not null and (to_date is null or to_date > from_date)
    union all
    select count_of, key_id, member_id, to_date, -1
    from spans
    where from_date is not null and to_date > from_date
),
member_days as (
    -- whether the member counts at the end of each day one of their spans starts or ends
    select *, sum(change) over (partition by count_of, key_id, member_id order by d) > 0 as counted
    from (select count_of, key_id, member_id, d, sum(change) as change from changes group by all)
),
member_flips as (
    -- +1 the day a member comes into the count, -1 the day they leave it
    select count_of, key_id, d, case when counted then 1 else -1 end as change
    from member_days
    qualify counted <> lag(counted, 1, false) over (
        partition by count_of, key_id, member_id order by d
    )
),
counts as (
    select *, sum(change) over (partition by count_of, key_id order by d) as members
    from (select count_of, key_id, d, sum(change) as change from member_flips group by all)
)
select count_of, key_id, d as from_date,
       lead(d) over (partition by count_of, key_id order by d) as to_date, members
from counts
