-- The cohort at each as-at date D: assessments that started in the 12 months ending 90 days
-- before D, start in (months_before(D - 90, 12), D - 90]. Younger assessments are not yet judged;
-- a blank start cannot be placed and is left out. Unauthorised at D: no authorisation date, or
-- one dated after D (still awaited at D). Assessments are counted per team and start day, so
-- each D reads a year of days rather than every assessment again.
with windows as (
    select as_at_date, months_before(as_at_date - 90, 12) as after, as_at_date - 90 as up_to
    from as_at_dates
),
by_start as (
    select
        cina_assessment_team as team,
        cina_assessment_start_date as start_date,
        count(*) as assessments,
        count(*) filter (where cina_assessment_auth_date is null) as never_authorised
    from ssd_cin_assessments
    where cina_assessment_start_date is not null
    group by all
),
authorised_late as (
    -- authorised more than 90 days after the start: the only ones that can be awaited at a D
    -- whose cohort holds them (D is at least 90 days after their start)
    select
        cina_assessment_team as team,
        cina_assessment_start_date as start_date,
        cina_assessment_auth_date as auth_date,
        count(*) as assessments
    from ssd_cin_assessments
    where cina_assessment_auth_date > cina_assessment_start_date + 90
    group by all
),
counts as (
    select w.as_at_date, s.team, s.never_authorised as numerator, s.assessments as denominator
    from windows w
    join by_start s on s.start_date > w.after and s.start_date <= w.up_to
    union all
    select w.as_at_date, a.team, a.assessments, 0
    from windows w
    join authorised_late a
      on a.start_date > w.after and a.start_date <= w.up_to and a.auth_date > w.as_at_date
)
select as_at_date, sum(numerator) as numerator, sum(denominator) as denominator, team
from counts
group by as_at_date, team
