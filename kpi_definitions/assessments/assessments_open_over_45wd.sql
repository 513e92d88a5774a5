-- Single assessments open at the end of D and past 45 working days, by team (the block
-- assessments_typed: no type row, or no type table, means a single assessment, Clarification
-- 10). Open at D: started by D and not authorised by D; the referral's own state is ignored
-- (Clarification 10). Past 45 working days once wd(start, D) > 45. So each counts from the 46th
-- working day after its start (the block working_days) until the day it was authorised.
select
    w.date as from_date,
    s.auth_date as to_date,
    1 as numerator,
    null as denominator,
    s.team
from assessments_typed s
join ref.calendar c on c.date = s.start_date
join working_days w on w.working_day_index = c.working_day_index + 46
where s.assessment_type = 'single'
