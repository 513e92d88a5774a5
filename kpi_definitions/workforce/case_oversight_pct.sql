-- Children in need at the end of D (denominator; the block person_status_stretches, each child
-- once) and, of them, those whose case had a management oversight recorded in the last N weeks,
-- (D - 7N days, D], N = getvariable('oversight_weeks') (numerator). An oversight counts for a
-- child in need at D whichever of the child's episodes it was recorded on.
with in_need as (
    select person_id as unit_id, from_date, to_date
    from person_status_stretches
    where status = 'in_need'
),
oversights as (
    select person_id as unit_id, oversight_date as event_date from ext_case_oversight
),
overseen as (
    from recent_cover(oversights, 7 * getvariable('oversight_weeks'))
)
select from_date, to_date, 0 as numerator, 1 as denominator
from in_need
union all
select from_date, to_date, 1, 0
from overlapping(in_need, overseen)
