-- Children with 3 or more allocated social workers in the 12 months to D, for three groups of
-- children, as spans: one row per stretch, columns (status, from_date, to_date, numerator,
-- denominator). status 'cla': looked after (the block care_stretches); 'cp': on a child
-- protection plan; 'cin': in need (children on plans and in care are in need too), both from the
-- block person_status_stretches. Each stretch of a child in the group counts in the denominator;
-- the days of it on which the child had had 3 or more distinct allocated social workers whose
-- involvement overlapped (D - 12 months, D] (the block allocation_counts) count in the numerator.
-- Time before the child entered the group counts (as the DfE measure for children in care).
-- Reads care_stretches, person_status_stretches and allocation_counts.
with groups as (
    select 'cla' as status, person_id, from_date, to_date from care_stretches
    union all
    select case status when 'cp' then 'cp' else 'cin' end, person_id, from_date, to_date
    from person_status_stretches
    where status in ('cp', 'in_need')
),
three_or_more as (
    select key_id as person_id, from_date, to_date
    from allocation_counts
    where count_of = 'workers_12m' and members >= 3
)
select status, from_date, to_date, 0 as numerator, 1 as denominator
from groups
union all
select g.status, greatest(g.from_date, w.from_date), least(g.to_date, w.to_date), 1, 0
from groups g
join three_or_more w
  on w.person_id = g.person_id
 and (g.to_date is null or w.from_date < g.to_date)
 and (w.to_date is null or g.from_date < w.to_date)
