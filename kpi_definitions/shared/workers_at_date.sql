-- Workers in post at each as-at date D: one row per worker per D, columns (as_at_date,
-- worker_id, team_id, fte, agency, org_role) from the worker's ext_worker_periods period open at
-- the end of D (start on or before D, end blank or after D; a period ending on D is not open,
-- Clarification 22). Should two periods of one worker overlap, the one that started last (then
-- the later or open end, the team id, the larger FTE). Every worker, whatever org_role or agency
-- flag: each KPI picks its social workers (org_role 1-6) and employed/agency split. Each stretch of
-- days with one period in force (worker_periods_in_force) is matched to the dates D in it. Reads
-- worker_periods_in_force.
select a.as_at_date, s.worker_id, s.team_id, s.fte, s.agency, s.org_role
from worker_periods_in_force s
join as_at_dates a
  on a.as_at_date >= s.from_date and (s.to_date is null or a.as_at_date < s.to_date)
