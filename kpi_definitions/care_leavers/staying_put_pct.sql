-- Former relevant care leavers aged 18 to 20 at D (the block care_leavers_in_force, not died)
-- who ceased to be looked after in a foster placement on their 18th birthday: a CLA episode
-- ceased on the birthday and a foster placement (U1-U6) ending that day. Numerator 1 when the
-- accommodation recorded is Z (with former foster carers: staying put), with or without the
-- SSDA903 suitability suffix (Z1, Z2). One row per young person.
with left_foster_at_18 as (
    select distinct p.clap_person_id as person_id
    from ssd_cla_placement p
    join ssd_person pe on pe.pers_person_id = p.clap_person_id
    join ssd_cla_episodes e
      on e.clae_person_id = p.clap_person_id
     and e.clae_cla_episode_ceased = p.clap_cla_placement_end_date
    where p.clap_cla_placement_type in ('U1', 'U2', 'U3', 'U4', 'U5', 'U6')
      and p.clap_cla_placement_end_date = months_after(pe.pers_dob, 216)
)
select
    c.as_at_date,
    max(case when upper(trim(c.clea_care_leaver_accommodation)) like 'Z%' then 1 else 0 end)
        as numerator,
    1 as denominator
from care_leavers_in_force c
join left_foster_at_18 f on f.person_id = c.person_id
where c.age between 18 and 20
  and lower(trim(c.clea_care_leaver_eligibility)) = 'former relevant'
  and coalesce(upper(trim(c.clea_care_leaver_in_touch)), '') <> 'DIED'
group by c.as_at_date, c.person_id
