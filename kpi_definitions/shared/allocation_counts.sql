-- Allocations counted through time: one row per count, key and day the count changes, columns
-- (count_of, key_id, from_date, to_date, members): the count at the end of every day from
-- from_date up to the day before to_date (blank: to this day); 0 between allocations. count_of
-- 'caseload': the children allocated to worker key_id (an involvement open at the end of D); a
-- child counts once per worker, however many involvements link them (Clarification 26).
-- 'workers_12m': the distinct social workers allocated to child key_id whose involvement
-- overlapped the 12 months to D, (D - 12 months, D] (started by D, not ended by D - 12 months).
-- An allocation: an ssd_involvements row whose role maps to ALLOCATED_SOCIAL_WORKER in la.yaml
-- (not a personal adviser, Clarification 19). Reads ssd_involvements and la_roles.
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
    -- in the window until D - 12 months reaches the end (29 Feb + 12 months is 28 Feb: + 1)
    select 'workers_12m', person_id, worker_id, from_date,
           months_after(to_date, 12) + (strftime(to_date, '%m-%d') = '02-29')::integer
    from allocations
),
valid as (
    select * from spans
    where from_date is not null and (to_date is null or to_date > from_date)
),
pairs as (
    -- a member's spans under a key; nearly every member has one, which needs no merging
    select count_of, key_id, member_id, count(*) as spans_held,
           min(from_date) as from_date, min(to_date) as to_date
    from valid
    group by all
),
repeated as (
    -- the spans of members with more than one under the key: only they need merging
    select v.*
    from valid v
    semi join pairs p
      on p.spans_held > 1 and p.count_of = v.count_of
     and p.key_id is not distinct from v.key_id and p.member_id is not distinct from v.member_id
),
member_changes as (
    select count_of, key_id, member_id, from_date as d, 1 as change
    from repeated
    union all
    select count_of, key_id, member_id, to_date, -1
    from repeated
    where to_date is not null
),
member_spans as (
    -- the member's spans in force from each day they change until the next (the last change
    -- of a day holds the day's count)
    select count_of, key_id, d, lead(d) over w as next_d, sum(change) over w as spans
    from member_changes
    window w as (partition by count_of, key_id, member_id order by d
                 rows between unbounded preceding and current row)
),
key_changes as (
    -- +1 the day a member comes into the count, -1 the day they leave it (on a day their
    -- spans change but stay in force they leave and come back: no change); a member with one
    -- span comes in on its first day and leaves on its end
    select count_of, key_id, from_date as d, 1 as change from pairs where spans_held = 1
    union all
    select count_of, key_id, to_date, -1 from pairs where spans_held = 1 and to_date is not null
    union all
    select count_of, key_id, d, 1 as change from member_spans
    where spans > 0 and next_d is distinct from d
    union all
    select count_of, key_id, next_d, -1 from member_spans
    where spans > 0 and next_d is distinct from d and next_d is not null
),
counts as (
    select count_of, key_id, d, lead(d) over w as next_d, sum(change) over w as members
    from key_changes
    window w as (partition by count_of, key_id order by d
                 rows between unbounded preceding and current row)
)
select count_of, key_id, d as from_date, next_d as to_date, members
from counts
where next_d is distinct from d
