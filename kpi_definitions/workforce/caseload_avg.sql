-- Average caseload: children allocated to social workers at D per FTE of the workers holding
-- at least one case (DfE CSWW), by the worker's team (and through la.yaml, by service area).
-- The worker's period open at D (the block workers_at_date) gives the FTE and team
-- (Clarification 26); the worker's caseload at D (the block allocation_counts: allocations open at
-- D, involvements whose role maps to ALLOCATED_SOCIAL_WORKER in la.yaml; a personal-adviser
-- involvement is not an allocation, Clarification 19; a child counts once per worker, and for
-- each worker it is allocated to, Clarification 26) the cases. Case holders with an open period
-- and FTE > 0 (DfE); cases of a worker with no open period at D cannot be set against an FTE and
-- are left out of both sides.
with caseloads as (
    select key_id as worker_id, from_date, members as cases
    from allocation_counts
    where count_of = 'caseload'
)
select w.as_at_date, w.team_id as team, c.cases as numerator, w.fte as denominator
from workers_at_date w
asof join caseloads c on c.worker_id = w.worker_id and c.from_date <= w.as_at_date
where w.fte > 0 and c.cases > 0
