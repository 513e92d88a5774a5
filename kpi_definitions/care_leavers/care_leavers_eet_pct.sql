-- Former relevant care leavers aged 19-21 at D in education, employment or training (EET).
-- ssd_care_leavers holds only the current state, and its view holds every extract up to E:
-- at D the cohort comes from the latest extract dated on or before D (none before the first).
with care_leaver_extracts as (
    select distinct extract_date from ssd_care_leavers
),
extract_in_force as (
    -- the state extract that was the latest one on D
    select a.as_at_date, max(e.extract_date) as state_extract_date
    from as_at_dates a
    join care_leaver_extracts e on e.extract_date <= a.as_at_date
    group by a.as_at_date
),
leavers_at_date as (
    select
        f.as_at_date,
        c.clea_person_id,
        c.clea_care_leaver_eligibility,
        c.clea_care_leaver_in_touch,
        c.clea_care_leaver_activity
    from extract_in_force f
    join ssd_care_leavers c on c.extract_date = f.state_extract_date
),
aged as (
    -- whole years on D from the person's date of birth; no date of birth = left out (Clarification 19)
    select l.*, age_on(p.pers_dob, l.as_at_date) as age
    from leavers_at_date l
    join ssd_person p on p.pers_person_id = l.clea_person_id
    where p.pers_dob is not null
),
cohort as (
    -- DfE cohort: former relevant, 19-21 inclusive, not died, not returned home for 6 months+
    select *
    from aged
    where lower(trim(clea_care_leaver_eligibility)) = 'former relevant'
      and age between 19 and 21
      and coalesce(upper(trim(clea_care_leaver_in_touch)), '') not in ('DIED', 'RHOM')
)
-- one row per young person, however many rows the extract holds for them
select
    as_at_date,
    -- EET activity codes, with the historic F3 and P3 (Clarification 21); blank, G4-G6 and 0 are not
    max(case when upper(trim(clea_care_leaver_activity)) in
                  ('F1', 'P1', 'F2', 'P2', 'F3', 'P3', 'F4', 'P4', 'F5', 'P5')
             then 1 else 0 end) as numerator,
    1 as denominator
from cohort
group by as_at_date, clea_person_id
