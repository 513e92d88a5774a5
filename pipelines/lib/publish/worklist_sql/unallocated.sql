-- Worklist unallocated (its rule, in words, is WORKLISTS in pipelines/lib/publish/worklists.py).
-- E is getvariable('extract_date'); each $name is bound from PARAMETERS in worklists.py. Every
-- list starts with team and team_name (the owner's team, else Unassigned).
with open_cases as (
    -- as unallocated_children: open referral episodes, CP plans and care episodes
    -- (short breaks included, Clarification 26)
    select cine_person_id as person_id, 'referral' as case_type,
           cine_referral_id as case_id, cine_referral_date as case_start
    from ssd_cin_episodes
    where cine_referral_date <= getvariable('extract_date')
      and (cine_close_date is null or cine_close_date > getvariable('extract_date'))
    union all
    select person_id, 'cp_plan', plan_id, start_date from cp_open_plans
    union all
    select clae_person_id, 'cla_episode', clae_cla_episode_id, clae_cla_episode_start_date
    from ssd_cla_episodes
    where clae_cla_episode_start_date <= getvariable('extract_date')
      and (clae_cla_episode_ceased is null
           or clae_cla_episode_ceased > getvariable('extract_date'))
),
children as (
    -- no allocation open at E (the block allocations_at_date)
    select
        person_id,
        min(case_start) as start_date,
        string_agg(
            case_type || ' ' || case_id, '; ' order by case_start, case_type, case_id
        ) as open_cases
    from open_cases o
    where not exists (
        select 1 from allocations_at_date a where a.person_id = o.person_id
    )
    group by person_id
),
previous_allocation as (
    -- the child's last allocation, ended on or before E
    select
        i.invo_person_id as person_id,
        i.invo_professional_id as previous_professional_id,
        nullif(trim(i.invo_professional_team), '') as previous_team,
        i.invo_involvement_end_date as allocation_ended
    from ssd_involvements i
    join la_roles r
      on r.role_code = upper(trim(i.invo_professional_role_id))
     and r.role = 'ALLOCATED_SOCIAL_WORKER'
    where i.invo_involvement_end_date <= getvariable('extract_date')
    qualify row_number() over (
        partition by i.invo_person_id
        order by i.invo_involvement_end_date desc, i.invo_involvement_start_date desc,
                 i.invo_professional_id
    ) = 1
),
listed as (
    select
        c.*,
        p.previous_professional_id,
        greatest(c.start_date, coalesce(p.allocation_ended, c.start_date)) as due_date,
        -- the open referral's team, else the last worker's team
        coalesce(r.referral_team, p.previous_team) as owner_team
    from children c
    left join child_referral r on r.person_id = c.person_id
    left join previous_allocation p on p.person_id = c.person_id
)
select
    coalesce(l.owner_team, $unassigned) as team,
    case when l.owner_team is null then $unassigned else n.team_name end as team_name,
    l.person_id,
    l.open_cases,
    cast(null as varchar) as professional_id,
    l.previous_professional_id,
    l.start_date,
    l.due_date,
    cast(getvariable('extract_date') - l.due_date as integer) as days_unallocated,
    'overdue' as status
from listed l
left join team_names n on n.team = l.owner_team
order by due_date, person_id
