-- Section 47 enquiries that ended, placed by their end date: numerator 1 when an initial child
-- protection conference is linked to the enquiry (held, or arranged with a target date), not
-- counting transfer-in conferences.
with conferences as (
    select distinct icpc_s47_enquiry_id as enquiry_id
    from ssd_initial_cp_conference
    where icpc_icpc_transfer_in is not true
      and (icpc_icpc_date is not null or icpc_icpc_target_date is not null)
)
select
    s.s47e_s47_end_date as event_date,
    (c.enquiry_id is not null)::integer as numerator,
    1 as denominator
from ssd_s47_enquiry s
left join conferences c on c.enquiry_id = s.s47e_s47_enquiry_id
where s.s47e_s47_end_date is not null
