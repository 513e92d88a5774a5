-- Employed social workers (agency N, org_role 1-6) leaving, placed by the end date: a period that
-- ended and that no other period of the same worker continues (none started on or before the
-- end day and still open after it: a team move or FTE change is not a leaving; moving to an
-- agency contract with a contiguous period is not counted either).
select p.period_end as event_date, 1 as numerator, null as denominator
from ext_worker_periods p
where p.period_end is not null
  and p.agency = false
  and p.org_role in ('1', '2', '3', '4', '5', '6')
  and not exists (
      select 1
      from ext_worker_periods e
      where e.worker_id = p.worker_id
        and e.period_start <= p.period_end
        and (e.period_end is null or e.period_end > p.period_end)
  )
