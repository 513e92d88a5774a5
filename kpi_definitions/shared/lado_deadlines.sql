-- LADO referrals against Keeping children safe in education's timescales: one row per referral,
-- columns (received_date, within_1m, counted_1m, within_3m, counted_3m). within_Nm = 1 when
-- resolved on or before received + N calendar months (clipped to month end); counted_Nm = true
-- when the referral is resolved, or not resolved and that deadline is before the extract date
-- (late); a referral not resolved and not yet due is not counted (censoring, as the catalogue's
-- timeliness KPIs). Reads ext_lado_referrals.
with deadlines as (
    select
        received_date,
        resolved_date,
        months_after(received_date, 1) as due_1m,
        months_after(received_date, 3) as due_3m
    from ext_lado_referrals
)
select
    received_date,
    (resolved_date <= due_1m)::integer as within_1m,
    resolved_date is not null or due_1m < getvariable('extract_date') as counted_1m,
    (resolved_date <= due_3m)::integer as within_3m,
    resolved_date is not null or due_3m < getvariable('extract_date') as counted_3m
from deadlines
