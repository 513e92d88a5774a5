-- Children with a qualifying plan at the end of D (denominator: open at D and started on or
-- before D - 3 months), timely when every qualifying plan of the child has met every review
-- deadline so far (numerator): the first review within 3 months of the plan starting, then each
-- within 6 months of the one before (the block cp_review_deadlines). So each child counts while
-- on a qualifying plan, less the days on which one of their qualifying plans was late (each
-- child once: the block person_status_stretches).
select from_date, to_date, 1 as numerator, 1 as denominator
from person_status_stretches
where status = 'cp_review_due'
union all
select from_date, to_date, -1, 0
from person_status_stretches
where status = 'cp_review_late'
