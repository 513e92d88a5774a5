-- Average caseload: children allocated to social workers at D per FTE of the workers holding
-- at least one case (DfE CSWW), by the worker's team (and through la.yaml, by service area).
with cases_per_worker as (
    -- allocations open at D (the block allocations_at_date: involvements whose role maps to
    -- ALLOCATED_SOCIAL_WORKER in la.yaml; a personal-adviser involvement is not an allocation,
    -- Clarification 19); a child counts once per worker, and for each worker it is allocated to
    -- (Clarification 26)
    select as_at_date, worker_id, count(distinct person_id) as cases
    from allocations_at_date
    group by as_at_date, worker_id
)
-- the worker's period open at D (the block workers_at_date) gives the FTE and team
-- (Clarification 26); case holders with an open period and FTE > 0 (DfE); cases of a worker
-- with no open period at D cannot be set against an FTE and are left out of both sides
select c.as_at_date, w.team_id as team, c.cases as numerator, w.fte as denominator
from cases_per_worker c
join workers_at_date w on w.as_at_date = c.as_at_date and w.worker_id = c.worker_id
where w.fte > 0
