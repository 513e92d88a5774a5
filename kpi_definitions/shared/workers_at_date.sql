-- Workers in post at each as-at date D: one row per worker per D, columns (as_at_date,
-- worker_id, team_id, fte, agency, org_role) from the worker's ext_worker_periods period open at
-- the end of D (start on or before D, end blank or after D; a period ending on D is not open,
-- Clarification 22). Should two periods of one worker overlap, the one that started last (then
-- the later or open end, the team id, the larger FTE). Every worker, whatever org_role or agency
-- flag: each KPI picks its social workers (org_role 1-6) and employed/agency split. Reads
-- ext_worker_periods.
with change_days as (
    -- A worker's open periods change only on a day one starts or ends, so the period in force
    -- is worked out on those days and holds until the next (not for every worker and D).
    select
        worker_id,
        d,
        lead(d, 1, date '9999-12-31') over (partition by worker_id order by d) as to_date
    from (
        select worker_id, period_start as d from ext_worker_periods
        where worker_id is not null and period_start is not null
        union
        select worker_id, period_end from ext_worker_periods
        where worker_id is not null and period_end is not null
    )
),
in_force_from as (
    -- the period open at the end of each such day; a day with none open has no row
    select c.worker_id, c.d, c.to_date, w.team_id, w.fte, w.agency, w.org_role
    from change_days c
    join ext_worker_periods w
      on w.worker_id = c.worker_id
     and w.period_start <= c.d
     and (w.period_end is null or w.period_end > c.d)
    qualify row_number() over (
        partition by c.worker_id, c.d
        order by w.period_start desc, w.period_end desc nulls first, w.team_id, w.fte desc
    ) = 1
)
select a.as_at_date, s.worker_id, s.team_id, s.fte, s.agency, s.org_role
from in_force_from s
join as_at_dates a on a.as_at_date >= s.d and a.as_at_date < s.to_date
