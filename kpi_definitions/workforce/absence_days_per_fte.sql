-- Working days lost to sickness by employed social workers in the 12 months to D, per employed
-- FTE at D (2010 notice: 10 days per FTE). Evaluated at each period end D (Clarification 2).
with employed_sickness as (
    -- sickness absences only (reason SIC), with the worker's period in force on the first day
    -- of absence: its employed/agency status, role and FTE are the ones that count
    -- (Clarification 24); employed (agency N) social workers (org_role 1-6) at the start, so
    -- leavers' absences still count
    select a.start_date, a.end_date, a.working_days_lost, w.fte
    from ext_absences a
    join ext_worker_periods w
      on w.worker_id = a.worker_id
     and w.period_start <= a.start_date
     and (w.period_end is null or w.period_end > a.start_date)
    where upper(trim(a.reason)) = 'SIC'
    qualify row_number() over (
        partition by a.source_file, a.source_row
        order by w.period_start desc, w.period_end desc nulls first, w.team_id, w.fte desc
    ) = 1
        and w.agency = false and w.org_role in ('1', '2', '3', '4', '5', '6')
),
in_window as (
    -- the part of each absence inside (D - 12 months, D]; an absence with no end runs to D
    select d.as_at_date, s.*, coalesce(s.end_date, d.as_at_date) as absence_end,
        greatest(s.start_date, months_before(d.as_at_date, 12) + 1) as part_start,
        least(coalesce(s.end_date, d.as_at_date), d.as_at_date) as part_end
    from as_at_dates d
    join employed_sickness s
      on s.start_date <= d.as_at_date
     and coalesce(s.end_date, d.as_at_date) > months_before(d.as_at_date, 12)
),
counted as (
    -- working days inclusive of both ends: wd(first day - 1, last day)
    select
        *,
        working_days_between(part_start - 1, part_end) as part_working_days,
        working_days_between(start_date - 1, absence_end) as whole_working_days
    from in_window
    where part_start <= part_end
),
days_lost as (
    select
        as_at_date,
        case
            -- not given: working days inside the window x the FTE at the absence start
            when working_days_lost is null then part_working_days * fte
            -- given and wholly inside the window: used as is
            when part_start = start_date and part_end = absence_end then working_days_lost
            -- given and straddling the window: pro rata by working days
            when whole_working_days > 0
                then working_days_lost * part_working_days / whole_working_days
            else 0
        end as days
    from counted
)
select as_at_date, days as numerator, 0 as denominator from days_lost
union all
-- the denominator: employed social workers in post at D (the block workers_at_date)
select as_at_date, 0, fte
from workers_at_date
where org_role in ('1', '2', '3', '4', '5', '6') and agency = false
