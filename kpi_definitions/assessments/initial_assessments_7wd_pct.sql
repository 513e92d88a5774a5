-- Initial assessments authorised in the period and whether each took 7 working days or fewer.
with typed as (
    select a.*, t.assessment_type
    from ssd_cin_assessments a
    join ext_assessment_types t on t.assessment_id = a.cina_assessment_id
),
authorised as (
    select
        cina_assessment_auth_date,
        cina_assessment_team,
        -- null when the start date is blank: never within timescale (Clarification 10)
        working_days_between(cina_assessment_start_date, cina_assessment_auth_date) as wd_taken
    from typed
    where assessment_type = 'initial'
        and cina_assessment_auth_date is not null
)
select
    cina_assessment_auth_date as event_date,
    case when wd_taken <= 7 then 1 else 0 end as numerator,
    1 as denominator,
    cina_assessment_team as team
from authorised
