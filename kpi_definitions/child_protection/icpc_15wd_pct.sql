-- Conferences that were held (dated) and are not transfer-ins: a blank transfer-in flag is unknown,
-- and unknown is read as "not a transfer-in" (Clarification 11). The outcome is not looked at.
with held as (
    select icpc_icpc_id, icpc_s47_enquiry_id, icpc_icpc_date
    from ssd_initial_cp_conference
    where icpc_icpc_date is not null
      and icpc_icpc_transfer_in is not true
),

-- The clock starts at the strategy discussion that began the linked s47 enquiry. The inner join
-- leaves out an ICPC with no link, or a link to an enquiry the extract does not hold.
linked as (
    select
        h.icpc_icpc_id,
        h.icpc_icpc_date,
        working_days_between(s.s47e_s47_start_date, h.icpc_icpc_date) as wd_to_icpc
    from held h
    inner join ssd_s47_enquiry s on s.s47e_s47_enquiry_id = h.icpc_s47_enquiry_id
)

-- Placed in the period in which the conference was held.
select
    icpc_icpc_date as event_date,
    case when wd_to_icpc <= 15 then 1 else 0 end as numerator,
    1 as denominator
from linked
