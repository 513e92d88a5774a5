-- One value per extract, placed at the latest period end on or before the extract date (the
-- weekly series comes from successive extracts).
with latest as (
    select max(as_at_date) as as_at_date
    from as_at_dates
),

delivered as (
    select distinct table_name
    from delivered_tables
),

-- Each quarantine row of this action is one value cleared to unknown (rule unknown_code).
cleared_by_table as (
    select table_name, count(*) as cleared
    from quarantine
    where action = 'value_cleared'
    group by table_name
)

-- One row per delivered table, so a clean table shows 0 in the breakdown.
select
    l.as_at_date,
    d.table_name,
    coalesce(c.cleared, 0) as numerator,
    null as denominator
from latest l
cross join delivered d
left join cleared_by_table c on c.table_name = d.table_name
