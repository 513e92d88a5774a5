-- Former relevant care leavers aged 19-21 at D whom the council is in touch with.
-- The cohort is the block former_relevant_19_21: Former Relevant, 19-21 inclusive, not died,
-- not returned home for 6 months+, from the ssd_care_leavers extract in force at D.
-- One row per young person, however many rows the extract holds for them.
select
    as_at_date,
    max(case when upper(trim(clea_care_leaver_in_touch)) = 'YES' then 1 else 0 end) as numerator,
    1 as denominator
from former_relevant_19_21
group by as_at_date, person_id
