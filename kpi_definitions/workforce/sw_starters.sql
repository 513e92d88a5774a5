-- Employed social workers (agency N, org_role 1-6) starting in post, placed by the start date: a
-- period that does not continue an earlier period of the same worker (no other period started
-- before it and still open on its start day: a team move or FTE change starts its new period
-- the day the old one ends, and is not a start).
select p.period_start as event_date, 1 as numerator, null as denominator
from ext_worker_periods p
where p.agency = false
  and p.org_role in ('1', '2', '3', '4', '5', '6')
  and not exists (
      select 1
      from ext_worker_periods e
      where e.worker_id = p.worker_id
        and e.period_start < p.period_start
        and (e.period_end is null or e.period_end >= p.period_start)
  )
