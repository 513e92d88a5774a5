-- Presentations of homeless 16- and 17-year-olds whose assessment was completed, placed by the
-- completion date: numerator 1 when the outcome is s17_support.
select
    assessment_completed_date as event_date,
    case when outcome = 's17_support' then 1 else 0 end as numerator,
    1 as denominator
from ext_homeless_16_17
where assessment_completed_date is not null
