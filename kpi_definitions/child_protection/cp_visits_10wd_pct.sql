-- Children on a child protection plan at the end of D for more than 10 working days
-- (denominator) and, of them, those seen on a CP visit in the 10 working days to D since their
-- latest open plan started (numerator). Plans open at D as cp_plans_open (a plan ending on D is
-- closed): the earliest decides how long the child has been on a plan, the latest starts the
-- window in which visits count. Working days as working_days_between counts them (the block
-- working_days).
with change_days as (
    -- a child's open plans change only on a day one starts or ends
    select person_id, d, lead(d) over (partition by person_id order by d) as to_date
    from (
        select cppl_person_id as person_id, cppl_cp_plan_start_date as d from ssd_cp_plans
        union
        select cppl_person_id, cppl_cp_plan_end_date from ssd_cp_plans
        where cppl_cp_plan_end_date is not null
    )
),
open_plans as (
    -- the earliest and latest start of the plans open at the end of each such day, until the
    -- child's next such day; a day with no plan open has no row
    select c.person_id, c.d as from_date, c.to_date,
           min(p.cppl_cp_plan_start_date) as first_start,
           max(p.cppl_cp_plan_start_date) as latest_start
    from change_days c
    join ssd_cp_plans p
      on p.cppl_person_id = c.person_id
     and p.cppl_cp_plan_start_date <= c.d
     and (p.cppl_cp_plan_end_date is null or p.cppl_cp_plan_end_date > c.d)
    group by all
),
due as (
    -- due once wd(first start, D) > 10: from the 11th working day after the first start
    select s.person_id, s.latest_start, greatest(s.from_date, w.date) as from_date, s.to_date
    from open_plans s
    join ref.calendar c on c.date = s.first_start
    join working_days w on w.working_day_index = c.working_day_index + 11
),
visit_cover as (
    -- a CP visit that saw the child (matched by person) is the child's latest from its day until
    -- the next, and within 10 working days of D until the 11th working day after it
    select v.person_id, v.visit_date,
           least(lead(v.visit_date) over (partition by v.person_id order by v.visit_date), w.date)
               as to_date
    from (
        select distinct cppv_person_id as person_id, cppv_cp_visit_date as visit_date
        from ssd_cp_visits
        where cppv_cp_visit_seen
    ) v
    join ref.calendar c on c.date = v.visit_date
    left join working_days w on w.working_day_index = c.working_day_index + 11
)
select from_date, to_date, 0 as numerator, 1 as denominator
from due
union all
select greatest(d.from_date, v.visit_date), least(d.to_date, v.to_date), 1, 0
from due d
join visit_cover v
  on v.person_id = d.person_id
 and v.visit_date >= d.latest_start
 and (d.to_date is null or v.visit_date < d.to_date)
 and (v.to_date is null or v.to_date > d.from_date)
