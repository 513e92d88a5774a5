-- Children in need at D (denominator) who had 3 or more distinct allocated social workers whose
-- involvement overlapped the 12 months to D, (D - 12 months, D] (numerator): the block
-- social_workers_3plus.
select from_date, to_date, numerator, denominator
from social_workers_3plus
where status = 'cin'
