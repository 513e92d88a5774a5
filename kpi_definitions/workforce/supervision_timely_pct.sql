-- Case-holding senior practitioners and case holders (org_role 4 or 5) at D (denominator) and
-- those of them who had a supervision in the `supervision_days` days to D (numerator; a local
-- standard, 30 days by default), employed or agency alike.
with cohort as (
    -- org_role 4 or 5 on the worker's period in force (the block worker_periods_in_force) while
    -- holding at least one case (the block allocation_counts: allocations open at D)
    select
        w.worker_id as unit_id,
        greatest(w.from_date, h.from_date) as from_date,
        least(w.to_date, h.to_date) as to_date
    from worker_periods_in_force w
    join allocation_counts h
      on h.key_id = w.worker_id
     and (w.to_date is null or h.from_date < w.to_date)
     and (h.to_date is null or w.from_date < h.to_date)
    where w.org_role in ('4', '5') and h.count_of = 'caseload' and h.members > 0
),
supervisions as (
    select worker_id as unit_id, supervision_date as event_date from ext_supervisions
),
supervised as (
    -- "the N days to D" = (D - N days, D], as "the 12 months to D" (Clarification 3)
    from recent_cover(supervisions, cast(getvariable('supervision_days') as integer))
)
select from_date, to_date, 0 as numerator, 1 as denominator
from cohort
union all
select from_date, to_date, 1, 0
from overlapping(cohort, supervised)
