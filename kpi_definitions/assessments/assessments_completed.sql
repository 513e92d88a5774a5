-- One row per single assessment, dated by its authorisation (the block assessments_typed: no
-- type row, or no type table, means a single assessment, Clarification 10).
select
    auth_date as event_date,
    1 as numerator,
    null as denominator,
    team
from assessments_typed
where assessment_type = 'single'
    and auth_date is not null
