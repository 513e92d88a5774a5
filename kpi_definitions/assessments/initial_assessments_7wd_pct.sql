-- Initial assessments authorised in the period and whether each took initial_assessment_days
-- working days or fewer (default 7, NI 59; see the YAML) (the block assessments_typed;
-- working_days_taken is null when the start date is blank: never within timescale,
-- Clarification 10).
select
    auth_date as event_date,
    case when working_days_taken <= getvariable('initial_assessment_days') then 1 else 0 end as numerator,
    1 as denominator,
    team
from assessments_typed
where assessment_type = 'initial'
    and auth_date is not null
