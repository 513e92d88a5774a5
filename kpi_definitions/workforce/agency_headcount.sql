-- Agency social workers in post at D, a headcount, by team (and through la.yaml, by service
-- area). Each worker's period in force over a stretch of days (the block
-- worker_periods_in_force: the period open at the end of each day, the latest-starting one when
-- two overlap) counts on those days when it is an agency period (agency Y) of a CSWW social
-- worker (org_role 1-6); a blank agency flag is not agency (Clarification 22).
select
    from_date,
    to_date,
    team_id as team,
    1 as numerator,
    cast(null as double) as denominator
from worker_periods_in_force
where org_role in ('1', '2', '3', '4', '5', '6')
  and agency
