"""Managers' worklists: the children behind the clinic's timeliness figures, per team.

RESTRICTED: every list is child-level (the LA's ``person_id`` and ``professional_id``), so it is
written under ``data/restricted/`` and never under ``data/published/``.

For one LA and one extract dated E, six lists, each built with the rule of the KPI it explains
(so a manager's list accounts for the clinic's figure) and read as at the end of E:

- ``assessments_35wd``: single assessments open at E at 35 or more working days (overdue beyond
  45, as ``assessments_open_over_45wd`` counts them);
- ``icpc_due``: section 47 enquiries with no conference held whose 15-working-day ICPC deadline
  (``icpc_15wd_pct``) is at most 3 working days away or has passed;
- ``cp_visits_due``: children on a CP plan whose next visit (10 working days,
  ``cp_visits_10wd_pct``) is due within 7 days or overdue;
- ``cp_reviews_due``: CP plans whose next review (3 months from the start, then 6 months from the
  last review, ``cp_reviews_timely_pct``) is due within 7 days or overdue;
- ``cla_reviews_due``: children looked after whose next review (20 working days from entering
  care, then 3 months, then 6 months, ``cla_reviews_timely_pct``) is due within 7 days or overdue;
- ``unallocated``: children with an open case and no allocated social worker
  (``unallocated_children``).

Working days follow the catalogue: wd(a, b) counts the working days after a up to b, and a clock
of N working days is overdue once wd(start, E) > N, or once its due date is before E: on a
Sunday extract a deadline that fell on the Friday is overdue (2 days late), although no working
day has passed since and the KPI would still count a weekend visit as in time. A manager reads
a date that has passed as missed.

Team: the allocated social worker's team at E (their ``ext_worker_periods`` period, as
``caseload_avg``; else the involvement's team; else the worker's department in
``ssd_professionals``); assessments use their own recorded team, as the assessment KPIs do; a
child without a worker falls back to the team of their open referral, else "Unassigned".
"""

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import xlsxwriter

from pipelines.lib.kpi.extract_views import install_extract_views
from pipelines.lib.kpi.shared_blocks import load_shared_views
from pipelines.lib.publish import cells, folders
from pipelines.lib.publish.figures import la_name

UNASSIGNED = "Unassigned"
ALL_TEAMS = "all-teams"
# How close a calendar-dated item must be to appear (visits and reviews), and a working-day one
# (ICPC); an assessment appears from its 35th working day.
DUE_SOON_DAYS = 7
ICPC_DUE_SOON_WORKING_DAYS = 3
ASSESSMENT_LIST_FROM_WORKING_DAYS = 35


@dataclass(frozen=True)
class Worklist:
    """One list: its key (sheet and CSV name), its title and the rule, for the cover sheet."""

    key: str
    title: str
    rule: str


