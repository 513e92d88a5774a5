-- The DfE care-leaver cohort at each as-at date D (care_leavers_in_touch_pct, _eet_pct,
-- _suitable_accom_pct): the rows of care_leavers_in_force (same columns, one row per
-- ssd_care_leavers row in force at D) whose eligibility is Former Relevant, aged 19 to 21
-- inclusive on D, and not recorded as died (DIED) or returned home for 6 months or more (RHOM).
-- Eligibility and in-touch codes compared trimmed and case-insensitively; a blank in-touch stays
-- in (Clarification 21). Reads care_leavers_in_force.
select *
from care_leavers_in_force
where lower(trim(clea_care_leaver_eligibility)) = 'former relevant'
  and age between 19 and 21
  and coalesce(upper(trim(clea_care_leaver_in_touch)), '') not in ('DIED', 'RHOM')
