-- Care leavers aged 21-25 at D with a personal adviser recorded, from the ssd_care_leavers
-- extract in force at D (the block care_leavers_in_force: latest extract dated on or before D,
-- age on D, no date of birth = left out).
with cohort as (
    -- every care leaver in the extract, whatever the eligibility, aged 21-25 inclusive;
    -- a young person recorded as died is left out (Clarification 21)
    select *
    from care_leavers_in_force
    where age between 21 and 25
      and coalesce(upper(trim(clea_care_leaver_in_touch)), '') <> 'DIED'
)
-- one row per young person, however many rows the extract holds for them
select
    as_at_date,
    -- only whether an adviser is recorded matters, not who
    max(case when nullif(trim(clea_care_leaver_personal_advisor), '') is not null then 1 else 0 end)
        as numerator,
    1 as denominator
from cohort
group by as_at_date, person_id
