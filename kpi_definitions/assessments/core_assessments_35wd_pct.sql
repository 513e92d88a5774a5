-- Core assessments authorised in the period and whether each took 35 working days or fewer
-- (the block assessments_typed; working_days_taken is null when the start date is blank: never
-- within timescale, Clarification 10).
select
    auth_date as event_date,
    case when working_days_taken <= 35 then 1 else 0 end as numerator,
    1 as denominator,
    team
from assessments_typed
where assessment_type = 'core'
    and auth_date is not null