WORKLISTS = (
    Worklist(
        "assessments_35wd",
        "Assessments at 35 working days or more",
        "Single (children and family) assessments started on or before the extract date and not "
        "authorised by it, at 35 or more working days since their start. Due date: the 45th "
        "working day. Status overdue when more than 45 working days have passed (as the KPI "
        "assessments_open_over_45wd counts them) or the due date is before the extract date, "
        "else at_35wd_plus. The referral's own state is "
        "not looked at.",
    ),
    Worklist(
        "icpc_due",
        "Initial child protection conferences due",
        "Section 47 enquiries with no initial child protection conference held by the extract "
        "date, still open and not ended with no further action (or with a conference booked), "
        "whose deadline of 15 working days from the strategy discussion (as icpc_15wd_pct "
        "counts it) is 3 working days away or less. Status overdue when more than 15 working "
        "days have passed or the due date is before the extract date. An enquiry that ended "
        "without a no-further-action flag and without a conference booked is read as "
        "concluded without a conference.",
    ),
    Worklist(
        "cp_visits_due",
        "Child protection visits due",
        "Children on a child protection plan whose next visit is due within 7 days or overdue. "
        "Due date: 10 working days after the last visit that saw the child since their latest "
        "plan started, or after the start of their earliest open plan when there was none (as "
        "cp_visits_10wd_pct counts it). Status overdue when more than 10 working days have "
        "passed or the due date is before the extract date.",
    ),
    Worklist(
        "cp_reviews_due",
        "Child protection reviews due",
        "Child protection plans open at the extract date whose next review is due within 7 "
        "days or overdue. Due date: 3 months after the plan started, then 6 months after the "
        "last review (as cp_reviews_timely_pct counts it; the due date recorded on a review is "
        "not used). Status overdue when the due date is before the extract date. A plan whose "
        "earlier review was late (not timely in the KPI) is listed only when its next review "
        "is due.",
    ),
    Worklist(
        "cla_reviews_due",
        "Children in care reviews due",
        "Children looked after at the extract date whose next review is due within 7 days or "
        "overdue. Due date: 20 working days after entering care for the first review, 3 months "
        "after the first for the second, then 6 months after the last (as "
        "cla_reviews_timely_pct counts it; cancelled reviews are ignored and the due date "
        "recorded on a review is not used). Status overdue when the due date is before the "
        "extract date (for the first review, also when more than 20 working days have passed "
        "since entering care). A child with an "
        "earlier late review is listed only when the next review is due.",
    ),
    Worklist(
        "unallocated",
        "Children without an allocated social worker",
        "Children with an open referral episode, child protection plan or care episode (short "
        "breaks included) at the extract date and no allocated social worker (as "
        "unallocated_children counts them). Due date: the day the child became unallocated "
        "(the later of the earliest open case's start and the end of the last allocation); "
        "every row is overdue.",
    ),
)
WORKLIST_KEYS = tuple(w.key for w in WORKLISTS)

# Building blocks shared by the lists below, run after the KPI engine's shared blocks.
_BLOCKS = {
    # The n-th working day after d (wd(d, result) = n): the first date carrying d's working-day
    # index plus n is that working day.
    "macro add_working_days": """
        create or replace temp macro add_working_days(d, n) as (
            select min(later.date) from ref.calendar later
            where later.working_day_index = (
                select c.working_day_index from ref.calendar c where c.date = cast(d as date)
            ) + n
        )
    """,
    # Team names from ssd_department (one name per id).
    "team_names": """
        select dept_team_id as team, max(dept_team_name) as team_name
        from ssd_department
        where dept_team_id is not null
        group by dept_team_id
    """,
    # The child's allocated social worker at E: the allocations_at_date rule (an involvement open
    # at E whose role maps to ALLOCATED_SOCIAL_WORKER), the latest started if several. Their team:
    # the worker's ext_worker_periods period at E (as caseload_avg), else the involvement's team,
    # else the worker's department in the ssd_professionals extract in force at E.
    "child_worker": """
        with professionals_in_force as (
            select prof_professional_id, prof_professional_department
            from ssd_professionals
            qualify extract_date = max(extract_date) over ()
        )
        select
            i.invo_person_id as person_id,
            i.invo_professional_id as professional_id,
            coalesce(
                nullif(trim(w.team_id), ''),
                nullif(trim(i.invo_professional_team), ''),
                nullif(trim(p.prof_professional_department), '')
            ) as worker_team
        from ssd_involvements i
        join la_roles r
          on r.role_code = upper(trim(i.invo_professional_role_id))
         and r.role = 'ALLOCATED_SOCIAL_WORKER'
        left join workers_at_date w on w.worker_id = i.invo_professional_id
        left join professionals_in_force p on p.prof_professional_id = i.invo_professional_id
        where i.invo_involvement_start_date <= getvariable('extract_date')
          and (i.invo_involvement_end_date is null
               or i.invo_involvement_end_date > getvariable('extract_date'))
        qualify row_number() over (
            partition by i.invo_person_id
            order by i.invo_involvement_start_date desc, i.invo_professional_id
        ) = 1
    """,
    # The child's latest open referral episode at E and its team.
    "child_referral": """
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
    """,
    # Team and worker of every child: the worker's team, else the open referral's team.
    "child_team": """
        select
            coalesce(w.person_id, r.person_id) as person_id,
            w.professional_id,
            coalesce(w.worker_team, r.referral_team) as team
        from child_worker w
        full join child_referral r on r.person_id = w.person_id
    """,
}

