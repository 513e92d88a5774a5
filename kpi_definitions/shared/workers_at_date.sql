-- Workers in post at each as-at date D: one row per worker per D, columns (as_at_date,
-- worker_id, team_id, fte, agency, org_role) from the worker's ext_worker_periods period open at
-- the end of D (start on or before D, end blank or after D; a period ending on D is not open,
-- Clarification 22). Should two periods of one worker overlap, the one that started last (then
-- the later or open end, the team id, the larger FTE). Every worker, whatever org_role or agency
-- flag: each KPI picks its social workers (org_role 1-6) and employed/agency split. Reads
-- ext_worker_periods.
select a.as_at_date, w.worker_id, w.team_id, w.fte, w.agency, w.org_role
from as_at_dates a
join ext_worker_periods w
  on w.period_start <= a.as_at_date
 and (w.period_end is null or w.period_end > a.as_at_date)
qualify row_number() over (
    partition by a.as_at_date, w.worker_id
    order by w.period_start desc, w.period_end desc nulls first, w.team_id, w.fte desc
) = 1
