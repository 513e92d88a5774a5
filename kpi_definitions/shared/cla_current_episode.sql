-- The current episode of each child looked after at D: one row per child per as-at date D (the
-- children of children_looked_after, Clarification 15), columns (as_at_date, person_id,
-- episode_id, period_no, entered). The current episode is the child's episode open at the end of
-- D, the latest start if several (then the highest episode id); period_no is its continuous
-- period of care (cla_care_periods) and entered the date the child entered care for it: the
-- episode's recorded entered-care date, else the start of its period of care. Reads
-- children_looked_after and cla_care_periods.
select
    l.as_at_date,
    l.person_id,
    p.episode_id,
    p.period_no,
    coalesce(p.entered_care_date, p.period_start) as entered
from children_looked_after l
join cla_care_periods p
  on p.person_id = l.person_id
 and p.start_date <= l.as_at_date
 and (p.ceased_date is null or p.ceased_date > l.as_at_date)
qualify row_number() over (
    partition by l.as_at_date, l.person_id order by p.start_date desc, p.episode_id desc
) = 1
