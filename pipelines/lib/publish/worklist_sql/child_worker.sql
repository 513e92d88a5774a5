-- Block child_worker: the child's allocated social worker at E: the allocations_at_date rule (an
-- involvement open at E whose role maps to ALLOCATED_SOCIAL_WORKER), the latest started if
-- several. Their team: the worker's ext_worker_periods period at E (as caseload_avg), else the
-- involvement's team, else the worker's department in the ssd_professionals extract in force at E.
with professionals_in_force as (
    select prof_professional_id, prof_professional_department
    from ssd_professionals
    qualify extract_date = max(extract_date) over ()
)
select
    i.invo_person_id as person_id,
    i.invo_professional_id as professional_id,
    coalesce(
        nullif(trim(w.team_id), ''),
        nullif(trim(i.invo_professional_team), ''),
        nullif(trim(p.prof_professional_department), '')
    ) as worker_team
from ssd_involvements i
join la_roles r
  on r.role_code = upper(trim(i.invo_professional_role_id))
 and r.role = 'ALLOCATED_SOCIAL_WORKER'
left join workers_at_date w on w.worker_id = i.invo_professional_id
left join professionals_in_force p on p.prof_professional_id = i.invo_professional_id
where i.invo_involvement_start_date <= getvariable('extract_date')
  and (i.invo_involvement_end_date is null
       or i.invo_involvement_end_date > getvariable('extract_date'))
qualify row_number() over (
    partition by i.invo_person_id
    order by i.invo_involvement_start_date desc, i.invo_professional_id
) = 1
