-- Children missing education: CME records open at D (records, not children).
select a.as_at_date, 1 as numerator, cast(null as double) as denominator
from as_at_dates a
join ext_education_status e
  on e.start_date <= a.as_at_date
 and (e.end_date is null or e.end_date > a.as_at_date)  -- a record ending on D is closed at D
where upper(trim(e.status)) = 'CME'