# The team columns every list starts with (``l.owner_team`` joined to ``team_names n``).
_TEAM_COLUMNS = """coalesce(l.owner_team, $unassigned) as team,
            case when l.owner_team is null then $unassigned else n.team_name end as team_name"""

_LIST_SQL = {
    "assessments_35wd": """
        with open_assessments as (
            -- single assessments open at the end of E (assessments_typed, as
            -- assessments_open_over_45wd): started by E, not authorised by E
            select
                s.assessment_id,
                s.person_id,
                s.start_date,
                nullif(trim(s.team), '') as assessment_team,
                a.cina_referral_id as referral_id,
                a.cina_assessment_worker_id as assessment_worker,
                working_days_between(s.start_date, getvariable('extract_date'))
                    as working_days_elapsed
            from assessments_typed s
            join ssd_cin_assessments a on a.cina_assessment_id = s.assessment_id
            where s.assessment_type = 'single'
              and s.start_date <= getvariable('extract_date')
              and (s.auth_date is null or s.auth_date > getvariable('extract_date'))
        ),
        listed as (
            select
                o.*,
                -- the assessment's own team (the KPIs' team dimension), else the child's
                coalesce(o.assessment_team, t.team) as owner_team,
                coalesce(o.assessment_worker, t.professional_id) as professional_id,
                add_working_days(o.start_date, 45) as due_date
            from open_assessments o
            left join child_team t on t.person_id = o.person_id
            where o.working_days_elapsed >= $from_wd
        )
        select
            {team_columns},
            l.person_id,
            l.assessment_id,
            l.referral_id,
            l.professional_id,
            l.start_date,
            l.due_date,
            l.working_days_elapsed,
            45 - l.working_days_elapsed as working_days_to_due,
            case when l.working_days_elapsed > 45 or l.due_date < getvariable('extract_date')
                 then 'overdue' else 'at_35wd_plus' end as status
        from listed l
        left join team_names n on n.team = l.owner_team
        order by status = 'overdue' desc, due_date, person_id, assessment_id
    """,
    "icpc_due": """
        with held as (
            -- a conference held (dated) by E, whatever its outcome (as icpc_15wd_pct)
            select distinct icpc_s47_enquiry_id as enquiry_id
            from ssd_initial_cp_conference
            where icpc_icpc_date <= getvariable('extract_date') and icpc_s47_enquiry_id is not null
        ),
        booked as (
            -- a conference recorded but not yet held at E
            select distinct icpc_s47_enquiry_id as enquiry_id
            from ssd_initial_cp_conference
            where (icpc_icpc_date is null or icpc_icpc_date > getvariable('extract_date'))
              and icpc_s47_enquiry_id is not null
        ),
        awaiting as (
            select
                s.s47e_s47_enquiry_id as s47_enquiry_id,
                s.s47e_person_id as person_id,
                s.s47e_referral_id as referral_id,
                s.s47e_s47_start_date as start_date,
                working_days_between(s.s47e_s47_start_date, getvariable('extract_date'))
                    as working_days_elapsed
            from ssd_s47_enquiry s
            where s.s47e_s47_start_date <= getvariable('extract_date')
              and not exists (select 1 from held h where h.enquiry_id = s.s47e_s47_enquiry_id)
              and (
                  ((s.s47e_s47_end_date is null
                    or s.s47e_s47_end_date > getvariable('extract_date'))
                   and s.s47e_s47_nfa is not true)
                  or s.s47e_s47_enquiry_id in (select enquiry_id from booked)
              )
        ),
        listed as (
            select
                a.*,
                t.professional_id,
                -- the worker's team, else the enquiry's referral team, else the child's
                coalesce(
                    (select w.worker_team from child_worker w where w.person_id = a.person_id),
                    (select nullif(trim(e.cine_referral_team), '') from ssd_cin_episodes e
                     where e.cine_referral_id = a.referral_id limit 1),
                    t.team
                ) as owner_team,
                add_working_days(a.start_date, 15) as due_date
            from awaiting a
            left join child_team t on t.person_id = a.person_id
            where 15 - a.working_days_elapsed <= $icpc_wd
        )
        select
            {team_columns},
            l.person_id,
            l.s47_enquiry_id,
            l.referral_id,
            l.professional_id,
            l.start_date,
            l.due_date,
            l.working_days_elapsed,
            15 - l.working_days_elapsed as working_days_to_due,
            case when l.working_days_elapsed > 15 or l.due_date < getvariable('extract_date')
                 then 'overdue' else 'due_soon' end as status
        from listed l
        left join team_names n on n.team = l.owner_team
        order by status = 'overdue' desc, due_date, person_id, s47_enquiry_id
    """,
    "cp_visits_due": """
        with children as (
            -- plans open at the end of E (cp_open_plans): the earliest decides how long the
            -- child has been on a plan, the latest starts the window in which visits count
            select person_id, min(start_date) as first_start, max(start_date) as latest_start
            from cp_open_plans
            group by person_id
        ),
        latest_plan as (
            select person_id, plan_id
            from cp_open_plans
            qualify row_number() over (
                partition by person_id order by start_date desc, plan_id desc
            ) = 1
        ),
        last_seen as (
            -- the last visit that saw the child, from the latest plan's start to E
            select c.person_id, max(v.cppv_cp_visit_date) as last_visit_date
            from children c
            join ssd_cp_visits v
              on v.cppv_person_id = c.person_id
             and v.cppv_cp_visit_seen
             and v.cppv_cp_visit_date between c.latest_start and getvariable('extract_date')
            group by c.person_id
        ),
        clock as (
            select
                c.person_id,
                p.plan_id as cp_plan_id,
                c.latest_start as start_date,
                s.last_visit_date,
                coalesce(s.last_visit_date, c.first_start) as clock_start
            from children c
            join latest_plan p on p.person_id = c.person_id
            left join last_seen s on s.person_id = c.person_id
        ),
        timed as (
            select
                k.*,
                t.professional_id,
                t.team as owner_team,
                add_working_days(k.clock_start, 10) as due_date,
                working_days_between(k.clock_start, getvariable('extract_date'))
                    as working_days_since_seen
            from clock k
            left join child_team t on t.person_id = k.person_id
        )
        select
            {team_columns},
            l.person_id,
            l.cp_plan_id,
            l.professional_id,
            l.start_date,
            l.last_visit_date,
            l.due_date,
            l.working_days_since_seen,
            cast(l.due_date - getvariable('extract_date') as integer) as days_to_due,
            case when l.working_days_since_seen > 10 or l.due_date < getvariable('extract_date')
                 then 'overdue' else 'due_soon' end as status
        from timed l
        left join team_names n on n.team = l.owner_team
        where l.working_days_since_seen > 10
           or l.due_date - getvariable('extract_date') <= $due_days
        order by status = 'overdue' desc, due_date, person_id, cp_plan_id
    """,
    "cp_reviews_due": """
        with reviews as (
            -- reviews linked by plan id, dated from the plan start to E
            select
                p.plan_id,
                count(distinct r.cppr_cp_review_date) as reviews_held,
                max(r.cppr_cp_review_date) as last_review_date
            from cp_open_plans p
            join ssd_cp_reviews r
              on r.cppr_cp_plan_id = p.plan_id
             and r.cppr_cp_review_date between p.start_date and getvariable('extract_date')
            group by p.plan_id
        ),
        timed as (
            select
                p.plan_id as cp_plan_id,
                p.person_id,
                p.start_date,
                r.last_review_date,
                coalesce(r.reviews_held, 0) as reviews_held,
                case when r.last_review_date is null then months_after(p.start_date, 3)
                     else months_after(r.last_review_date, 6) end as due_date,
                t.professional_id,
                t.team as owner_team
            from cp_open_plans p
            left join reviews r on r.plan_id = p.plan_id
            left join child_team t on t.person_id = p.person_id
        )
        select
            {team_columns},
            l.person_id,
            l.cp_plan_id,
            l.professional_id,
            l.start_date,
            l.last_review_date,
            l.reviews_held,
            l.due_date,
            cast(l.due_date - getvariable('extract_date') as integer) as days_to_due,
            -- a deadline falling on E is not missed (Clarification 12)
            case when l.due_date < getvariable('extract_date') then 'overdue' else 'due_soon' end
                as status
        from timed l
        left join team_names n on n.team = l.owner_team
        where l.due_date - getvariable('extract_date') <= $due_days
        order by status = 'overdue' desc, due_date, person_id, cp_plan_id
    """,
    "cla_reviews_due": """
        with cohort as (
            -- looked after at E (the stretch of cla_current_ep_stretches holding E) with the
            -- date they entered care
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
            {team_columns},
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
    """,
    "unallocated": """
        with open_cases as (
            -- as unallocated_children: open referral episodes, CP plans and care episodes
            -- (short breaks included, Clarification 26)
            select cine_person_id as person_id, 'referral' as case_type,
                   cine_referral_id as case_id, cine_referral_date as case_start
            from ssd_cin_episodes
            where cine_referral_date <= getvariable('extract_date')
              and (cine_close_date is null or cine_close_date > getvariable('extract_date'))
            union all
            select person_id, 'cp_plan', plan_id, start_date from cp_open_plans
            union all
            select clae_person_id, 'cla_episode', clae_cla_episode_id, clae_cla_episode_start_date
            from ssd_cla_episodes
            where clae_cla_episode_start_date <= getvariable('extract_date')
              and (clae_cla_episode_ceased is null
                   or clae_cla_episode_ceased > getvariable('extract_date'))
        ),
        children as (
            -- no allocation open at E (the block allocations_at_date)
            select
                person_id,
                min(case_start) as start_date,
                string_agg(
                    case_type || ' ' || case_id, '; ' order by case_start, case_type, case_id
                ) as open_cases
            from open_cases o
            where not exists (
                select 1 from allocations_at_date a where a.person_id = o.person_id
            )
            group by person_id
        ),
        previous_allocation as (
            -- the child's last allocation, ended on or before E
            select
                i.invo_person_id as person_id,
                i.invo_professional_id as previous_professional_id,
                nullif(trim(i.invo_professional_team), '') as previous_team,
                i.invo_involvement_end_date as allocation_ended
            from ssd_involvements i
            join la_roles r
              on r.role_code = upper(trim(i.invo_professional_role_id))
             and r.role = 'ALLOCATED_SOCIAL_WORKER'
            where i.invo_involvement_end_date <= getvariable('extract_date')
            qualify row_number() over (
                partition by i.invo_person_id
                order by i.invo_involvement_end_date desc, i.invo_involvement_start_date desc,
                         i.invo_professional_id
            ) = 1
        ),
        listed as (
            select
                c.*,
                p.previous_professional_id,
                greatest(c.start_date, coalesce(p.allocation_ended, c.start_date)) as due_date,
                -- the open referral's team, else the last worker's team
                coalesce(r.referral_team, p.previous_team) as owner_team
            from children c
            left join child_referral r on r.person_id = c.person_id
            left join previous_allocation p on p.person_id = c.person_id
        )
        select
            {team_columns},
            l.person_id,
            l.open_cases,
            cast(null as varchar) as professional_id,
            l.previous_professional_id,
            l.start_date,
            l.due_date,
            cast(getvariable('extract_date') - l.due_date as integer) as days_unallocated,
            'overdue' as status
        from listed l
        left join team_names n on n.team = l.owner_team
        order by due_date, person_id
    """,
}


