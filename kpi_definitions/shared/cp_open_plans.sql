-- Child protection plans open at each as-at date D: one row per plan (ssd_cp_plans row) per D,
-- columns (as_at_date, plan_id, person_id, start_date). Open at the end of D = started on or
-- before D and not ended by D (a plan ending on D is closed). KPIs that count children group by
-- person (Clarification 14). Reads ssd_cp_plans. No KPI reads it: the worklists
-- (pipelines/lib/publish/worklists.py) do, at the extract date.
select
    a.as_at_date,
    p.cppl_cp_plan_id as plan_id,
    p.cppl_person_id as person_id,
    p.cppl_cp_plan_start_date as start_date
from as_at_dates a
join ssd_cp_plans p
  on p.cppl_cp_plan_start_date <= a.as_at_date
 and (p.cppl_cp_plan_end_date is null or p.cppl_cp_plan_end_date > a.as_at_date)
