-- Single assessments open at the end of each as-at date D and past 45 working days (the block
-- assessments_typed: no type row, or no type table, means a single assessment, Clarification 10).
with open_at as (
    -- started by D and not authorised by D; the referral's own state is ignored (Clarification 10)
    select d.as_at_date, s.start_date, s.team
    from assessments_typed s
    join as_at_dates d
        on s.start_date <= d.as_at_date
        and (s.auth_date is null or s.auth_date > d.as_at_date)
    where s.assessment_type = 'single'
)
select
    as_at_date,
    1 as numerator,
    null as denominator,
    team
from open_at
where working_days_between(start_date, as_at_date) > 45
