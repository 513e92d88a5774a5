-- Vacant social work FTE covered by agency social workers at D, as a share of vacant FTE (DfE
-- CSWW vacancy agency cover rate): the council's agency FTE in post counts against its
-- vacancies, up to them (the rest cover absences or extra posts). The council as a whole, as
-- the census's LALevelVacancies: the census gives no teams.
with agency as (
    -- workers in post at D (the block workers_at_date) supplied by an agency (agency Y) who are
    -- CSWW social workers (org_role 1-6); a blank agency flag is not agency (Clarification 22)
    select as_at_date, sum(fte) as agency_fte
    from workers_at_date
    where org_role in ('1', '2', '3', '4', '5', '6')
      and agency
    group by as_at_date
),
vacant as (
    -- every team's latest vacancy row on or before D (the block vacancies_at_date), added up
    select as_at_date, sum(vacant_fte) as vacant_fte
    from vacancies_at_date
    group by as_at_date
)
select
    v.as_at_date,
    least(coalesce(a.agency_fte, 0), v.vacant_fte) as numerator,
    v.vacant_fte as denominator
from vacant v
left join agency a on a.as_at_date = v.as_at_date
