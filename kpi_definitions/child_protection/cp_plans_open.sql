-- One row per plan open at the end of each as-at date (the block cp_open_plans: started on or
-- before D, not ended by D; a plan ending on D is closed at the end of D).
select
    as_at_date,
    1 as numerator,
    null as denominator
from cp_open_plans
