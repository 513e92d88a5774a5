"""Compute every KPI for one LA and one extract, at every grain, inside DuckDB.

For an LA and its extract dated E the engine:

1. exposes each contract table as a temporary view named after the table: history tables hold
   the rows of extract E; current-state tables (``ssd_care_leavers``, ``ssd_professionals``) hold
   every extract up to E, with ``extract_date``, so a query can read the one in force at D;
2. builds the periods of every grain ending on or before E (``kpi_periods``) and the distinct
   period ends (``as_at_dates``), and sets ``getvariable('extract_date')`` and ``'la_code'``;
3. runs each KPI's SQL, summed per date (and dimension) into ``kpi_rows``, and aggregates it:
   event rows are summed over each period (over the 12 months to its end for rolling KPIs),
   as-at rows are summed per period end; a shared block is materialised the first time a KPI
   reads it, so blocks no KPI reads cost nothing;
4. writes ``kpi.kpi_values`` (and ``kpi.kpi_values_by_dimension``) for (LA, E) in one transaction,
   and records KPIs whose tables (or required columns) are absent in ``kpi.kpi_availability``.
"""

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb

from pipelines.lib.adapters.availability import gaps_for_extract
from pipelines.lib.contract import TABLES
from pipelines.lib.kpi import eras
from pipelines.lib.kpi.definitions import KpiDefinition, load_shared_views
from pipelines.lib.kpi.required_columns import missing_columns
from pipelines.lib.warehouse import transaction

GRAINS = ("week", "month", "quarter", "financial_year", "rolling_12m", "ytd")
Progress = Callable[[str], None]

KPI_DDL = (
    "create schema if not exists kpi",
    """
    create table if not exists kpi.kpi_values (
        la_code varchar not null,
        kpi_id varchar not null,
        grain varchar not null,
        period_start date not null,
        period_end date not null,
        numerator double,
        denominator double,
        value double,
        unit varchar not null,
        extract_date date not null
    )
    """,
    """
    create table if not exists kpi.kpi_values_by_dimension (
        la_code varchar not null,
        kpi_id varchar not null,
        grain varchar not null,
        period_start date not null,
        period_end date not null,
        dimension varchar not null,       -- team, service_area
        dimension_value varchar,          -- null: not recorded
        numerator double,
        denominator double,
        value double,
        unit varchar not null,
        extract_date date not null
    )
    """,
    """
    create table if not exists kpi.kpi_availability (
        la_code varchar not null,
        extract_date date not null,
        kpi_id varchar not null,
        available boolean not null,
        reason varchar
    )
    """,
    """
    create table if not exists kpi.kpi_runs (
        la_code varchar not null,
        extract_date date not null,
        definitions_hash varchar not null,
        kpis integer not null,
        rows_written bigint not null,
        delivery_id varchar             -- the delivery of the extract the values came from
    )
    """,
)

