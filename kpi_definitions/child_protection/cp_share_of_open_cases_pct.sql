-- Children on a plan open at each as-at date (the block cp_open_plans: a plan ending on D is
-- closed).
with on_plan as (
    select distinct as_at_date, person_id
    from cp_open_plans
),

-- Children with a referral episode open at each as-at date (an episode closed on D is closed).
open_case as (
    select distinct a.as_at_date, e.cine_person_id as person_id
    from as_at_dates a
    inner join ssd_cin_episodes e
        on e.cine_referral_date <= a.as_at_date
       and (e.cine_close_date is null or e.cine_close_date > a.as_at_date)
),

-- Both counts per child and date; the catalogue divides one count by the other, so a child on a
-- plan without an open episode stays in the numerator.
children as (
    select as_at_date, person_id, 1 as on_plan, 0 as open_case from on_plan
    union all
    select as_at_date, person_id, 0 as on_plan, 1 as open_case from open_case
)

select
    as_at_date,
    max(on_plan) as numerator,
    max(open_case) as denominator
from children
group by as_at_date, person_id
