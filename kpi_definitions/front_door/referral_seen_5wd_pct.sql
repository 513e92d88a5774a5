-- Referrals in the period and whether the child was seen within five working days.
with first_seen as (
    -- the first time the child was seen on or after the referral date, known by the extract date
    select r.cine_referral_id, min(v.visit_date) as seen_on
    from ssd_cin_episodes r
    join seen_visits v  -- the block seen_visits (kpi_definitions/shared/)
        on v.person_id = r.cine_person_id
        and v.visit_date >= r.cine_referral_date
        and v.visit_date <= getvariable('extract_date')
    group by r.cine_referral_id
),
timed as (
    select
        r.cine_referral_date,
        r.cine_referral_team,
        working_days_between(r.cine_referral_date, f.seen_on) as wd_to_seen,
        working_days_between(r.cine_referral_date, getvariable('extract_date')) as wd_waiting
    from ssd_cin_episodes r
    left join first_seen f on f.cine_referral_id = r.cine_referral_id
)
select
    t.cine_referral_date as event_date,
    case when t.wd_to_seen <= 5 then 1 else 0 end as numerator,
    1 as denominator,
    t.cine_referral_team as team
from timed t
where t.wd_to_seen is not null  -- seen
   or t.wd_waiting > 5          -- not seen and already late at the extract date (censoring)
-- With none of the visit tables in the extract the engine reports the KPI as not available
-- (any_of_tables), so "not seen" is never a guess.
