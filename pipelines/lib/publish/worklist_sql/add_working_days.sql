-- Macro add_working_days(d, n): the n-th working day after d (wd(d, result) = n): the first
-- date carrying d's working-day index plus n is that working day.
create or replace temp macro add_working_days(d, n) as (
    select min(later.date) from ref.calendar later
    where later.working_day_index = (
        select c.working_day_index from ref.calendar c where c.date = cast(d as date)
    ) + n
)
