-- Children and family assessments with their type: one row per ssd_cin_assessments row (per
-- type row, should ext_assessment_types hold several for one assessment), columns
-- (assessment_id, person_id, start_date, auth_date, team, assessment_type, working_days_taken).
-- No type row (or no ext_assessment_types table) means a single (continuous) assessment
-- (Clarification 10). working_days_taken = working days from start to authorisation; null when
-- either date is blank, so an authorised assessment with a blank start is never within timescale
-- (Clarification 10). Reads ssd_cin_assessments and ext_assessment_types (optional).
select
    a.cina_assessment_id as assessment_id,
    a.cina_person_id as person_id,
    a.cina_assessment_start_date as start_date,
    a.cina_assessment_auth_date as auth_date,
    a.cina_assessment_team as team,
    coalesce(t.assessment_type, 'single') as assessment_type,
    working_days_between(a.cina_assessment_start_date, a.cina_assessment_auth_date)
        as working_days_taken
from ssd_cin_assessments a
left join ext_assessment_types t on t.assessment_id = a.cina_assessment_id
