-- Single assessments open at the end of each as-at date D and past 45 working days.
with typed as (
    -- no type row (or no type table) means a single (continuous) assessment (Clarification 10)
    select a.*, coalesce(t.assessment_type, 'single') as assessment_type
    from ssd_cin_assessments a
    left join ext_assessment_types t on t.assessment_id = a.cina_assessment_id
),
open_at as (
    -- started by D and not authorised by D; the referral's own state is ignored (Clarification 10)
    select d.as_at_date, s.cina_assessment_start_date, s.cina_assessment_team
    from typed s
    join as_at_dates d
        on s.cina_assessment_start_date <= d.as_at_date
        and (s.cina_assessment_auth_date is null or s.cina_assessment_auth_date > d.as_at_date)
    where s.assessment_type = 'single'
)
select
    as_at_date,
    1 as numerator,
    null as denominator,
    cina_assessment_team as team
from open_at
where working_days_between(cina_assessment_start_date, as_at_date) > 45
