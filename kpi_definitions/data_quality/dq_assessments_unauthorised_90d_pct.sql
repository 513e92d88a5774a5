-- The cohort at each as-at date D: assessments that started in the 12 months ending 90 days
-- before D, start in (months_before(D - 90, 12), D - 90]. Younger assessments are not yet judged;
-- a blank start cannot be placed and is left out.
with cohort as (
    select
        d.as_at_date,
        a.cina_assessment_id,
        a.cina_assessment_auth_date as auth_date,
        a.cina_assessment_team as team
    from as_at_dates d
    join ssd_cin_assessments a
      on a.cina_assessment_start_date <= d.as_at_date - 90
     and a.cina_assessment_start_date > months_before(d.as_at_date - 90, 12)
)

-- Unauthorised at D: no authorisation date, or one dated after D (still awaited at D).
select
    as_at_date,
    case when auth_date is null or auth_date > as_at_date then 1 else 0 end as numerator,
    1 as denominator,
    team
from cohort
