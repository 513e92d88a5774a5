-- Children looked after at each as-at date D who had been looked after continuously for at least
-- 12 months, with their health checks: one row per child per D, columns (as_at_date, person_id,
-- health_assessment, dental_check). In care at the end of every day from D - 12 months to D (a
-- stretch of the block care_stretches starting on or before D - 12 months and still going at
-- D), short breaks left out: the SSDA903 OC2 cohort (children looked after at 31 March
-- continuously for 12 months). health_assessment (dental_check) is 1 when the child had a
-- ssd_cla_health check of type HEALTH_ASSESSMENT (DENTAL_CHECK) dated in (D - 12 months, D].
-- Reads care_stretches and ssd_cla_health.
with cohort as (
    select a.as_at_date, s.person_id
    from care_stretches s
    join as_at_dates a
      on s.from_date <= months_before(a.as_at_date, 12)
     and (s.to_date is null or a.as_at_date < s.to_date)
),
checked as (
    select
        c.as_at_date,
        c.person_id,
        max((h.clah_health_check_type = 'HEALTH_ASSESSMENT')::integer) as health_assessment,
        max((h.clah_health_check_type = 'DENTAL_CHECK')::integer) as dental_check
    from cohort c
    join ssd_cla_health h
      on h.clah_person_id = c.person_id
     and h.clah_health_check_date > months_before(c.as_at_date, 12)
     and h.clah_health_check_date <= c.as_at_date
    group by c.as_at_date, c.person_id
)
select
    c.as_at_date,
    c.person_id,
    coalesce(k.health_assessment, 0) as health_assessment,
    coalesce(k.dental_check, 0) as dental_check
from cohort c
left join checked k
  on k.as_at_date = c.as_at_date
 and k.person_id = c.person_id
