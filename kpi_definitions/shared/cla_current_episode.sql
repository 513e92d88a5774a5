-- The current episode of each child looked after at D: one row per child per as-at date D (the
-- children of children_looked_after, Clarification 15), columns (as_at_date, person_id,
-- episode_id, period_no, entered). The current episode is the child's episode open at the end of
-- D, the latest start if several (then the highest episode id); period_no is its continuous
-- period of care (cla_care_periods) and entered the date the child entered care for it: the
-- episode's recorded entered-care date, else the start of its period of care. Each stretch
-- of days with one current episode (cla_current_ep_stretches) is matched to the dates D in it.
-- Reads cla_current_ep_stretches.
select a.as_at_date, s.person_id, s.episode_id, s.period_no, s.entered
from cla_current_ep_stretches s
join as_at_dates a on a.as_at_date >= s.from_date and a.as_at_date < s.to_date
