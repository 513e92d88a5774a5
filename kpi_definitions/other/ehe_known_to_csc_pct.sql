-- Children electively home educated at the end of each as-at date D (an EHE record open at D:
-- start on or before D, end blank or after D), one row per child per D; numerator 1 when the
-- child was known to children's social care at D - a referral on or before D (open or closed).
with ehe as (
    select a.as_at_date, e.person_id
    from as_at_dates a
    join ext_education_status e
      on e.start_date <= a.as_at_date
     and (e.end_date is null or e.end_date > a.as_at_date)
    where upper(trim(e.status)) = 'EHE'
    group by a.as_at_date, e.person_id
),
first_referral as (
    select cine_person_id as person_id, min(cine_referral_date) as first_referral
    from ssd_cin_episodes
    group by cine_person_id
)
select
    h.as_at_date,
    case when r.first_referral <= h.as_at_date then 1 else 0 end as numerator,
    1 as denominator
from ehe h
left join first_referral r on r.person_id = h.person_id