def _list_sql(key: str) -> str:
    return _LIST_SQL[key].replace("{team_columns}", _TEAM_COLUMNS)


def _prepare(cur: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date) -> None:
    """The KPI engine's view of one LA and extract, at the single as-at date E.

    Same views as the engine's (history tables: extract E; current-state tables: every extract
    up to E), the engine's macros and shared blocks, with ``as_at_dates`` holding E only."""
    install_extract_views(cur, la_code, extract_date)
    cur.execute(
        "create or replace temp table as_at_dates as "
        "select cast(getvariable('extract_date') as date) as as_at_date"
    )
    for view in load_shared_views():
        cur.execute(f"create or replace temp table {view.name} as {view.sql}")
    for name, sql in _BLOCKS.items():
        if name.startswith("macro "):
            cur.execute(sql)
        else:
            cur.execute(f"create or replace temp table {name} as {sql}")


def build_worklists(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> dict[str, pl.DataFrame]:
    """The six worklists of one LA's extract, keyed as ``WORKLIST_KEYS``, each sorted overdue
    first then by due date.

    Reads the staged rows of that extract (``stg.*``), ``meta.la_roles`` and ``ref.calendar``
    with the ``working_days_between`` macro (``install_calendar``). Works on a read-only
    connection: everything it creates is temporary and lives on a cursor of its own, so the
    caller's connection is left as it was."""
    cur = con.cursor()
    try:
        _prepare(cur, la_code, extract_date)
        params = {
            "from_wd": ASSESSMENT_LIST_FROM_WORKING_DAYS,
            "icpc_wd": ICPC_DUE_SOON_WORKING_DAYS,
            "due_days": DUE_SOON_DAYS,
            "unassigned": UNASSIGNED,
        }
        lists = {}
        for key in WORKLIST_KEYS:
            sql = _list_sql(key)
            used = {name: value for name, value in params.items() if f"${name}" in sql}
            lists[key] = cur.execute(sql, used).pl()
        return lists
    finally:
        cur.close()


# ---------------------------------------------------------------------------------------------
# Writing: one workbook and one CSV per list per team, plus a workbook of all teams.


def _refuse_published(restricted_dir: Path) -> None:
    """Child-level files must never land in, or under, a folder named ``published``."""
    for candidate in (restricted_dir.absolute(), restricted_dir.resolve()):
        if "published" in candidate.parts:
            raise ValueError(
                f"refusing to write child-level worklists to {restricted_dir}: it is inside a "
                "folder named 'published' (worklists belong under data/restricted/)"
            )


def team_slug(team: str, team_name: str | None) -> str:
    """A file name for a team: its id and name in lower case, e.g. ``t03-assessment-team-1``."""
    label = team if not team_name or team_name == team else f"{team} {team_name}"
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower().replace("'", "")).strip("-")
    return slug or "team"


