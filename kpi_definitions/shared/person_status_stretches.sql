-- Children's statuses as stretches of days that do not overlap: one row per child, status and
-- stretch, columns (status, person_id, from_date, to_date): the child had the status (the block
-- person_status_spans says which and when) at the end of every day from from_date up to the
-- day before to_date (blank: to this day), so each child counts once on each day. Several plans
-- or episodes open at once count once (a stretch ends, and the next starts, on each day the
-- number open changes); one ending on or before its start gives the status on no day. Reads
-- person_status_spans.
with changes as (
    select status, person_id, from_date as d, 1 as change
    from person_status_spans
    where from_date is not null and (to_date is null or to_date > from_date)
    union all
    select status, person_id, to_date, -1
    from person_status_spans
    where from_date is not null and to_date > from_date
),
running as (
    -- the child's cases of the status open from each day one opens or closes until the next
    -- such day (the last change of a day holds the day's count)
    select status, person_id, d, lead(d) over w as next_d, sum(change) over w as open_cases
    from changes
    window w as (partition by status, person_id order by d
                 rows between unbounded preceding and current row)
)
select status, person_id, d as from_date, next_d as to_date
from running
where next_d is distinct from d and open_cases > 0
