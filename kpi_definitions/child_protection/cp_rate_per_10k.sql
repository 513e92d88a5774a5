-- Children on a child protection plan at the end of D (the block person_status_stretches: several
-- open plans count once; a plan ending on D is closed). The engine divides by the population at D.
select from_date, to_date, 1 as numerator, null as denominator
from person_status_stretches
where status = 'cp'
