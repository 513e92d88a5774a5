-- Children in need at the end of D (denominator; the block person_status_stretches, each child
-- once) and, of them, those whose case had a management oversight recorded in the last N weeks,
-- (D - 7N days, D], N = getvariable('oversight_weeks') (numerator). An oversight counts for a
-- child in need at D whichever of the child's episodes it was recorded on.
with in_need as (
    select person_id, from_date, to_date from person_status_stretches where status = 'in_need'
),
oversight_cover as (
    -- the child's latest oversight on or before D is this one until the next, and is in the
    -- window until 7N days after it
    select
        person_id,
        oversight_date as from_date,
        least(
            lead(oversight_date) over (partition by person_id order by oversight_date),
            oversight_date + 7 * getvariable('oversight_weeks')
        ) as to_date
    from (select distinct person_id, oversight_date from ext_case_oversight)
    where oversight_date is not null
)
select from_date, to_date, 0 as numerator, 1 as denominator
from in_need
union all
select greatest(n.from_date, o.from_date), least(n.to_date, o.to_date), 1, 0
from in_need n
join oversight_cover o
  on o.person_id = n.person_id
 and (n.to_date is null or o.from_date < n.to_date)
 and o.to_date > n.from_date
