-- One row per single assessment, dated by its authorisation.
with typed as (
    -- no type row (or no type table) means a single (continuous) assessment (Clarification 10)
    select a.*, coalesce(t.assessment_type, 'single') as assessment_type
    from ssd_cin_assessments a
    left join ext_assessment_types t on t.assessment_id = a.cina_assessment_id
)
select
    cina_assessment_auth_date as event_date,
    1 as numerator,
    null as denominator,
    cina_assessment_team as team
from typed
where assessment_type = 'single'
    and cina_assessment_auth_date is not null
