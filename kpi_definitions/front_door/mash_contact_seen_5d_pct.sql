-- Children allocated for an assessment, by the date of the contact to the MASH that led to it,
-- and whether they were visited (seen) within mash_visit_days days of that contact: working
-- days or calendar days as mash_day_convention says (see the YAML).
with convention as (
    -- working or calendar days; any other value is a definition error, not a silent default
    select
        case
            when getvariable('mash_day_convention') in ('working', 'calendar')
                then getvariable('mash_day_convention')
            else error('mash_contact_seen_5d_pct: mash_day_convention must be working or calendar')
        end as days
),
assessed_referrals as (
    -- referrals that led to an assessment (the child was allocated for one): one row each,
    -- however many assessments the referral had
    select distinct r.cine_referral_id, r.cine_person_id, r.cine_referral_date, r.cine_referral_team
    from ssd_cin_episodes r
    join ssd_cin_assessments a on a.cina_referral_id = r.cine_referral_id
),
from_contact as (
    -- the contact the referral came from: the child's latest contact on or before the referral
    -- date (the extract does not link the two)
    select r.cine_referral_id, r.cine_person_id, r.cine_referral_team,
           max(cast(c.cont_contact_date as date)) as contact_date
    from assessed_referrals r
    join ssd_contacts c
        on c.cont_person_id = r.cine_person_id
        and cast(c.cont_contact_date as date) <= r.cine_referral_date
    group by all
),
first_seen as (
    -- the first time the child was seen on or after the contact date, known by the extract date
    select f.cine_referral_id, min(v.visit_date) as seen_on
    from from_contact f
    join seen_visits v  -- the block seen_visits (kpi_definitions/shared/)
        on v.person_id = f.cine_person_id
        and v.visit_date >= f.contact_date
        and v.visit_date <= getvariable('extract_date')
    group by f.cine_referral_id
),
timed as (
    select
        f.contact_date,
        f.cine_referral_team,
        if(c.days = 'calendar', date_diff('day', f.contact_date, s.seen_on),
           working_days_between(f.contact_date, s.seen_on)) as days_to_seen,
        if(c.days = 'calendar', date_diff('day', f.contact_date, getvariable('extract_date')),
           working_days_between(f.contact_date, getvariable('extract_date'))) as days_waiting
    from from_contact f
    cross join convention c
    left join first_seen s on s.cine_referral_id = f.cine_referral_id
)
select
    t.contact_date as event_date,
    case when t.days_to_seen <= getvariable('mash_visit_days') then 1 else 0 end as numerator,
    1 as denominator,
    t.cine_referral_team as team
from timed t
where t.days_to_seen is not null                           -- seen
   or t.days_waiting > getvariable('mash_visit_days')      -- not seen and already late at the extract date