# Helpers every KPI's SQL may use.
MACROS = (
    # Whole years on d (a 29 February birthday falls on 1 March in other years).
    """create or replace temp macro age_on(dob, d) as (
        year(d) - year(dob) - case when month(d) * 100 + day(d) < month(dob) * 100 + day(dob)
                                   then 1 else 0 end)""",
    # Calendar months, clipped to the month end as SQL intervals are (2024-02-29 - 12 = 2023-02-28).
    "create or replace temp macro months_before(d, n) as cast(d - to_months(n) as date)",
    "create or replace temp macro months_after(d, n) as cast(d + to_months(n) as date)",
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


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class KpiResult:
    kpi_id: str
    available: bool
    reason: str | None
    rows: int


def ensure_kpi_schema(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in KPI_DDL:
        con.execute(ddl)


def definitions_hash(definitions: Sequence[KpiDefinition]) -> str:
    digest = hashlib.sha256()
    for view in load_shared_views():
        digest.update(view.name.encode())
        digest.update(view.sql.encode())
    for kpi in sorted(definitions, key=lambda k: k.id):
        digest.update(kpi.id.encode())
        digest.update(kpi.sql.encode())
        digest.update(repr((kpi.kind, kpi.shape, kpi.unit, kpi.denominator, kpi.tables,
                            kpi.optional_tables, kpi.any_of_tables, kpi.requires_columns,
                            kpi.dimensions, kpi.per_extract,
                            sorted(kpi.parameters.items()))).encode())  # fmt: skip
    return digest.hexdigest()[:16]


def _present_tables(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> dict[str, str | None]:
    """Table -> None when it has rows in the extract, else why it is absent."""
    delivered = {
        row[0]
        for row in con.execute(
            """select f.table_name
               from meta.delivery_files f
               join meta.deliveries d using (la_code, extract_date, delivery_id)
               where f.la_code = ? and f.extract_date = ? and d.status = 'loaded'
                 and f.table_name is not null
               union
               select s.table_name
               from meta.delivery_sources s
               join meta.deliveries d using (la_code, extract_date, delivery_id)
               where s.la_code = ? and s.extract_date = ? and d.status = 'loaded'""",
            [la_code, extract_date, la_code, extract_date],
        ).fetchall()
    }
    status: dict[str, str | None] = {}
    for table in TABLES:
        # One row is enough to know the table has some (counting them read the whole table).
        row = con.execute(
            f"select 1 from stg.{table.name} where la_code = ? and extract_date = ? limit 1",
            [la_code, extract_date],
        ).fetchone()
        if row:
            status[table.name] = None
        elif table.name in delivered:
            status[table.name] = f"{table.name} has no usable rows in the extract of {extract_date}"
        else:
            status[table.name] = f"{table.name} is absent from the extract of {extract_date}"
    return status


def table_sources(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> dict[str, str]:
    """Table -> the format its rows came from (``ssd``, ``cin_census``...), for the loaded
    delivery of an extract."""
    rows = con.execute(
        """select s.table_name, s.source_format
           from meta.delivery_sources s
           join meta.deliveries d using (la_code, extract_date, delivery_id)
           where s.la_code = ? and s.extract_date = ? and d.status = 'loaded'""",
        [la_code, extract_date],
    ).fetchall()
    return {table: source_format for table, source_format in rows}


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


def _prepare(
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


_SQL_COMMENT = re.compile(r"--[^\n]*")
_SQL_WORD = re.compile(r"[a-z_][a-z0-9_]*")


def _words(sql: str) -> set[str]:
    """The identifiers a query names, comments left out (they mention blocks they do not read)."""
    return set(_SQL_WORD.findall(_SQL_COMMENT.sub("", sql.lower())))


def ensure_shared_blocks(con: duckdb.DuckDBPyConnection, sql: str, done: set[str]) -> None:
    """Materialise the shared blocks ``sql`` reads, and the blocks those read, unless ``done``
    already holds them (once per extract: several KPIs read each of them). Blocks are created in
    file-name order, so a block's own blocks come first."""
    views = load_shared_views()
    wanted = _words(sql)
    # A block may read only blocks before it: walking back from the last finds every one needed.
    for view in reversed(views):
        if view.name in wanted:
            wanted |= _words(view.sql)
    for view in views:
        if view.name in wanted and view.name not in done:
            con.execute(f"create or replace temp table {view.name} as {view.sql}")
            done.add(view.name)


def _value_sql(kpi: KpiDefinition) -> str:
    scale = {"percent": "100.0 * ", "rate_per_10k": "10000.0 * "}.get(kpi.unit, "")
    if kpi.denominator == "none":
        return "round(n, 6)"
    return f"case when den > 0 then round({scale}n / den, 6) end"


def _aggregate_sql(kpi: KpiDefinition, dimension: str | None, exact: bool = False) -> str:
    """SQL over ``kpi_rows`` giving grain, period, (dimension), numerator, denominator.

    ``exact``: the numerator and denominator are whole numbers (or decimals), so an event KPI's
    sum over a period can be taken as the running total at its end less the running total
    before its start, the same number as adding the period's days up. Fractional measures
    (FTE) add each period's days up: a difference of running totals could move them in the
    last decimal place."""
    dim_select = f"{dimension} as dimension_value, " if dimension else ""
    dim_group = ", dimension_value" if dimension else ""
    den = "coalesce(sum(den), 0)" if kpi.denominator == "sum" else "null"
    period_dim = ", r.dimension_value" if dimension else ""
    den_sum = den.replace("den", "r.den")
    rows_by_date = f"""
        rows_by_date as (
            select cast({{date_column}} as date) as d, {dim_select}
                   sum(numerator) as n, sum(denominator) as den
            from kpi_rows {{where}} group by all
        )"""
    if kpi.shape == "events":
        date_column, where = "event_date", "where event_date is not null"
        start = "months_before(p.period_end, 12) + 1" if kpi.kind == "rolling" else "p.period_start"
        join = f"r.d between {start} and p.period_end"
    else:
        date_column, where, join = "as_at_date", "", "r.d = p.period_end"
    rows_by_date = rows_by_date.format(date_column=date_column, where=where)
    if kpi.shape == "events" and exact:
        body = _running_total_sql(rows_by_date, start, dimension, kpi.denominator == "sum")
    else:
        body = f"""
            with {rows_by_date}
            select p.grain, p.period_start, p.period_end{period_dim},
                   coalesce(sum(r.n), 0) as n, {den_sum} as den
            from kpi_periods p
            left join rows_by_date r on {join}
            group by all
        """
    if dimension:
        # A dimension value with no rows in a period has no row; the total always has one.
        body = f"select * from ({body}) where dimension_value is not null or n <> 0 or den <> 0"
    if kpi.denominator == "population":
        body = f"""
            select a.grain, a.period_start, a.period_end{dim_group.replace("dim", "a.dim")},
                   a.n, pp.population as den
            from ({body}) a
            left join period_population pp on pp.as_at_date = a.period_end
        """
    return body


def _running_total_sql(
    rows_by_date: str, start: str, dimension: str | None, den_is_sum: bool
) -> str:
    """An event KPI's sums per period (and dimension value) from running totals: the total up
    to the period's end less the total before its start. Adding each period's days up joined
    every rolling-12-month and year-to-date period to a year of days, per dimension value.

    Dimension values are numbered (a blank value too) so the running totals are looked up by a
    number. A dimension value gets a row for a period only when it has rows in that period, as
    when the days are added up; the total gets a row for every period."""
    key = "dense_rank() over (order by dimension_value nulls last)" if dimension else "1"
    # The total has a row for every period, a KPI without any rows too.
    keys = "select distinct k, dimension_value from keyed" if dimension else "select 1 as k"
    den = "coalesce(e.cden, 0) - coalesce(b.cden, 0)" if den_is_sum else "null"
    keep = "where coalesce(e.row_count, 0) - coalesce(b.row_count, 0) > 0" if dimension else ""
    period_dim = ", k.dimension_value" if dimension else ""
    return f"""
        with {rows_by_date},
        keyed as (select *, {key} as k from rows_by_date),
        running as (
            select k, d, sum(n) over w as cn, sum(den) over w as cden, count(*) over w as row_count
            from keyed
            window w as (partition by k order by d rows between unbounded preceding and current row)
        ),
        dimension_keys as ({keys}),
        grid as (
            select p.grain, p.period_start, p.period_end, {start} as from_date,
                   k.k{period_dim}
            from kpi_periods p
            cross join dimension_keys k
        )
        select g.grain, g.period_start, g.period_end{period_dim.replace("k.", "g.")},
               coalesce(e.cn, 0) - coalesce(b.cn, 0) as n, {den} as den
        from grid g
        asof left join running e on e.k = g.k and e.d <= g.period_end
        asof left join running b on b.k = g.k and b.d < g.from_date
        {keep}
    """


def compute_kpi(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiDefinition,
    la_code: str,
    extract_date: dt.date,
    series_from: dt.date,
    blocks: set[str] | None = None,
) -> int:
    """Run one KPI (the views and periods must be prepared) and insert its rows for the periods
    ending on or after ``series_from``; returns the rows its SQL gave. ``blocks`` holds the
    shared blocks already materialised for this extract (the ones the KPI reads are added)."""
    for name, value in kpi.parameters.items():
        con.execute(f"set variable {name} = ?", [value])
    ensure_shared_blocks(con, kpi.sql, set() if blocks is None else blocks)
    types = {r[0]: r[1] for r in con.execute(f"describe {kpi.sql}\n").fetchall()}
    columns = set(types)
    needed = {"events": "event_date", "as_at": "as_at_date"}[kpi.shape]
    missing = {needed, "numerator", "denominator", *kpi.dimensions} - columns
    if missing:
        raise ValueError(f"{kpi.path}: the SQL must return column(s) {', '.join(sorted(missing))}")
    # Summed per date and dimension at once: the engine only ever adds rows up, and a snapshot
    # KPI's rows (one per child per date) run to tens of millions at large volumes. Fractional
    # measures (FTE) are kept row by row: summing them in another order can move a value that
    # sits on a rounding boundary by 0.000001.
    keys = ", ".join([needed, *kpi.dimensions])
    if {types["numerator"], types["denominator"]} & {"DOUBLE", "FLOAT"}:
        select = f"select {keys}, numerator, denominator, 1 as source_rows from ({kpi.sql}\n)"
    else:
        select = f"""select {keys}, sum(numerator) as numerator, sum(denominator) as denominator,
                            count(*) as source_rows
                     from ({kpi.sql}\n) group by {keys}"""
    con.execute(f"create or replace temp table kpi_rows as {select}")
    if "team" in kpi.dimensions and "team" in columns:
        # Teams roll up to service areas through la.yaml `service_areas`.
        con.execute(
            """create or replace temp table kpi_rows as
               select r.*, s.service_area from kpi_rows r
               left join la_service_areas s on s.team_id = r.team"""
        )
    value = _value_sql(kpi)
    exact = not {types["numerator"], types["denominator"]} & {"DOUBLE", "FLOAT"}
    con.execute(
        f"""
        insert into new_kpi_values
        select ?, ?, grain, period_start, period_end, round(n, 6), round(den, 6), {value}, ?, ?
        from ({_aggregate_sql(kpi, None, exact)})
        where period_end >= ?
        """,
        [la_code, kpi.id, kpi.unit, extract_date, series_from],
    )
    dimensions = [*kpi.dimensions, *(["service_area"] if "team" in kpi.dimensions else [])]
    for dimension in dimensions:
        con.execute(
            f"""
            insert into new_kpi_values_by_dimension
            select ?, ?, grain, period_start, period_end, ?, dimension_value,
                   round(n, 6), round(den, 6), {value}, ?, ?
            from ({_aggregate_sql(kpi, dimension, exact)})
            where period_end >= ?
            """,
            [la_code, kpi.id, dimension, kpi.unit, extract_date, series_from],
        )
    rows = con.execute("select sum(source_rows) from kpi_rows").fetchone()
    return int(rows[0]) if rows and rows[0] is not None else 0


def compute_extract(
    con: duckdb.DuckDBPyConnection,
    definitions: Sequence[KpiDefinition],
    la_code: str,
    extract_date: dt.date,
    progress: Progress = _quiet,
) -> list[KpiResult]:
    """Every KPI for one LA and extract, replacing what that extract published before."""
    # Row order never matters to a KPI: without keeping it DuckDB need not hold large
    # intermediate results in order. The connection's own setting is put back afterwards.
    row = con.execute("select current_setting('preserve_insertion_order')").fetchone()
    con.execute("set preserve_insertion_order = false")
    try:
        return _compute_extract(con, definitions, la_code, extract_date, progress)
    finally:
        con.execute(f"set preserve_insertion_order = {bool(row and row[0])}")


def _compute_extract(
    con: duckdb.DuckDBPyConnection,
    definitions: Sequence[KpiDefinition],
    la_code: str,
    extract_date: dt.date,
    progress: Progress,
) -> list[KpiResult]:
    ensure_kpi_schema(con)
    present = _present_tables(con, la_code, extract_date)
    sources = table_sources(con, la_code, extract_date)
    results: list[KpiResult] = []
    # The KPIs are computed into temp tables outside any transaction (one transaction around
    # all of them held every intermediate result until the end: at scale 50 it ran out of a
    # 2 GB memory cap), then swapped in at once.
    for table in ("kpi_values", "kpi_values_by_dimension"):
        con.execute(f"create or replace temp table new_{table} as from kpi.{table} limit 0")
    floor = _prepare(con, la_code, extract_date)
    blocks: set[str] = set()
    first_dates: dict[str, dt.date | None] = {}
    columns_found: dict[str, bool] = {}
    for kpi in definitions:
        reasons = [why for t in kpi.tables if (why := present[t])]
        reasons += gaps_for_extract(kpi, sources)
        reasons += missing_columns(con, kpi, la_code, extract_date, reasons, columns_found)
        if kpi.any_of_tables and all(present[t] for t in kpi.any_of_tables):
            reasons.append(f"none of {', '.join(kpi.any_of_tables)} has rows in the extract")
        series_from = None if reasons else kpi_series_start(con, kpi, floor, first_dates)
        if series_from is not None and kpi.per_extract:
            # One value per extract: at the latest period end on or before it.
            series_from = con.execute("select max(as_at_date) from as_at_dates").fetchone()[0]  # type: ignore[index]
        # Events that cannot exist in the extract's span: not applicable (even when the
        # tables are absent too), never a 0 (kpi/eras.py).
        outside = eras.not_applicable(kpi, series_from or floor, extract_date)
        if outside:
            results.append(KpiResult(kpi.id, False, outside, 0))
            continue
        if series_from is None:
            reason = "; ".join(reasons) or "its tables hold no dated rows"
            results.append(
                KpiResult(kpi.id, False, f"not available from this extract: {reason}", 0)
            )
            continue
        rows = compute_kpi(con, kpi, la_code, extract_date, series_from, blocks)
        eras.drop_outside(con, kpi, ["new_kpi_values", "new_kpi_values_by_dimension"])
        results.append(KpiResult(kpi.id, True, None, rows))
    with transaction(con):
        for table in ("kpi_values", "kpi_values_by_dimension", "kpi_availability", "kpi_runs"):
            con.execute(
                f"delete from kpi.{table} where la_code = ? and extract_date = ?",
                [la_code, extract_date],
            )
        con.execute("insert into kpi.kpi_values from new_kpi_values")
        con.execute("insert into kpi.kpi_values_by_dimension from new_kpi_values_by_dimension")
        con.executemany(
            "insert into kpi.kpi_availability values (?, ?, ?, ?, ?)",
            [[la_code, extract_date, r.kpi_id, r.available, r.reason] for r in results],
        )
        written = con.execute(
            "select count(*) from kpi.kpi_values where la_code = ? and extract_date = ?",
            [la_code, extract_date],
        ).fetchone()
        con.execute(
            "insert into kpi.kpi_runs values (?, ?, ?, ?, ?, ?)",
            [
                la_code,
                extract_date,
                definitions_hash(definitions),
                len(definitions),
                written[0] if written else 0,
                _loaded_delivery(con, la_code, extract_date),
            ],
        )
    available = sum(r.available for r in results)
    progress(f"{la_code} {extract_date}: {available} of {len(results)} KPIs computed")
    return results


def _loaded_delivery(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> str | None:
    row = con.execute(
        """select delivery_id from meta.deliveries
           where la_code = ? and extract_date = ? and status = 'loaded'""",
        [la_code, extract_date],
    ).fetchone()
    return row[0] if row else None


def pending_extracts(
    con: duckdb.DuckDBPyConnection, la_code: str, definitions: Sequence[KpiDefinition]
) -> list[dt.date]:
    """The LA's newest loaded extract, unless its KPIs were computed from that very delivery
    with these definitions (a corrected re-delivery for the same date is computed again).

    Values are published from the newest extract of each run and kept with their extract date, so
    a figure reported to a board can be reproduced. Extracts that arrived together with a newer
    one published nothing, so they are not computed (and re-running changes nothing)."""
    ensure_kpi_schema(con)
    newest = con.execute(
        "select max(extract_date) from meta.deliveries where la_code = ? and status = 'loaded'",
        [la_code],
    ).fetchone()
    if not newest or newest[0] is None:
        return []
    done = con.execute(
        """select count(*) from kpi.kpi_runs
           where la_code = ? and extract_date = ? and definitions_hash = ?
             and delivery_id is not distinct from ?""",
        [
            la_code,
            newest[0],
            definitions_hash(definitions),
            _loaded_delivery(con, la_code, newest[0]),
        ],
    ).fetchone()
    return [] if done and done[0] else [newest[0]]
