-- Care leavers at each as-at date D, from the ssd_care_leavers extract in force at D: the latest
-- extract dated on or before D (Clarification 21, convention "Which extract"; no row before the
-- first extract). One row per ssd_care_leavers row of that extract whose person has a date of
-- birth (a young person with several rows has several: KPIs group by person), columns
-- (as_at_date, state_extract_date, person_id, clea_table_id, clea_care_leaver_eligibility,
-- clea_care_leaver_in_touch, clea_care_leaver_latest_contact, clea_care_leaver_accommodation,
-- clea_care_leaver_accom_suitable, clea_care_leaver_activity, clea_pathway_plan_review_date,
-- clea_care_leaver_personal_advisor, clea_care_leaver_allocated_team, age). age = whole years on
-- D; no date of birth = left out (Clarification 19). Codes as staged: compare them trimmed and
-- case-insensitively. Reads ssd_care_leavers (every extract up to E) and ssd_person.
with care_leaver_extracts as (
    select distinct extract_date from ssd_care_leavers
),
extract_in_force as (
    -- the state extract that was the latest one on D
    select a.as_at_date, max(e.extract_date) as state_extract_date
    from as_at_dates a
    join care_leaver_extracts e on e.extract_date <= a.as_at_date
    group by a.as_at_date
)
select
    f.as_at_date,
    f.state_extract_date,
    c.clea_person_id as person_id,
    c.clea_table_id,
    c.clea_care_leaver_eligibility,
    c.clea_care_leaver_in_touch,
    c.clea_care_leaver_latest_contact,
    c.clea_care_leaver_accommodation,
    c.clea_care_leaver_accom_suitable,
    c.clea_care_leaver_activity,
    c.clea_pathway_plan_review_date,
    c.clea_care_leaver_personal_advisor,
    c.clea_care_leaver_allocated_team,
    -- whole years on D from the person's date of birth; no date of birth = left out (Clarification 19)
    age_on(p.pers_dob, f.as_at_date) as age
from extract_in_force f
join ssd_care_leavers c on c.extract_date = f.state_extract_date
join ssd_person p on p.pers_person_id = c.clea_person_id
where p.pers_dob is not null
