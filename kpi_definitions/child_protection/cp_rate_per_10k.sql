-- Plans open at the end of each as-at date (the block cp_open_plans: a plan ending on D is
-- closed). One row per child: the DfE rate counts children, so several open plans count once.
-- The engine divides by the population at D.
select
    as_at_date,
    1 as numerator,
    null as denominator
from cp_open_plans
group by as_at_date, person_id
