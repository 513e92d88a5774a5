-- FTE of employed social workers who left in the 12 months to D, over employed FTE at D
-- (DfE CSWW turnover). Evaluated at each period end D, whatever the grain (Clarification 2).
with start_days as (
    -- each worker's latest period started on or before D (Clarification 23): after a move
    -- between teams or an FTE change the new, contiguous period (start = old end) is the
    -- latest, so the old period's end is not a leaving. It changes only on a day a period
    -- starts: the first of the periods starting that day holds until the worker's next start.
    select worker_id, period_start, period_end, fte, agency, org_role
    from ext_worker_periods
    qualify row_number() over (
        partition by worker_id, period_start
        order by period_end desc nulls first, team_id, fte desc
    ) = 1
),
latest_started as (
    select a.as_at_date, w.worker_id, w.period_end, w.fte, w.agency, w.org_role
    from (
        select
            *,
            lead(period_start, 1, date '9999-12-31') over (
                partition by worker_id order by period_start
            ) as next_start
        from start_days
    ) w
    join as_at_dates a on a.as_at_date >= w.period_start and a.as_at_date < w.next_start
),
leavers as (
    -- that period ended in (D - 12 months, D], employed, org_role 1-6; its FTE counts
    select as_at_date, fte
    from latest_started
    where period_end > months_before(as_at_date, 12)
      and period_end <= as_at_date
      and agency = false
      and org_role in ('1', '2', '3', '4', '5', '6')
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
