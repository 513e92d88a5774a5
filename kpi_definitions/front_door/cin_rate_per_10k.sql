-- Children in need at the end of D (the block person_status_stretches: an open referral episode,
-- NFA referrals left out, each child once). The engine divides by the population at D.
select from_date, to_date, 1 as numerator, null as denominator
from person_status_stretches
where status = 'in_need'