def _teams(lists: dict[str, pl.DataFrame]) -> dict[str, tuple[str, str | None]]:
    """Team id -> (slug, name) for every team on any list, slugs unique and never 'all-teams'."""
    names: dict[str, str | None] = {}
    for frame in lists.values():
        for team, name in frame.select("team", "team_name").unique().iter_rows():
            names.setdefault(team, name)
    taken = {ALL_TEAMS}
    out: dict[str, tuple[str, str | None]] = {}
    for team in sorted(names):
        base = slug = team_slug(team, names[team])
        n = 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        out[team] = (slug, names[team])
    return out


def _cover_rows(la_label: str, extract_date: dt.date, team_label: str) -> list[tuple[str, str]]:
    return [
        ("Local authority", la_label),
        ("Team", team_label),
        ("Extract date (lists are as at the end of this day)", f"{extract_date:%d %B %Y}"),
        ("Produced", f"{dt.datetime.now():%d %B %Y %H:%M}"),
    ]


def _write_workbook(
    path: Path,
    lists: dict[str, pl.DataFrame],
    *,
    la_label: str,
    team_label: str,
    extract_date: dt.date,
) -> None:
    workbook = xlsxwriter.Workbook(str(path))
    try:
        warning = workbook.add_format(
            {"bold": True, "font_color": "#FFFFFF", "bg_color": "#C00000", "font_size": 14}
        )
        bold = workbook.add_format({"bold": True})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        bold_wrap = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        header = workbook.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "bottom": 1, "text_wrap": True}
        )
        date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})

        cover = workbook.add_worksheet("Cover")
        cover.set_column(0, 0, 34)
        cover.set_column(1, 1, 40)
        cover.set_column(2, 2, 100)
        cover.set_column(3, 3, 10)
        cover.merge_range(
            0, 0, 0, 3, "RESTRICTED: child-level data. Do not share or publish.", warning
        )
        cells.xlsx_text(
            cover,
            1,
            0,
            "Each row names a child (the council's person id) and a worker (professional id). "
            "Keep this file on council systems only; delete it when the next extract's lists "
            "replace it.",
        )
        counts = {key: frame.height for key, frame in lists.items()}
        row = 3
        for label, value in _cover_rows(la_label, extract_date, team_label):
            cells.xlsx_text(cover, row, 0, label, bold)
            cells.xlsx_text(cover, row, 1, value)
            row += 1
        row += 1
        for col, title in enumerate(("Sheet", "List", "Rule", "Rows")):
            cells.xlsx_text(cover, row, col, title, header)
        row += 1
        for worklist in WORKLISTS:
            cells.xlsx_text(cover, row, 0, worklist.key, bold_wrap)
            cells.xlsx_text(cover, row, 1, worklist.title, wrap)
            cells.xlsx_text(cover, row, 2, worklist.rule, wrap)
            cover.write_number(row, 3, counts[worklist.key])
            row += 1
        row += 1
        notes = (
            "Working days: Monday to Friday except England and Wales bank holidays; the start "
            "day is day 0. A clock of N working days is overdue once more than N working days "
            "have passed, as the KPIs count it.",
            "Team: the allocated social worker's team on the extract date (assessments: the "
            "team recorded on the assessment); a child with no worker: the team of their open "
            "referral, else Unassigned.",
            "Status: overdue first, then due_soon (or at_35wd_plus), each by due date.",
        )
        for note in notes:
            cover.merge_range(row, 0, row, 3, note, wrap)
            cover.set_row(row, 30)
            row += 1
        cover.activate()

        for key in WORKLIST_KEYS:
            _write_sheet(workbook, key, lists[key], header, date_format)
    finally:
        workbook.close()


