-- Each worker's period in force, as stretches of days: one row per stretch, columns (worker_id,
-- from_date, to_date, team_id, fte, agency, org_role): from from_date up to the day before
-- to_date (blank: to this day) the worker's ext_worker_periods period open at the end of the
-- day (start on or before it, end blank or after it; a period ending on a day is not open that
-- day, Clarification 22) was this one. Should two periods of one worker overlap, the one that
-- started last (then the later or open end, the team id, the larger FTE). Every worker, whatever
-- org_role or agency flag. workers_at_date matches the stretches to the dates D; KPIs that count
-- workers at each D from the days their state changes read the stretches. Reads
-- ext_worker_periods.
with change_days as (
    -- A worker's open periods change only on a day one starts or ends, so the period in force
    -- is worked out on those days and holds until the next (not for every worker and D).
    select
        worker_id,
        d,
        lead(d) over (partition by worker_id order by d) as to_date
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
select s.worker_id, s.d as from_date, s.to_date, s.team_id, s.fte, s.agency, s.org_role
from in_force_from s
