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

-- Rows kept but flagged because a link points at a record the extract does not hold; a row with
-- two broken links is one row.
orphan_rows as (
    select distinct table_name, source_file, source_row
    from quarantine
    where action = 'row_flagged'
),

orphans_by_table as (
    select table_name, count(*) as orphans
    from orphan_rows
    group by table_name
)

-- One row per delivered table, so a clean table shows 0 in the breakdown.
select
    l.as_at_date,
    d.table_name,
    coalesce(o.orphans, 0) as numerator,
    null as denominator
from latest l
cross join delivered d
left join orphans_by_table o on o.table_name = d.table_name
