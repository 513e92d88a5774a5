-- Children in need at the end of each as-at date D (the block children_in_need_counts) and, of
-- them, those whose case had a management oversight recorded in the last N weeks, (D - 7N days,
-- D], N = getvariable('oversight_weeks'). An oversight counts for a child in need at D (an open,
-- not-NFA referral episode at D), whichever of the child's episodes it was recorded on.
with recent as (
    select a.as_at_date, o.person_id
    from ext_case_oversight o
    join as_at_dates a
      on o.oversight_date > a.as_at_date - 7 * getvariable('oversight_weeks')
     and o.oversight_date <= a.as_at_date
    group by a.as_at_date, o.person_id
),
covered as (
    select r.as_at_date, count(distinct r.person_id) as children
    from recent r
    join ssd_cin_episodes e
      on e.cine_person_id = r.person_id
     and e.cine_referral_nfa is not true
     and e.cine_referral_date <= r.as_at_date
     and (e.cine_close_date is null or e.cine_close_date > r.as_at_date)
    group by r.as_at_date
)
select
    a.as_at_date,
    coalesce(v.children, 0) as numerator,
    coalesce(c.children, 0) as denominator
from as_at_dates a
asof left join children_in_need_counts c on c.d <= a.as_at_date
left join covered v on v.as_at_date = a.as_at_date
