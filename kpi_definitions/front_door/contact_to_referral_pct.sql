-- Contacts in the period whose decision was a referral.
with decision_table as (
    -- the decision table wins when it holds any row; otherwise the outcome JSON is read
    select count(*) > 0 as supplied
    from ext_contact_decisions
),
ranked_decisions as (
    -- the earliest decision counts (Clarification 7); ties: the first row of the file
    select
        contact_id,
        decision,
        row_number() over (
            partition by contact_id order by decision_datetime, source_file, source_row
        ) as rank
    from ext_contact_decisions
),
first_decision as (
    select contact_id, decision
    from ranked_decisions
    where rank = 1
),
contacts as (
    select
        c.cont_contact_id,
        cast(c.cont_contact_date as date) as contact_date,
        d.decision,
        -- JSON flags are read like any other flag; unreadable JSON is unknown, not an error
        case
            when json_valid(c.cont_contact_outcome_json)
                then upper(trim(json_extract_string(c.cont_contact_outcome_json, '$.NEW_REFERRAL_FLAG')))
        end as new_referral_flag
    from ssd_contacts c
    left join first_decision d on d.contact_id = c.cont_contact_id
)
select
    c.contact_date as event_date,
    case
        when t.supplied and c.decision = 'referral' then 1
        when not t.supplied and c.new_referral_flag in ('Y', 'YES', '1', 'TRUE', 'T') then 1
        else 0
    end as numerator,
    1 as denominator
from contacts c
cross join decision_table t
