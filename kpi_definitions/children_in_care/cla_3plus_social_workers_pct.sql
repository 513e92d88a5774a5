-- Children looked after at D (denominator; from their stretches of care in care_stretches) who
-- had 3 or more distinct allocated social workers whose involvement overlapped the 12 months to
-- D, (D - 12 months, D] (numerator): the block social_workers_3plus, which counts children on
-- CP plans and children in need the same way.
select from_date, to_date, numerator, denominator
from social_workers_3plus
where status = 'cla'
