-- Care leavers aged 16-21 at D whose pathway plan was reviewed in the 6 months to D, from the
-- ssd_care_leavers extract in force at D (the block care_leavers_in_force: latest extract dated
-- on or before D, age on D, no date of birth = left out).
with cohort as (
    -- every care leaver in the extract, whatever the eligibility or contact status, aged 16-21
    select * from care_leavers_in_force where age between 16 and 21
),
reviewed as (
    -- "the 6 months to D" = (D - 6 months, D], as "the 12 months to D" (Clarification 3): a
    -- review exactly 6 months before D is out, and a review dated after D had not happened at D
    select
        *,
        clea_pathway_plan_review_date > months_before(as_at_date, 6)
            and clea_pathway_plan_review_date <= as_at_date as is_current
    from cohort
)
-- one row per young person, however many rows the extract holds for them
select
    as_at_date,
    max(case when is_current then 1 else 0 end) as numerator,
    1 as denominator
from reviewed
group by as_at_date, person_id
