-- One value per extract: the quarantine describes the extract as a whole, not a period, so the
-- figure is placed at the latest period end on or before the extract date only (the weekly series
-- comes from successive extracts, each kept with its extract_date).
with latest as (
    select max(as_at_date) as as_at_date
    from as_at_dates
),

-- Rows read from each delivered table (one file per table in a loaded delivery).
rows_read as (
    select table_name, sum(coalesce(rows_read, 0)) as rows_read
    from delivered_tables
    group by table_name
),

-- Rows that never reached staging: rejected (impossible or unreadable date, blank required value,
-- not a number, id shared by conflicting rows) or dropped as exact repeats. A row with several
-- defects is one row.
lost_rows as (
    select distinct table_name, source_file, source_row
    from quarantine
    where action in ('row_rejected', 'duplicate_dropped')
),

lost_by_table as (
    select table_name, count(*) as rows_lost
    from lost_rows
    group by table_name
)

-- One row per delivered table, so a clean table shows 0% in the breakdown.
select
    l.as_at_date,
    r.table_name,
    coalesce(q.rows_lost, 0) as numerator,
    r.rows_read as denominator
from latest l
cross join rows_read r
left join lost_by_table q on q.table_name = r.table_name
