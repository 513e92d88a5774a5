-- Children's statuses as continuous stretches of days: one row per child, status and stretch,
-- columns (status, person_id, from_date, to_date): the child had the status (the block
-- person_status_spans says which and when) at the end of every day from from_date up to the
-- day before to_date (blank: to this day). Several plans or episodes open at once count once;
-- one ending the day the next starts continues the stretch; one ending on or before its start
-- gives the status on no day. Reads person_status_spans.
with changes as (
    select status, person_id, from_date as d, 1 as change
    from person_status_spans
    where from_date is not null and (to_date is null or to_date > from_date)
    union all
    select status, person_id, to_date, -1
    from person_status_spans
    where from_date is not null and to_date > from_date
),
open_cases as (
    -- the child's cases of the status open at the end of each day one opens or closes
    select *, sum(change) over (partition by status, person_id order by d) > 0 as open
    from (select status, person_id, d, sum(change) as change from changes group by all)
),
flips as (
    -- the days the child comes into or out of the status
    select status, person_id, d, open
    from open_cases
    qualify open <> lag(open, 1, false) over (partition by status, person_id order by d)
)
select status, person_id, d as from_date,
       lead(d) over (partition by status, person_id order by d) as to_date
from flips
qualify open
