-- Visits where the child was seen: one row per visit, columns (person_id, visit_date), from the
-- three visit tables (CIN, CP and CLA visits), matched to the child by person (Clarification 9).
-- A blank seen flag is not seen. Reads ssd_cin_visits, ssd_cp_visits, ssd_cla_visits.
select cinv_person_id as person_id, cinv_cin_visit_date as visit_date
from ssd_cin_visits
where cinv_cin_visit_seen
union all
select cppv_person_id, cppv_cp_visit_date
from ssd_cp_visits
where cppv_cp_visit_seen
union all
select clav_person_id, clav_cla_visit_date
from ssd_cla_visits
where clav_cla_visit_seen
