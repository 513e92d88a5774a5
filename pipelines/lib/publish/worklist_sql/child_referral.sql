-- Block child_referral: the child's latest open referral episode at E and its team.
select
    cine_person_id as person_id,
    cine_referral_id as referral_id,
    nullif(trim(cine_referral_team), '') as referral_team
from ssd_cin_episodes
where cine_referral_date <= getvariable('extract_date')
  and (cine_close_date is null or cine_close_date > getvariable('extract_date'))
qualify row_number() over (
    partition by cine_person_id order by cine_referral_date desc, cine_referral_id desc
) = 1
