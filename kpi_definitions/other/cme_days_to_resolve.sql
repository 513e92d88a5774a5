-- Children missing education records that were closed (the child located or the case resolved),
-- placed by the end date: numerator the calendar days from start to end, denominator 1, so the
-- engine's sum over a period divided by the count is the mean.
select
    end_date as event_date,
    date_diff('day', start_date, end_date) as numerator,
    1 as denominator
from ext_education_status
where upper(trim(status)) = 'CME'
  and end_date is not null
  and end_date >= start_date
