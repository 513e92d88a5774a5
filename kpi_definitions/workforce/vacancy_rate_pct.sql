-- Vacant FTE as a share of vacant plus employed social work FTE at D (DfE CSWW), by team (and
-- through la.yaml, by service area): each vacancy row and employed worker's period names a team.
with employed as (
    -- workers in post at D (the block workers_at_date) who are employed = agency N, org_role
    -- 1-6 (a blank agency flag is neither, Clarification 22)
    select as_at_date, team_id, fte
    from workers_at_date
    where org_role in ('1', '2', '3', '4', '5', '6')
      and agency = false
)
-- every team's latest vacancy row on or before D (the block vacancies_at_date)
select as_at_date, team_id as team, vacant_fte as numerator, vacant_fte as denominator
from vacancies_at_date
union all
select as_at_date, team_id as team, 0 as numerator, fte as denominator from employed
