-- Former relevant care leavers aged 19-21 at D in education, employment or training (EET).
-- The cohort is the block former_relevant_19_21: Former Relevant, 19-21 inclusive, not died,
-- not returned home for 6 months+, from the ssd_care_leavers extract in force at D.
-- One row per young person, however many rows the extract holds for them.
select
    as_at_date,
    -- EET activity codes, with the historic F3 and P3 (Clarification 21); blank, G4-G6 and 0 are not
    max(case when upper(trim(clea_care_leaver_activity)) in
                  ('F1', 'P1', 'F2', 'P2', 'F3', 'P3', 'F4', 'P4', 'F5', 'P5')
             then 1 else 0 end) as numerator,
    1 as denominator
from former_relevant_19_21
group by as_at_date, person_id
