"""What a KPI's SQL sees for one LA and extract: the table views, the engine's macros, the
periods of every grain and their as-at dates, the LA's population, and where a KPI's series
starts (see ``kpi_definitions/README.md``, "The SQL")."""

import datetime as dt

import duckdb

from pipelines.lib.contract import TABLES
from pipelines.lib.kpi.definitions import KpiDefinition

# Helpers every KPI's SQL may use.
MACROS = (
    # Whole years on d (a 29 February birthday falls on 1 March in other years).
    """create or replace temp macro age_on(dob, d) as (
        year(d) - year(dob) - case when month(d) * 100 + day(d) < month(dob) * 100 + day(dob)
                                   then 1 else 0 end)""",
    # Calendar months, clipped to the month end as SQL intervals are (2024-02-29 - 12 = 2023-02-28).
    "create or replace temp macro months_before(d, n) as cast(d - to_months(n) as date)",
    "create or replace temp macro months_after(d, n) as cast(d + to_months(n) as date)",
    # The first day D whose n months to D, (months_before(D, n), D], no longer hold end_date: a
    # day later than months_after(end_date, n) when that was clipped to a shorter month's end
    # (29 February + 12 months = 28 February, still within the 12 months to 28 February).
    # A blank end_date (still open) stays blank.
    """create or replace temp macro months_window_end(end_date, n) as (
        months_after(end_date, n)
        + case when months_before(months_after(end_date, n), n) < end_date then 1 else 0 end)""",
    # Spans are stretches of days [from_date, to_date) of a unit (to_date blank: still going).
    # How many of each unit's spans are in force, as stretches over which that number holds:
    # (unit_id, from_date, to_date, spans), from the unit's first span on, the last stretch
    # open (to_date blank). Spans ending the day they start are left out.
    """create or replace temp macro overlap_counts(spans_table) as table
        with changes as (
            select unit_id, from_date as d, 1 as change from query_table(spans_table)
            where from_date is not null and (to_date is null or to_date > from_date)
            union all
            select unit_id, to_date, -1 from query_table(spans_table)
            where from_date is not null and to_date > from_date
        ),
        running as (
            -- the last change of a day holds the day's count and the next day (faster than
            -- adding each day's changes up first)
            select unit_id, d, lead(d) over unit_changes as next_d,
                   sum(change) over unit_changes as spans
            from changes
            window unit_changes as (partition by unit_id order by d
                                    rows between unbounded preceding and current row)
        )
        select unit_id, d as from_date, next_d as to_date, spans
        from running
        where next_d is distinct from d""",
    # The days a span of one table and a span of the same unit in another both hold: every
    # column of the first table's span, its from_date and to_date narrowed to the overlap.
    """create or replace temp macro overlapping(spans_table, within_table) as table
        select s.* replace (greatest(s.from_date, w.from_date) as from_date,
                            least(s.to_date, w.to_date) as to_date)
        from query_table(spans_table) s
        join query_table(within_table) w
          on w.unit_id = s.unit_id
         and (w.to_date is null or w.to_date > s.from_date)
         and (s.to_date is null or s.to_date > w.from_date)""",
    # Reviews held on time, as stretches of days: given reviews (unit_id, first_due: the last day
    # the unit's first review may be held, review_date: one row per review), from each review
    # that it and every review before it were held by their deadlines, until the next review or
    # the day after the next deadline (a deadline falling on D is not missed): the second review
    # is due second_months after the first, each later one later_months after the one before.
    """create or replace temp macro reviews_on_time(reviews, second_months, later_months) as table
        with numbered as (
            select unit_id, first_due, review_date,
                   row_number() over unit_reviews as review_no,
                   lag(review_date) over unit_reviews as previous_review,
                   lead(review_date) over unit_reviews as next_review
            from query_table(reviews)
            window unit_reviews as (partition by unit_id order by review_date)
        ),
        judged as (
            select *, bool_or(review_date > case review_no
                                  when 1 then first_due
                                  when 2 then months_after(previous_review, second_months)
                                  else months_after(previous_review, later_months) end)
                          over (partition by unit_id order by review_date
                                rows between unbounded preceding and current row) as any_late
            from numbered
        )
        select unit_id, review_date as from_date,
               least(next_review,
                     months_after(review_date, case when review_no = 1 then second_months
                                                    else later_months end) + 1) as to_date
        from judged
        where not coalesce(any_late, false)""",
    # The latest event within n days to D, (D - n days, D], as stretches of days: given events
    # (unit_id, event_date), each of a unit's event days is its latest event from that day until
    # its next one, and within n days to D until n days after it; the span runs to whichever
    # comes first. Repeats on a day count once; blank dates are left out.
    """create or replace temp macro recent_cover(events, n) as table
        select unit_id, event_date as from_date,
               least(lead(event_date) over (partition by unit_id order by event_date),
                     event_date + n) as to_date
        from (select distinct unit_id, event_date from query_table(events))
        where event_date is not null""",
)


