-- Agency social work FTE in post at D as a share of vacant FTE at D (DfE CSWW vacancy agency
-- cover rate, with every agency worker read as covering a vacancy).
with agency as (
    -- workers in post at D (the block workers_at_date) supplied by an agency (agency Y) who are
    -- CSWW social workers (org_role 1-6); a blank agency flag is not agency (Clarification 22)
    select as_at_date, fte
    from workers_at_date
    where org_role in ('1', '2', '3', '4', '5', '6')
      and agency
)
select as_at_date, fte as numerator, 0.0 as denominator from agency
union all
-- every team's latest vacancy row on or before D (the block vacancies_at_date)
select as_at_date, 0.0, vacant_fte from vacancies_at_date
