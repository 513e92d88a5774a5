-- Working days by number: one row per working day, columns (working_day_index, date). The
-- calendar numbers working days in order (a weekend or bank holiday carries the number of the
-- working day before it), so the working day numbered N after day d's number is the first day
-- D with working_days_between(d, D) = N: a clock of N working days from d has run out from the
-- working day numbered N + 1 after it. Reads ref.calendar.
select working_day_index, min(date) as date
from ref.calendar
group by working_day_index
