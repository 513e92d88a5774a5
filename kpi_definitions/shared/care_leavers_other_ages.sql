-- Care leavers aged 17-18 and 21-25 at each as-at date D, one row per young person per D and
-- cohort, columns (as_at_date, person_id, cohort, in_touch, eet, suitable): cohort '17_18' =
-- eligibility Relevant or Former Relevant, aged 17 or 18 on D; '21_25' = Former Relevant, aged
-- 21 to 25 on D; both without in-touch DIED or RHOM (as former_relevant_19_21, which holds the
-- 19-21s). Flags are 1 when any of the person's rows says so, read as the 19-21 KPIs read them:
-- in touch = YES; EET = activity F1-F5 or P1-P5; suitable = accommodation suitable 1 (or Y).
-- Reads care_leavers_in_force.
select
    as_at_date,
    person_id,
    case when age between 17 and 18 then '17_18' else '21_25' end as cohort,
    max(case when upper(trim(clea_care_leaver_in_touch)) = 'YES' then 1 else 0 end) as in_touch,
    max(case when upper(trim(clea_care_leaver_activity)) in
                  ('F1', 'P1', 'F2', 'P2', 'F3', 'P3', 'F4', 'P4', 'F5', 'P5')
             then 1 else 0 end) as eet,
    max(case when upper(trim(clea_care_leaver_accom_suitable)) in ('1', 'Y') then 1 else 0 end)
        as suitable
from care_leavers_in_force
where coalesce(upper(trim(clea_care_leaver_in_touch)), '') not in ('DIED', 'RHOM')
  and (
      (age between 17 and 18
       and lower(trim(clea_care_leaver_eligibility)) in ('relevant', 'former relevant'))
      or (age between 21 and 25
          and lower(trim(clea_care_leaver_eligibility)) = 'former relevant')
  )
group by all