# Every period of every grain ending on or before the extract date, from the first event's.
PERIODS_SQL = """
create or replace temp table kpi_periods as
with days as (
    select cast(range as date) as d
    from range(cast(? as date), cast(getvariable('extract_date') as date) + 1, interval 1 day)
),
week_ends as (select d from days where dayofweek(d) = 0),
month_ends as (select d from days where d = last_day(d)),
ends as (select d from week_ends union select d from month_ends)
select 'week' as grain, d - 6 as period_start, d as period_end from week_ends
union all
select 'month', date_trunc('month', d)::date, d from month_ends
union all
select 'quarter', date_trunc('quarter', d)::date, d from month_ends where month(d) in (3, 6, 9, 12)
union all
select 'financial_year', make_date(year(d) - 1, 4, 1), d from month_ends where month(d) = 3
union all
select 'rolling_12m', months_before(d, 12) + 1, d from ends
union all
select 'ytd', make_date(year(d) - case when month(d) >= 4 then 0 else 1 end, 4, 1), d from ends
"""

# The DfE pairing: the latest mid-year estimate whose 30 June is on or before D, else the earliest.
POPULATION_SQL = """
create or replace temp table period_population as
with estimates as (
    select mid_year, population_0_17 from meta.la_population
    where la_code = getvariable('la_code')
)
select
    e.as_at_date,
    coalesce(
        (select population_0_17 from estimates
         where make_date(mid_year, 6, 30) <= e.as_at_date order by mid_year desc limit 1),
        (select population_0_17 from estimates order by mid_year limit 1)
    ) as population
from as_at_dates e
"""


# The date that places each table's rows in time (None: a table without one).
TABLE_DATES: dict[str, str | None] = {
    "ssd_person": None,
    "ssd_contacts": "cont_contact_date",
    "ssd_cin_episodes": "cine_referral_date",
    "ssd_cin_assessments": "coalesce(cina_assessment_start_date, cina_assessment_auth_date)",
    "ssd_cin_visits": "cinv_cin_visit_date",
    "ssd_s47_enquiry": "s47e_s47_start_date",
    "ssd_initial_cp_conference": "icpc_icpc_date",
    "ssd_cp_plans": "cppl_cp_plan_start_date",
    "ssd_cp_reviews": "cppr_cp_review_date",
    "ssd_cp_visits": "cppv_cp_visit_date",
    "ssd_cla_episodes": "clae_cla_episode_start_date",
    "ssd_cla_placement": "clap_cla_placement_start_date",
    "ssd_legal_status": "lega_legal_status_start_date",
    "ssd_cla_reviews": "clar_cla_review_date",
    "ssd_cla_visits": "clav_cla_visit_date",
    "ssd_missing": "miss_missing_episode_start_date",
    "ssd_cla_health": "clah_health_check_date",
    "ssd_immigration_status": "immi_immigration_status_start_date",
    # Current-state tables: their first extract starts their series.
    "ssd_care_leavers": "extract_date",
    "ssd_professionals": "extract_date",
    "ssd_involvements": "invo_involvement_start_date",
    "ssd_department": None,
    "ext_contact_decisions": "decision_datetime",
    "ext_assessment_types": None,
    "ext_return_interviews": "rhi_completed_datetime",
    "ext_worker_periods": "period_start",
    "ext_absences": "start_date",
    "ext_vacancies": "as_at_date",
    "ext_supervisions": "supervision_date",
    "ext_case_oversight": "oversight_date",
    "ext_homeless_16_17": "presentation_date",
    "ext_education_status": "start_date",
    "ext_lado_referrals": "received_date",
}
# The SSD keeps six years: without la.yaml `history_start`, no series starts earlier.
MAX_HISTORY_YEARS = 6


