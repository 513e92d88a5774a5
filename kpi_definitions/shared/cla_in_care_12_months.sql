-- Children looked after at each as-at date D who had been looked after continuously for at least
-- 12 months: one row per child per D, columns (as_at_date, person_id). In care at the end of
-- every day from D - 12 months to D (a stretch of the block care_stretches starting on or before
-- D - 12 months and still going at D), short breaks left out: the SSDA903 OC2 cohort (children
-- looked after at 31 March continuously for 12 months). Reads care_stretches.
select a.as_at_date, s.person_id
from care_stretches s
join as_at_dates a
  on s.from_date <= months_before(a.as_at_date, 12)
 and a.as_at_date < s.to_date
