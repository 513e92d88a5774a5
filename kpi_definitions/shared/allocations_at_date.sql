-- Allocations open at each as-at date D: one row per (worker, child) pair per D, columns
-- (as_at_date, worker_id, person_id). An allocation is an ssd_involvements row open at the end of
-- D (start on or before D, end blank or after D) whose role code, trimmed and upper-cased, maps
-- to ALLOCATED_SOCIAL_WORKER in la.yaml roles; a personal adviser or an unmapped role is not an
-- allocation (Clarification 19). Reads ssd_involvements and la_roles. No KPI reads it: the worklists
-- (pipelines/lib/publish/worklists.py) do, at the extract date.
select distinct a.as_at_date, i.invo_professional_id as worker_id, i.invo_person_id as person_id
from as_at_dates a
join ssd_involvements i
  on i.invo_involvement_start_date <= a.as_at_date
 and (i.invo_involvement_end_date is null or i.invo_involvement_end_date > a.as_at_date)
join la_roles r
  on r.role_code = upper(trim(i.invo_professional_role_id))
 and r.role = 'ALLOCATED_SOCIAL_WORKER'
