-- Case-holding social workers at D (as caseload_avg: a period open at D with FTE > 0 - the block
-- workers_at_date - and at least one allocated child - the block allocation_counts), by the
-- worker's team: numerator 1 when the worker's caseload is over getvariable('caseload_threshold')
-- children.
with caseloads as (
    select key_id as worker_id, from_date, members as cases
    from allocation_counts
    where count_of = 'caseload'
)
select
    w.as_at_date,
    w.team_id as team,
    (c.cases > getvariable('caseload_threshold'))::integer as numerator,
    1 as denominator
from workers_at_date w
asof join caseloads c on c.worker_id = w.worker_id and c.from_date <= w.as_at_date
where w.fte > 0 and c.cases > 0
