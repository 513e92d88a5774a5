-- The current episode of each child looked after, as stretches of days: one row per stretch,
-- columns (person_id, from_date, to_date, episode_id, period_no, entered): from from_date up to
-- the day before to_date (blank: to this day) the child was looked after (care_stretches) and
-- this was the current episode. The current episode is the child's episode open at the end of
-- the day, the latest start if several (then the highest episode id); period_no is its
-- continuous period of care (cla_care_periods) and entered the date the child entered care for
-- it: the episode's recorded entered-care date, else the start of its period of care.
-- Reads care_stretches and cla_care_periods.
with change_days as (
    -- The child's open episodes change only on a day one starts or ceases, so the current
    -- episode is worked out on those days and holds until the next (not for every child and D).
    select
        person_id,
        d,
        lead(d) over (partition by person_id order by d) as to_date  -- blank: to this day
    from (
        select person_id, start_date as d from cla_care_periods where start_date is not null
        union
        select person_id, ceased_date from cla_care_periods where ceased_date is not null
    )
),
current_from as (
    -- The episode open at the end of each such day, the latest start (then highest id) first;
    -- a day with none open has no row.
    select
        c.person_id,
        c.d,
        c.to_date,
        p.episode_id,
        p.period_no,
        coalesce(p.entered_care_date, p.period_start) as entered
    from change_days c
    join cla_care_periods p
      on p.person_id = c.person_id
     and p.start_date <= c.d
     and (p.ceased_date is null or p.ceased_date > c.d)
    qualify row_number() over (
        partition by c.person_id, c.d order by p.start_date desc, p.episode_id desc
    ) = 1
)
-- the days of each such stretch the child was looked after (care_stretches)
select
    s.person_id,
    greatest(s.d, c.from_date) as from_date,
    least(s.to_date, c.to_date) as to_date,
    s.episode_id,
    s.period_no,
    s.entered
from current_from s
join care_stretches c
  on c.person_id = s.person_id
 and (s.to_date is null or c.from_date < s.to_date)
 and (c.to_date is null or s.d < c.to_date)