def _write_sheet(
    workbook: xlsxwriter.Workbook,
    name: str,
    frame: pl.DataFrame,
    header: object,
    date_format: object,
) -> None:
    sheet = workbook.add_worksheet(name)
    for col, column in enumerate(frame.columns):
        cells.xlsx_text(sheet, 0, col, column, header)
        dtype = frame.schema[column]
        values = frame.get_column(column).to_list()
        for row, value in enumerate(values, start=1):
            if value is None:
                sheet.write_blank(row, col, None)
            elif dtype == pl.Date:
                sheet.write_datetime(row, col, value, date_format)
            elif dtype.is_numeric():
                sheet.write_number(row, col, value)
            else:
                cells.xlsx_text(sheet, row, col, str(value))
        if dtype == pl.Date:
            width = 12
        else:
            longest = max((len(str(v)) for v in values if v is not None), default=0)
            width = min(max(len(column), longest) + 2, 60)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    if frame.width:
        sheet.autofilter(0, 0, max(frame.height, 1), frame.width - 1)


def write_worklists(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    restricted_dir: Path,
) -> list[Path]:
    """Write the worklists of one LA's extract under
    ``restricted_dir/<la_code>/worklists/<extract_date>/`` and return the files written.

    Per team: ``<team-slug>.xlsx`` (a RESTRICTED cover sheet with the extract date and each
    list's rule, then one sheet per list) and ``<team-slug>/<list>.csv``; plus
    ``all-teams.xlsx``. Re-running replaces that extract's folder whole: the new one is written
    beside it and swapped in, so a failure leaves the previous one. Refuses (``ValueError``) a
    ``restricted_dir`` that is, or is inside, a folder named ``published``."""
    restricted_dir = Path(restricted_dir)
    _refuse_published(restricted_dir)
    lists = build_worklists(con, la_code, extract_date)
    la_label = f"{la_name(con, la_code)} ({la_code})"

    parent = restricted_dir / la_code / "worklists"
    target = parent / extract_date.isoformat()
    written: list[Path] = []
    with folders.replacing(target) as staging:
        _write_workbook(
            staging / f"{ALL_TEAMS}.xlsx",
            lists,
            la_label=la_label,
            team_label="All teams",
            extract_date=extract_date,
        )
        written.append(target / f"{ALL_TEAMS}.xlsx")
        for team, (slug, name) in _teams(lists).items():
            team_lists = {k: f.filter(pl.col("team") == team) for k, f in lists.items()}
            _write_workbook(
                staging / f"{slug}.xlsx",
                team_lists,
                la_label=la_label,
                team_label=team if not name or name == team else f"{name} ({team})",
                extract_date=extract_date,
            )
            written.append(target / f"{slug}.xlsx")
            (staging / slug).mkdir()
            for key, frame in team_lists.items():
                cells.write_csv(frame, staging / slug / f"{key}.csv", date_format="%Y-%m-%d")
                written.append(target / slug / f"{key}.csv")
    return written
