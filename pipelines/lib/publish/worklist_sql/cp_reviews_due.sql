-- Worklist cp_reviews_due (its rule, in words, is WORKLISTS in pipelines/lib/publish/worklists.py).
-- E is getvariable('extract_date'); each $name is bound from PARAMETERS in worklists.py. Every
-- list starts with team and team_name (the owner's team, else Unassigned).
with reviews as (
    -- reviews linked by plan id, dated from the plan start to E
    select
        p.plan_id,
        count(distinct r.cppr_cp_review_date) as reviews_held,
        max(r.cppr_cp_review_date) as last_review_date
    from cp_open_plans p
    join ssd_cp_reviews r
      on r.cppr_cp_plan_id = p.plan_id
     and r.cppr_cp_review_date between p.start_date and getvariable('extract_date')
    group by p.plan_id
),
timed as (
    select
        p.plan_id as cp_plan_id,
        p.person_id,
        p.start_date,
        r.last_review_date,
        coalesce(r.reviews_held, 0) as reviews_held,
        case when r.last_review_date is null then months_after(p.start_date, 3)
             else months_after(r.last_review_date, 6) end as due_date,
        t.professional_id,
        t.team as owner_team
    from cp_open_plans p
    left join reviews r on r.plan_id = p.plan_id
    left join child_team t on t.person_id = p.person_id
)
select
    coalesce(l.owner_team, $unassigned) as team,
    case when l.owner_team is null then $unassigned else n.team_name end as team_name,
    l.person_id,
    l.cp_plan_id,
    l.professional_id,
    l.start_date,
    l.last_review_date,
    l.reviews_held,
    l.due_date,
    cast(l.due_date - getvariable('extract_date') as integer) as days_to_due,
    -- a deadline falling on E is not missed (Clarification 12)
    case when l.due_date < getvariable('extract_date') then 'overdue' else 'due_soon' end
        as status
from timed l
left join team_names n on n.team = l.owner_team
where l.due_date - getvariable('extract_date') <= $due_days
order by status = 'overdue' desc, due_date, person_id, cp_plan_id
