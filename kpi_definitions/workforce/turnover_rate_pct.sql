-- FTE of employed social workers who left in the 12 months to D (numerator), over employed FTE
-- at D (denominator; DfE CSWW turnover), at each period end D, whatever the grain
-- (Clarification 2). A leaver leaves the employed children and family social workers (agency
-- N, org_role 1-6), as the workforce census counts them: a move to an agency post or another
-- role ends that employment; a move between teams or an FTE change does not.
with start_days as (
    -- employed social worker periods, one per worker and start day: the open one, else the one
    -- ending last
    select worker_id, period_start, period_end, fte
    from ext_worker_periods
    where agency = false and org_role in ('1', '2', '3', '4', '5', '6')
    qualify row_number() over (
        partition by worker_id, period_start order by period_end desc nulls first, fte desc
    ) = 1
),
periods as (
    -- a period starting after every earlier one has ended starts a new spell of employment
    -- (contiguous or overlapping periods - a team move, an FTE change - are one spell); each is
    -- the worker's latest started period until the next one starts (Clarification 23)
    select
        *,
        coalesce(
            period_start > max(period_end) over earlier
                and not bool_or(period_end is null) over earlier,
            true
        ) as new_spell,
        lead(period_start) over (partition by worker_id order by period_start) as next_start
    from start_days
    window earlier as (
        partition by worker_id order by period_start
        rows between unbounded preceding and 1 preceding
    )
),
spells as (
    select
        *,
        max(if(new_spell, period_start, null)) over (
            partition by worker_id order by period_start
        ) as spell_start
    from periods
)
-- A leaver at D while that latest period ended in (D - 12 months, D]: from its end until the
-- first D whose D - 12 months reaches the end (a day later than end + 12 months when that was
-- clipped from 29 February). A worker who also started in those 12 months is left out, as the
-- DfE leaves out those who started and left in the same year: counted only once D - 12 months
-- reaches the spell's start.
select
    greatest(period_start, period_end, months_after(spell_start, 12)
        + (strftime(spell_start, '%m-%d') = '02-29')::integer) as from_date,
    least(next_start, months_after(period_end, 12)
        + (strftime(period_end, '%m-%d') = '02-29')::integer) as to_date,
    fte as numerator,
    0 as denominator
from spells
where period_end is not null
union all
-- employed social workers in post at D (the block worker_periods_in_force)
select from_date, to_date, 0, fte
from worker_periods_in_force
where org_role in ('1', '2', '3', '4', '5', '6') and agency = false
