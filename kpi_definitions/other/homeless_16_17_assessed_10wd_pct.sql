-- Presentations of homeless 16- and 17-year-olds assessed within 10 working days, placed in the
-- period of the presentation.
with presentations as (
    select
        presentation_date,
        working_days_between(presentation_date, assessment_completed_date) as wd_to_assessment,
        working_days_between(presentation_date, getvariable('extract_date')) as wd_waiting
    from ext_homeless_16_17
)
select
    presentation_date as event_date,
    case when wd_to_assessment <= 10 then 1 else 0 end as numerator,
    1 as denominator
from presentations
where wd_to_assessment is not null  -- assessed (every fact in the extract counts, Clarification 1)
   or wd_waiting > 10               -- not assessed and already late at the extract date
