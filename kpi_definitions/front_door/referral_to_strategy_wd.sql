-- Section 47 enquiries (the start is the strategy discussion that began them) linked to a
-- referral the extract holds, placed by the strategy discussion's date: numerator the working
-- days from the referral to the strategy discussion, denominator 1, so the engine's sum over a
-- period divided by the count is the mean. An enquiry dated before its referral is left out
-- (its dates are wrong; the validation report lists it).
select
    s.s47e_s47_start_date as event_date,
    working_days_between(r.cine_referral_date, s.s47e_s47_start_date) as numerator,
    1 as denominator
from ssd_s47_enquiry s
inner join ssd_cin_episodes r on r.cine_referral_id = s.s47e_referral_id
where s.s47e_s47_start_date >= r.cine_referral_date
