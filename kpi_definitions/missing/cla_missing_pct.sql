-- Children looked after at some time in the 12 months to each as-at date D, (D - 12 months, D]:
-- one row per child per D (a stretch of the block care_stretches with a day's end in the
-- window), numerator 1 when the child had a missing (type M) episode starting in the window.
with in_care as (
    select a.as_at_date, s.person_id
    from care_stretches s
    join as_at_dates a
      on s.from_date <= a.as_at_date
     and (s.to_date is null or s.to_date > months_before(a.as_at_date, 12) + 1)
    group by a.as_at_date, s.person_id
),
went_missing as (
    select c.as_at_date, c.person_id
    from in_care c
    join ssd_missing m
      on m.miss_person_id = c.person_id
     and m.miss_missing_episode_type = 'M'
     and cast(m.miss_missing_episode_start_date as date) > months_before(c.as_at_date, 12)
     and cast(m.miss_missing_episode_start_date as date) <= c.as_at_date
    group by c.as_at_date, c.person_id
)
select
    c.as_at_date,
    (w.person_id is not null)::integer as numerator,
    1 as denominator
from in_care c
left join went_missing w
  on w.as_at_date = c.as_at_date
 and w.person_id = c.person_id
