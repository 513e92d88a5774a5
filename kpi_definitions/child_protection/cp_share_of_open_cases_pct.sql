-- Children on a child protection plan at the end of D (numerator) and children with a referral
-- episode open at D (denominator), each child once (the block person_status_stretches; a plan or
-- episode ending on D is closed). The two counts are taken separately, as the catalogue writes
-- the ratio: a child on a plan without an open episode stays in the numerator.
select from_date, to_date, 1 as numerator, 0 as denominator
from person_status_stretches
where status = 'cp'
union all
select from_date, to_date, 0, 1
from person_status_stretches
where status = 'open_case'
