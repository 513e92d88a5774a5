-- Children looked after at each as-at date D: one row per child per D, columns
-- (as_at_date, person_id). Looked after = a CLA episode open at the end of D (started on or before
-- D, not ceased by D); a child with any V3/V4 (short breaks) legal status open at D is left out,
-- and a child with no legal-status row counts (Clarification 15). Each stretch of days the child
-- was looked after (the block care_stretches) is matched to the dates D in it; a child with two
-- open episodes counts once. Reads care_stretches.
select a.as_at_date, s.person_id
from care_stretches s
join as_at_dates a
  on a.as_at_date >= s.from_date
 and (s.to_date is null or a.as_at_date < s.to_date)
