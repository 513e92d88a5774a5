-- Worklist cp_visits_due (its rule, in words, is WORKLISTS in pipelines/lib/publish/worklists.py).
-- E is getvariable('extract_date'); each $name is bound from PARAMETERS in worklists.py. Every
-- list starts with team and team_name (the owner's team, else Unassigned).
with children as (
    -- plans open at the end of E (cp_open_plans): the earliest decides how long the
    -- child has been on a plan, the latest starts the window in which visits count
    select person_id, min(start_date) as first_start, max(start_date) as latest_start
    from cp_open_plans
    group by person_id
),
latest_plan as (
    select person_id, plan_id
    from cp_open_plans
    qualify row_number() over (
        partition by person_id order by start_date desc, plan_id desc
    ) = 1
),
last_seen as (
    -- the last visit that saw the child, from the latest plan's start to E
    select c.person_id, max(v.cppv_cp_visit_date) as last_visit_date
    from children c
    join ssd_cp_visits v
      on v.cppv_person_id = c.person_id
     and v.cppv_cp_visit_seen
     and v.cppv_cp_visit_date between c.latest_start and getvariable('extract_date')
    group by c.person_id
),
clock as (
    select
        c.person_id,
        p.plan_id as cp_plan_id,
        c.latest_start as start_date,
        s.last_visit_date,
        coalesce(s.last_visit_date, c.first_start) as clock_start
    from children c
    join latest_plan p on p.person_id = c.person_id
    left join last_seen s on s.person_id = c.person_id
),
timed as (
    select
        k.*,
        t.professional_id,
        t.team as owner_team,
        add_working_days(k.clock_start, 10) as due_date,
        working_days_between(k.clock_start, getvariable('extract_date'))
            as working_days_since_seen
    from clock k
    left join child_team t on t.person_id = k.person_id
)
select
    coalesce(l.owner_team, $unassigned) as team,
    case when l.owner_team is null then $unassigned else n.team_name end as team_name,
    l.person_id,
    l.cp_plan_id,
    l.professional_id,
    l.start_date,
    l.last_visit_date,
    l.due_date,
    l.working_days_since_seen,
    cast(l.due_date - getvariable('extract_date') as integer) as days_to_due,
    case when l.working_days_since_seen > 10 or l.due_date < getvariable('extract_date')
         then 'overdue' else 'due_soon' end as status
from timed l
left join team_names n on n.team = l.owner_team
where l.working_days_since_seen > 10
   or l.due_date - getvariable('extract_date') <= $due_days
order by status = 'overdue' desc, due_date, person_id, cp_plan_id
