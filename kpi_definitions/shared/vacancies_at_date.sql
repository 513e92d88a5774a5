-- Vacant FTE known at each as-at date D: one row per team with an ext_vacancies row dated on or
-- before D, columns (as_at_date, team_id, vacant_fte): the team's latest such row
-- (Clarification 25); rows of one team sharing that latest date are all kept (read as separate
-- vacancies, to be added up). A team with no row yet has none. Reads ext_vacancies.
select a.as_at_date, v.team_id, v.vacant_fte
from as_at_dates a
join ext_vacancies v on v.as_at_date <= a.as_at_date
qualify rank() over (partition by a.as_at_date, v.team_id order by v.as_at_date desc) = 1
