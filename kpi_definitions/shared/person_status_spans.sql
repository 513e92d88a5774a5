-- Children's statuses, one row per plan, episode or allocation that gives one, columns (status,
-- person_id, from_date, to_date): the child had the status at the end of every day from
-- from_date up to the day before to_date (blank: still has). Status: 'cp' on a child protection
-- plan; 'in_need' a referral episode open whose referral did not end in no further action
-- (cine_referral_nfa not Y: the DfE's children in need); 'open_case' a referral episode open,
-- whatever its outcome; 'open_any' a referral episode, CP plan or care episode open (short
-- breaks too, Clarification 26); 'allocated' an involvement open whose role maps to
-- ALLOCATED_SOCIAL_WORKER in la.yaml (not a personal adviser, Clarification 19);
-- 'cp_review_due' a plan qualifying for the review measure, 'cp_review_late' one of them late
-- (the block cp_review_deadlines). Open at the end of D = started by D and not ended by D (a
-- plan ending on D is closed at the end of D). Rows of one child and status may overlap: the
-- block person_status_stretches merges them. Reads ssd_cp_plans, ssd_cin_episodes,
-- ssd_cla_episodes, ssd_involvements, la_roles (absent tables are empty), cp_review_deadlines.
with cases as (
    select 'cp' as status, cppl_person_id as person_id, cppl_cp_plan_start_date as from_date,
           cppl_cp_plan_end_date as to_date
    from ssd_cp_plans
    union all
    select if(cine_referral_nfa, 'nfa', 'in_need'), cine_person_id, cine_referral_date,
           cine_close_date
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
    union all
    select 'cp_review_due', person_id, qualifying_from, end_date from cp_review_deadlines
    union all
    select 'cp_review_late', person_id, greatest(qualifying_from, missed_from), end_date
    from cp_review_deadlines
)
select * from cases where status not in ('nfa', 'care')
union all
select 'open_case', * exclude (status) from cases where status in ('in_need', 'nfa')
union all
select 'open_any', * exclude (status) from cases
where status in ('cp', 'in_need', 'nfa', 'care')
