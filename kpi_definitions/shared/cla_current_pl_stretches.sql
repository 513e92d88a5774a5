-- The current placement of each child looked after, as stretches of days covering every day the
-- child was looked after: one row per stretch, columns (person_id, from_date, to_date,
-- placement_id, placement_type, placement_start_date): from from_date up to the day before
-- to_date (blank: to this day) the child was looked after (care_stretches) and this was the
-- current placement (blank: none open). Current placement = the child's placement open at the
-- end of the day (start on or before it, end blank or after it), the latest start if several,
-- ties broken by the highest placement id so the answer is repeatable (Clarification 16).
-- Reads care_stretches and ssd_cla_placement.
with change_days as (
    -- The current placement changes only on a day a placement starts or ends (or a stretch of
    -- care starts): worked out on those days, it holds until the next.
    select person_id, d, lead(d) over (partition by person_id order by d) as to_date
    from (
        select clap_person_id as person_id, clap_cla_placement_start_date as d
        from ssd_cla_placement
        union
        select clap_person_id, clap_cla_placement_end_date from ssd_cla_placement
        union
        select person_id, from_date from care_stretches
    )
    where person_id is not null and d is not null
),
open_placement as (
    -- the placement open at the end of each such day, the latest start (then highest id) first
    select
        c.person_id,
        c.d,
        p.clap_cla_placement_id as placement_id,
        p.clap_cla_placement_type as placement_type,
        p.clap_cla_placement_start_date as placement_start_date
    from change_days c
    join ssd_cla_placement p
      on p.clap_person_id = c.person_id
     and p.clap_cla_placement_start_date <= c.d
     and (p.clap_cla_placement_end_date is null or p.clap_cla_placement_end_date > c.d)
    qualify row_number() over (
        partition by c.person_id, c.d
        order by p.clap_cla_placement_start_date desc, p.clap_cla_placement_id desc
    ) = 1
)
-- every such day, with its open placement if any, on the days the child was looked after
select
    s.person_id,
    greatest(s.d, c.from_date) as from_date,
    least(s.to_date, c.to_date) as to_date,
    o.placement_id,
    o.placement_type,
    o.placement_start_date
from change_days s
left join open_placement o using (person_id, d)
join care_stretches c
  on c.person_id = s.person_id
 and (s.to_date is null or c.from_date < s.to_date)
 and (c.to_date is null or s.d < c.to_date)