def history_floor(con: duckdb.DuckDBPyConnection, extract_date: dt.date) -> dt.date:
    """The earliest date any series may start: la.yaml ``history_start``, else six years back.

    Cases, placements and staff already open when recording began keep their real, much
    earlier start dates; without a floor their series would reach back decades."""
    row = con.execute(
        "select history_start from meta.la where la_code = getvariable('la_code')"
    ).fetchone()
    if row and row[0]:
        return row[0]  # type: ignore[no-any-return]
    return extract_date.replace(year=extract_date.year - MAX_HISTORY_YEARS, day=1)


def kpi_series_start(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiDefinition,
    floor: dt.date,
    first_dates: dict[str, dt.date | None] | None = None,
) -> dt.date | None:
    """A KPI's series begins with the period of the first dated row of the tables it needs.

    ``first_dates`` keeps each table's first date for the extract (several KPIs read a table)."""
    columns = [(t, TABLE_DATES[t]) for t in (*kpi.tables, *kpi.any_of_tables) if TABLE_DATES[t]]
    if not columns:
        return floor
    known = {} if first_dates is None else first_dates
    for table, column in columns:
        if table not in known:
            row = con.execute(f"select min(cast({column} as date)) from {table}").fetchone()
            known[table] = row[0] if row else None
    dates = [d for t, _ in columns if (d := known[t]) is not None]
    if not dates:
        return None
    return max(min(dates), floor)


def install_extract_views(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> None:
    """The tables of one LA and extract as the KPI SQL reads them (history tables: extract E
    only; current-state tables: every extract up to E), the data-quality views, the LA's role and
    service-area maps, and the engine's macros. Worklists read the extract the same way."""
    con.execute("set variable la_code = ?", [la_code])
    con.execute("set variable extract_date = ?::date", [extract_date])
    for table in TABLES:
        cols = ", ".join(c.name for c in table.columns)
        lineage = "la_code, extract_date, source_file, source_row"
        # History tables: extract E only. Current-state tables: every extract up to E.
        compare = "<=" if table.current_state else "="
        con.execute(
            f"""create or replace temp view {table.name} as
                select {lineage}, {cols} from stg.{table.name}
                where la_code = getvariable('la_code')
                  and extract_date {compare} getvariable('extract_date')"""
        )
    # Data quality: what the ingest found in extract E (the delivery that was loaded).
    con.execute(
        """create or replace temp view quarantine as
           select q.table_name, q.source_file, q.source_row, q.column_name, q.rule, q.action
           from stg.quarantine q
           join meta.deliveries d using (la_code, extract_date, delivery_id)
           where q.la_code = getvariable('la_code') and q.extract_date = getvariable('extract_date')
             and d.status = 'loaded'"""
    )
    con.execute(
        """create or replace temp view delivered_tables as
           select f.table_name, f.source_file, f.rows_read
           from meta.delivery_files f
           join meta.deliveries d using (la_code, extract_date, delivery_id)
           where f.la_code = getvariable('la_code') and f.extract_date = getvariable('extract_date')
             and d.status = 'loaded' and f.table_name is not null
           union all
           -- Tables a statutory return gave (one file may give several tables).
           select s.table_name, s.source_files, s.rows_read
           from meta.delivery_sources s
           join meta.deliveries d using (la_code, extract_date, delivery_id)
           where s.la_code = getvariable('la_code') and s.extract_date = getvariable('extract_date')
             and d.status = 'loaded' and s.source_format <> 'ssd'"""
    )
    con.execute(
        """create or replace temp view la_roles as
           select role_code, role from meta.la_roles where la_code = getvariable('la_code')
           union
           -- A role written as its own name (the statutory-return adapters do) needs no
           -- mapping in la.yaml.
           select role, role from (values ('ALLOCATED_SOCIAL_WORKER'), ('PERSONAL_ADVISER'))
             as t(role)"""
    )
    con.execute(
        """create or replace temp view la_service_areas as
           select team_id, service_area from meta.la_service_areas
           where la_code = getvariable('la_code')"""
    )
    for macro in MACROS:
        con.execute(macro)


def prepare_extract(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    start: dt.date | None = None,
) -> dt.date:
    """Views, macros, periods and populations for one LA and extract; returns the first date
    any series may start (``start``, or the LA's history floor)."""
    install_extract_views(con, la_code, extract_date)
    first = start or history_floor(con, extract_date)
    con.execute(PERIODS_SQL, [first])
    con.execute(
        """create or replace temp table as_at_dates as
           select distinct period_end as as_at_date from kpi_periods order by 1"""
    )
    con.execute(POPULATION_SQL)
    return first
