-- The current placement of each child looked after at D (children_looked_after): one row per
-- child per as-at date D who has a placement open at D, columns (as_at_date, person_id,
-- placement_id, placement_type, placement_start_date). Current placement = the child's
-- placement open at the end of D (start on or before D, end blank or after D), matched by
-- person, the latest start if several, ties broken by the highest placement id so the answer is
-- repeatable (Clarification 16). A child with no open placement has no row here: KPIs keep such
-- a child in their denominators and never in their numerators. Reads children_looked_after and
-- ssd_cla_placement.
select
    l.as_at_date,
    l.person_id,
    p.clap_cla_placement_id as placement_id,
    p.clap_cla_placement_type as placement_type,
    p.clap_cla_placement_start_date as placement_start_date
from children_looked_after l
join ssd_cla_placement p
  on p.clap_person_id = l.person_id
 and p.clap_cla_placement_start_date <= l.as_at_date
 and (p.clap_cla_placement_end_date is null or p.clap_cla_placement_end_date > l.as_at_date)
qualify row_number() over (
    partition by l.as_at_date, l.person_id
    order by p.clap_cla_placement_start_date desc, p.clap_cla_placement_id desc
) = 1
