-- FTE of employed social workers who left in the 12 months to D, over employed FTE at D
-- (DfE CSWW turnover). Evaluated at each period end D, whatever the grain (Clarification 2).
-- A leaver leaves the council's employed children and family social workers (agency N,
-- org_role 1-6), as the workforce census counts them: a move to an agency post or to another
-- role in the council ends that employment; a move between teams or an FTE change does not.
with sw_periods as (
    select worker_id, period_start, period_end, fte
    from ext_worker_periods
    where agency = false
      and org_role in ('1', '2', '3', '4', '5', '6')
),
start_days as (
    -- one period per worker and start day: the open one, else the one ending last
    select *
    from sw_periods
    qualify row_number() over (
        partition by worker_id, period_start
        order by period_end desc nulls first, fte desc
    ) = 1
),
spells as (
    -- contiguous or overlapping periods (a team move, an FTE change: new start = old end) are
    -- one spell of employment; spell_start is when the worker started it
    select
        *,
        min(period_start) over (partition by worker_id, spell_no) as spell_start
    from (
        select
            *,
            sum(new_spell) over (
                partition by worker_id order by period_start rows unbounded preceding
            ) as spell_no
        from (
            select
                *,
                case
                    when period_start <= max(coalesce(period_end, date '9999-12-31')) over (
                        partition by worker_id
                        order by period_start
                        rows between unbounded preceding and 1 preceding
                    ) then 0
                    else 1
                end as new_spell
            from start_days
        )
    )
),
latest_started as (
    -- each worker's latest employed social worker period started on or before D
    -- (Clarification 23): after a contiguous move it is the new, open period, so the old
    -- period's end is not a leaving; after a gap back in post, the earlier leaving no longer
    -- counts at D
    select a.as_at_date, w.period_end, w.fte, w.spell_start
    from (
        select
            *,
            lead(period_start, 1, date '9999-12-31') over (
                partition by worker_id order by period_start
            ) as next_start
        from spells
    ) w
    join as_at_dates a on a.as_at_date >= w.period_start and a.as_at_date < w.next_start
),
leavers as (
    -- that period ended in (D - 12 months, D]; a worker who also started in those 12 months is
    -- left out, as the DfE leaves out those who started and left in the same year
    select as_at_date, fte
    from latest_started
    where period_end > months_before(as_at_date, 12)
      and period_end <= as_at_date
      and spell_start <= months_before(as_at_date, 12)
),
employed as (
    -- employed social workers in post at D (the block workers_at_date): the denominator
    select as_at_date, fte
    from workers_at_date
    where org_role in ('1', '2', '3', '4', '5', '6')
      and agency = false
)
select as_at_date, fte as numerator, 0 as denominator from leavers
union all
select as_at_date, 0 as numerator, fte as denominator from employed
