-- LADO referrals placed in the period they were received: numerator 1 when resolved within 3
-- calendar month(s); not resolved ones count (as late) once due (the block lado_deadlines).
select received_date as event_date, coalesce(within_3m, 0) as numerator, 1 as denominator
from lado_deadlines
where counted_3m
