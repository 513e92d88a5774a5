-- One row per section 47 enquiry, placed by its start date (the initiating strategy discussion).
-- The engine sums the rows in the 12 months to each period end (kind: rolling) and divides by the
-- 0-17 population at the period end, so the query returns no denominator.
select
    s47e_s47_start_date as event_date,
    1 as numerator,
    null as denominator
from ssd_s47_enquiry
