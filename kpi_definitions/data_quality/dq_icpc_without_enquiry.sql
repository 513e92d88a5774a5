-- Conferences that were held (dated) and are not transfer-ins: the population of icpc_15wd_pct. A
-- blank transfer-in flag is unknown, read as "not a transfer-in" (Clarification 11).
with held as (
    select icpc_icpc_id, icpc_s47_enquiry_id, icpc_icpc_date
    from ssd_initial_cp_conference
    where icpc_icpc_date is not null
      and icpc_icpc_transfer_in is not true
)

-- No linked enquiry: a blank link, or a link to an enquiry id the extract does not hold (the
-- ICPCs icpc_15wd_pct leaves out). Placed in the period in which the conference was held.
select
    h.icpc_icpc_date as event_date,
    1 as numerator,
    null as denominator
from held h
where not exists (
    select 1
    from ssd_s47_enquiry s
    where s.s47e_s47_enquiry_id = h.icpc_s47_enquiry_id
)
