-- Worklist icpc_due (its rule, in words, is WORKLISTS in pipelines/lib/publish/worklists.py).
-- E is getvariable('extract_date'); each $name is bound from PARAMETERS in worklists.py. Every
-- list starts with team and team_name (the owner's team, else Unassigned).
with held as (
    -- a conference held (dated) by E, whatever its outcome (as icpc_15wd_pct)
    select distinct icpc_s47_enquiry_id as enquiry_id
    from ssd_initial_cp_conference
    where icpc_icpc_date <= getvariable('extract_date') and icpc_s47_enquiry_id is not null
),
booked as (
    -- a conference recorded but not yet held at E
    select distinct icpc_s47_enquiry_id as enquiry_id
    from ssd_initial_cp_conference
    where (icpc_icpc_date is null or icpc_icpc_date > getvariable('extract_date'))
      and icpc_s47_enquiry_id is not null
),
awaiting as (
    select
        s.s47e_s47_enquiry_id as s47_enquiry_id,
        s.s47e_person_id as person_id,
        s.s47e_referral_id as referral_id,
        s.s47e_s47_start_date as start_date,
        working_days_between(s.s47e_s47_start_date, getvariable('extract_date'))
            as working_days_elapsed
    from ssd_s47_enquiry s
    where s.s47e_s47_start_date <= getvariable('extract_date')
      and not exists (select 1 from held h where h.enquiry_id = s.s47e_s47_enquiry_id)
      and (
          ((s.s47e_s47_end_date is null
            or s.s47e_s47_end_date > getvariable('extract_date'))
           and s.s47e_s47_nfa is not true)
          or s.s47e_s47_enquiry_id in (select enquiry_id from booked)
      )
),
listed as (
    select
        a.*,
        t.professional_id,
        -- the worker's team, else the enquiry's referral team, else the child's
        coalesce(
            (select w.worker_team from child_worker w where w.person_id = a.person_id),
            (select nullif(trim(e.cine_referral_team), '') from ssd_cin_episodes e
             where e.cine_referral_id = a.referral_id limit 1),
            t.team
        ) as owner_team,
        add_working_days(a.start_date, 15) as due_date
    from awaiting a
    left join child_team t on t.person_id = a.person_id
    where 15 - a.working_days_elapsed <= $icpc_wd
)
select
    coalesce(l.owner_team, $unassigned) as team,
    case when l.owner_team is null then $unassigned else n.team_name end as team_name,
    l.person_id,
    l.s47_enquiry_id,
    l.referral_id,
    l.professional_id,
    l.start_date,
    l.due_date,
    l.working_days_elapsed,
    15 - l.working_days_elapsed as working_days_to_due,
    case when l.working_days_elapsed > 15 or l.due_date < getvariable('extract_date')
         then 'overdue' else 'due_soon' end as status
from listed l
left join team_names n on n.team = l.owner_team
order by status = 'overdue' desc, due_date, person_id, s47_enquiry_id
