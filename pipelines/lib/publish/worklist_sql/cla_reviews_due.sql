-- Worklist cla_reviews_due (its rule, in words, is WORKLISTS in pipelines/lib/publish/worklists.py).
-- E is getvariable('extract_date'); each $name is bound from PARAMETERS in worklists.py. Every
-- list starts with team and team_name (the owner's team, else Unassigned).
with cohort as (
    -- looked after at E (the stretch of cla_current_ep_stretches holding E) with the date they
    -- entered care
    select c.person_id, c.episode_id, c.period_no, c.entered
    from cla_current_ep_stretches c
    where c.from_date <= getvariable('extract_date')
      and (c.to_date is null or c.to_date > getvariable('extract_date'))
),
period_cla_ids as (
    -- reviews link through clar_cla_id = clae_cla_id of any episode of the period
    select distinct person_id, period_no, cla_id
    from cla_care_periods
    where cla_id is not null
),
reviews as (
    -- held from entering care to E, not cancelled; two records on one date are one review
    select
        c.person_id,
        count(distinct r.clar_cla_review_date) as reviews_held,
        max(r.clar_cla_review_date) as last_review_date
    from cohort c
    join period_cla_ids i on i.person_id = c.person_id and i.period_no = c.period_no
    join ssd_cla_reviews r on r.clar_cla_id = i.cla_id
    where r.clar_cla_review_date between c.entered and getvariable('extract_date')
      and not coalesce(r.clar_cla_review_cancelled, false)
    group by c.person_id
),
timed as (
    select
        c.person_id,
        c.episode_id as cla_episode_id,
        c.entered as start_date,
        r.last_review_date,
        coalesce(r.reviews_held, 0) as reviews_held,
        case
            when r.reviews_held is null then add_working_days(c.entered, 20)
            when r.reviews_held = 1 then months_after(r.last_review_date, 3)
            else months_after(r.last_review_date, 6)
        end as due_date,
        case
            when r.reviews_held is null
                then working_days_between(c.entered, getvariable('extract_date')) > 20
            else months_after(
                r.last_review_date, case when r.reviews_held = 1 then 3 else 6 end
            ) < getvariable('extract_date')
        end as is_overdue,
        t.professional_id,
        t.team as owner_team
    from cohort c
    left join reviews r on r.person_id = c.person_id
    left join child_team t on t.person_id = c.person_id
)
select
    coalesce(l.owner_team, $unassigned) as team,
    case when l.owner_team is null then $unassigned else n.team_name end as team_name,
    l.person_id,
    l.cla_episode_id,
    l.professional_id,
    l.start_date,
    l.last_review_date,
    l.reviews_held,
    l.due_date,
    cast(l.due_date - getvariable('extract_date') as integer) as days_to_due,
    case when l.is_overdue or l.due_date < getvariable('extract_date')
         then 'overdue' else 'due_soon' end as status
from timed l
left join team_names n on n.team = l.owner_team
where l.is_overdue or l.due_date - getvariable('extract_date') <= $due_days
order by status = 'overdue' desc, due_date, person_id, cla_episode_id
