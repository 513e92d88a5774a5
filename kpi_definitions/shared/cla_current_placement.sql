-- The current placement of each child looked after at D (children_looked_after): one row per
-- child per as-at date D who has a placement open at D, columns (as_at_date, person_id,
-- placement_id, placement_type, placement_start_date). Current placement = the child's
-- placement open at the end of D (start on or before D, end blank or after D), matched by
-- person, the latest start if several, ties broken by the highest placement id so the answer is
-- repeatable (Clarification 16). A child with no open placement has no row here: KPIs keep such
-- a child in their denominators and never in their numerators. Each stretch of days with one
-- current placement (cla_current_pl_stretches) is matched to the dates D in it.
-- Reads cla_current_pl_stretches.
select a.as_at_date, s.person_id, s.placement_id, s.placement_type, s.placement_start_date
from cla_current_pl_stretches s
join as_at_dates a
  on a.as_at_date >= s.from_date and (s.to_date is null or a.as_at_date < s.to_date)
where s.placement_id is not null
