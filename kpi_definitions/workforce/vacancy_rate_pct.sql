-- Vacant FTE as a share of vacant plus employed social work FTE at D (DfE CSWW).
with employed as (
    -- workers in post at D (the block workers_at_date) who are employed = agency N, org_role
    -- 1-6 (a blank agency flag is neither, Clarification 22)
    select as_at_date, fte
    from workers_at_date
    where org_role in ('1', '2', '3', '4', '5', '6')
      and agency = false
),
latest_vacancies as (
    -- every team that has a vacancy row on or before D: its latest one (Clarification 25);
    -- rows of one team sharing that latest date are all kept and added up
    select a.as_at_date, v.team_id, v.vacant_fte
    from as_at_dates a
    join ext_vacancies v on v.as_at_date <= a.as_at_date
    qualify rank() over (partition by a.as_at_date, v.team_id order by v.as_at_date desc) = 1
)
select as_at_date, vacant_fte as numerator, vacant_fte as denominator from latest_vacancies
union all
select as_at_date, 0 as numerator, fte as denominator from employed
