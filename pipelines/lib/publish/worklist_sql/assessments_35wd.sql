-- Worklist assessments_35wd (its rule, in words, is WORKLISTS in pipelines/lib/publish/worklists.py).
-- E is getvariable('extract_date'); each $name is bound from PARAMETERS in worklists.py. Every
-- list starts with team and team_name (the owner's team, else Unassigned).
with open_assessments as (
    -- single assessments open at the end of E (assessments_typed, as
    -- assessments_open_over_45wd): started by E, not authorised by E
    select
        s.assessment_id,
        s.person_id,
        s.start_date,
        nullif(trim(s.team), '') as assessment_team,
        a.cina_referral_id as referral_id,
        a.cina_assessment_worker_id as assessment_worker,
        working_days_between(s.start_date, getvariable('extract_date'))
            as working_days_elapsed
    from assessments_typed s
    join ssd_cin_assessments a on a.cina_assessment_id = s.assessment_id
    where s.assessment_type = 'single'
      and s.start_date <= getvariable('extract_date')
      and (s.auth_date is null or s.auth_date > getvariable('extract_date'))
),
listed as (
    select
        o.*,
        -- the assessment's own team (the KPIs' team dimension), else the child's
        coalesce(o.assessment_team, t.team) as owner_team,
        coalesce(o.assessment_worker, t.professional_id) as professional_id,
        add_working_days(o.start_date, 45) as due_date
    from open_assessments o
    left join child_team t on t.person_id = o.person_id
    where o.working_days_elapsed >= $from_wd
)
select
    coalesce(l.owner_team, $unassigned) as team,
    case when l.owner_team is null then $unassigned else n.team_name end as team_name,
    l.person_id,
    l.assessment_id,
    l.referral_id,
    l.professional_id,
    l.start_date,
    l.due_date,
    l.working_days_elapsed,
    45 - l.working_days_elapsed as working_days_to_due,
    case when l.working_days_elapsed > 45 or l.due_date < getvariable('extract_date')
         then 'overdue' else 'at_35wd_plus' end as status
from listed l
left join team_names n on n.team = l.owner_team
order by status = 'overdue' desc, due_date, person_id, assessment_id
