-- Children looked after and the placement type group of their current placement, at the end of
-- each day the numbers change: columns (d, looked_after, foster, homes, parents); the counts hold
-- until the next d (read them with an asof join on d <= D). Looked after as children_looked_after
-- (the block care_stretches); current placement as cla_current_placement (the block
-- cla_current_pl_stretches). Groups (SSDA903 PLACE, the DfE's LAIT 396, 397, 401): foster U1-U6;
-- secure and children's homes K1, K2; placed with parents or others with parental responsibility
-- P1. A child with no open placement counts in looked_after only. Reads care_stretches and
-- cla_current_pl_stretches.
with grouped as (
    select
        from_date,
        to_date,
        case
            when placement_type in ('U1', 'U2', 'U3', 'U4', 'U5', 'U6') then 'foster'
            when placement_type in ('K1', 'K2') then 'homes'
            when placement_type = 'P1' then 'parents'
        end as placement_group
    from cla_current_pl_stretches
),
changes as (
    -- +1 on the day a stretch starts, -1 on the day it ends (9999-12-31: it has not)
    select from_date as d, 'looked_after' as counted, 1 as change from care_stretches
    union all
    select to_date, 'looked_after', -1 from care_stretches where to_date < date '9999-12-31'
    union all
    select from_date, placement_group, 1 from grouped where placement_group is not null
    union all
    select to_date, placement_group, -1
    from grouped
    where placement_group is not null and to_date < date '9999-12-31'
)
select
    d,
    sum(sum(change) filter (where counted = 'looked_after')) over days as looked_after,
    sum(sum(change) filter (where counted = 'foster')) over days as foster,
    sum(sum(change) filter (where counted = 'homes')) over days as homes,
    sum(sum(change) filter (where counted = 'parents')) over days as parents
from changes
group by d
window days as (order by d)
