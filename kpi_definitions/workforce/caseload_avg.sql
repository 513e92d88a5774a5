-- Average caseload: children allocated to social workers at D per FTE of the workers holding
-- at least one case (DfE CSWW), by the worker's team (and through la.yaml, by service area).
with allocations as (
    -- involvements open at D whose role maps to ALLOCATED_SOCIAL_WORKER in la.yaml; a
    -- personal-adviser involvement is not an allocation (Clarification 19)
    select a.as_at_date, i.invo_professional_id as worker_id, i.invo_person_id as person_id
    from as_at_dates a
    join ssd_involvements i
      on i.invo_involvement_start_date <= a.as_at_date
     and (i.invo_involvement_end_date is null or i.invo_involvement_end_date > a.as_at_date)
    join la_roles r
      on r.role_code = upper(trim(i.invo_professional_role_id))
     and r.role = 'ALLOCATED_SOCIAL_WORKER'
),
cases_per_worker as (
    -- a child counts once per worker, and for each worker it is allocated to (Clarification 26)
    select as_at_date, worker_id, count(distinct person_id) as cases
    from allocations
    group by as_at_date, worker_id
),
worker_at_date as (
    -- the worker's period open at D gives the FTE and team (Clarification 26); should two
    -- periods of one worker overlap, the one that started last
    select a.as_at_date, w.worker_id, w.team_id, w.fte
    from as_at_dates a
    join ext_worker_periods w
      on w.period_start <= a.as_at_date
     and (w.period_end is null or w.period_end > a.as_at_date)
    qualify row_number() over (
        partition by a.as_at_date, w.worker_id
        order by w.period_start desc, w.period_end desc nulls first, w.team_id, w.fte desc
    ) = 1
)
-- case holders with an open period and FTE > 0 (DfE); cases of a worker with no open period
-- at D cannot be set against an FTE and are left out of both sides
select c.as_at_date, w.team_id as team, c.cases as numerator, w.fte as denominator
from cases_per_worker c
join worker_at_date w on w.as_at_date = c.as_at_date and w.worker_id = c.worker_id
where w.fte > 0
