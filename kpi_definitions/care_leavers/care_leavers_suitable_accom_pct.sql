-- Former relevant care leavers aged 19-21 at D in suitable accommodation.
-- The cohort is the block former_relevant_19_21: Former Relevant, 19-21 inclusive, not died,
-- not returned home for 6 months+, from the ssd_care_leavers extract in force at D.
-- One row per young person, however many rows the extract holds for them.
select
    as_at_date,
    -- suitable = 1 (staging maps Y to 1); 2, N or blank stay in the denominator (Clarification 21)
    max(case when upper(trim(clea_care_leaver_accom_suitable)) in ('1', 'Y') then 1 else 0 end) as numerator,
    1 as denominator
from former_relevant_19_21
group by as_at_date, person_id
