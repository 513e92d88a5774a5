-- Children in need at the end of each as-at date D (the block children_in_need_counts: an open
-- referral episode, NFA referrals left out, each child once). The engine divides by the
-- population at D.
select a.as_at_date, coalesce(c.children, 0) as numerator, null as denominator
from as_at_dates a
asof left join children_in_need_counts c on c.d <= a.as_at_date
