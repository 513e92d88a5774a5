-- Children's open cases as stretches of days: one row per child, status and continuous stretch,
-- columns (status, person_id, from_date, to_date): the child had the status at the end of every
-- day from from_date up to the day before to_date (blank: to this day). Status:
-- 'cp' on a child protection plan; 'in_need' a referral episode open whose referral did not end
-- in no further action (cine_referral_nfa not Y: the DfE's children in need); 'open_case' a
-- referral episode open, whatever its outcome; 'open_any' a referral episode, CP plan or care
-- episode open (short breaks too, Clarification 26); 'allocated' an involvement open whose role
-- maps to ALLOCATED_SOCIAL_WORKER in la.yaml (not a personal adviser, Clarification 19).
-- Open at the end of D = started by D, not ended by D (ending on D: closed). Several open at once
-- count once; one ending the day the next starts continues the stretch. Reads ssd_cp_plans,
-- ssd_cin_episodes, ssd_cla_episodes, ssd_involvements, la_roles (absent tables are empty).
with cases as (
    select 'cp' as status, cppl_person_id as person_id, cppl_cp_plan_start_date as from_date,
           cppl_cp_plan_end_date as to_date
    from ssd_cp_plans
    union all
    select case when cine_referral_nfa then 'nfa' else 'in_need' end, cine_person_id,
           cine_referral_date, cine_close_date
    from ssd_cin_episodes
    union all
    select 'care', clae_person_id, clae_cla_episode_start_date, clae_cla_episode_ceased
    from ssd_cla_episodes
    union all
    select 'allocated', i.invo_person_id, i.invo_involvement_start_date,
           i.invo_involvement_end_date
    from ssd_involvements i
    join la_roles r on r.role_code = upper(trim(i.invo_professional_role_id))
    where r.role = 'ALLOCATED_SOCIAL_WORKER'
),
statuses as (
    select * from cases where status in ('cp', 'in_need', 'allocated')
    union all
    select 'open_case', * exclude (status) from cases where status in ('in_need', 'nfa')
    union all
    select 'open_any', * exclude (status) from cases where status <> 'allocated'
),
changes as (
    select status, person_id, from_date as d, 1 as change
    from statuses
    where from_date is not null and (to_date is null or to_date > from_date)
    union all
    select status, person_id, to_date, -1
    from statuses
    where from_date is not null and to_date > from_date
),
open_cases as (
    -- the child's cases of the status open at the end of each day one opens or closes
    select *, sum(change) over (partition by status, person_id order by d) > 0 as open
    from (select status, person_id, d, sum(change) as change from changes group by all)
),
flips as (
    -- the days the child comes into or out of the status
    select status, person_id, d, open
    from open_cases
    qualify open <> lag(open, 1, false) over (partition by status, person_id order by d)
)
select status, person_id, d as from_date,
       lead(d) over (partition by status, person_id order by d) as to_date
from flips
qualify open
