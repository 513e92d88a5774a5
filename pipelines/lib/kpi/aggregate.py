"""From a KPI's rows to its numerator and denominator in every period (and dimension value).

A KPI's SQL returns one of three shapes (``kpi_definitions/README.md``):

- ``events``: one row per event on ``event_date``; a period sums the events dated in it (a
  rolling KPI, the 12 months to its end).
- ``as_at``: one row per counted unit per as-at date; a period takes the rows of its end.
- ``spans``: one row per stretch of days in which a unit counts, ``[from_date, to_date)`` (a blank
  ``to_date``: it still counts); a period takes the spans its end falls in. The engine does the
  interval arithmetic, so the KPI's SQL says only who counts and when.

``build_rows_sql`` turns what the SQL returned into ``kpi_rows``; ``aggregate_sql`` sums it per
period with running totals (a period is the running total at its end, less the one before its
start for events). Fractional measures (FTE) are made decimals first (``exact_sql``), so every sum
is exact and the same whatever order DuckDB adds the rows in.
"""

from dataclasses import replace

from pipelines.lib.kpi.definitions import KpiDefinition

# The column that places a row in time, per shape.
DATE_COLUMNS = {
    "events": ("event_date",),
    "as_at": ("as_at_date",),
    "spans": ("from_date", "to_date"),
}


def build_rows_sql(kpi: KpiDefinition) -> str:
    """``select`` for ``kpi_rows`` from the KPI's SQL (whose measures ``exact_sql`` made exact).

    Events and as-at rows are summed per date and dimension at once: the engine only ever adds
    rows up, and a snapshot's rows run to tens of millions at large volumes. Spans become
    changes: + on the day a span starts, - on the day it ends, with ``units`` counting the spans
    in force (a dimension value is shown in a period only when one of its spans covers the end)."""
    dims = "".join(f", {d}" for d in kpi.dimensions)
    if kpi.shape == "spans":
        return f"""
            with spans as (
                select * from ({kpi.sql}
                ) where from_date is not null and (to_date is null or to_date > from_date)
            ),
            changes as (
                select from_date as change_date{dims}, numerator, denominator,
                       1 as units, 1 as source_rows
                from spans
                union all
                select to_date{dims}, -numerator, -denominator, -1, 0
                from spans where to_date is not null
            )
            select change_date{dims}, sum(numerator) as numerator,
                   sum(denominator) as denominator, sum(units) as units,
                   sum(source_rows) as source_rows
            from changes group by all"""
    key_list = ", ".join([DATE_COLUMNS[kpi.shape][0], *kpi.dimensions])
    return f"""select {key_list}, sum(numerator) as numerator, sum(denominator) as denominator,
                      count(*) as source_rows
               from ({kpi.sql}
               ) group by {key_list}"""


def exact_sql(kpi: KpiDefinition, types: dict[str, str]) -> KpiDefinition:
    """The KPI with fractional measures (FTE) as decimals: sums of doubles depend on the order
    the rows are added in, which DuckDB's threads do not fix, so a value on a rounding boundary
    came out 0.000001 apart from one run to the next. Decimals with 18 places add up exactly
    whatever the order (an FTE has a few places; a derived fraction loses under 1e-18 a row)."""
    fractional = [c for c in ("numerator", "denominator") if types[c] in ("DOUBLE", "FLOAT")]
    if not fractional:
        return kpi
    casts = ", ".join(f"{c}::decimal(38, 18) as {c}" for c in fractional)
    return replace(kpi, sql=f"select * replace ({casts}) from ({kpi.sql}\n)")


def value_sql(kpi: KpiDefinition) -> str:
    scale = {"percent": "100.0 * ", "rate_per_10k": "10000.0 * "}.get(kpi.unit, "")
    if kpi.denominator == "none":
        return "round(n, 6)"
    return f"case when den > 0 then round({scale}n / den, 6) end"


def aggregate_sql(kpi: KpiDefinition, dimension: str | None) -> str:
    """SQL over ``kpi_rows`` giving grain, period, (dimension), numerator, denominator.

    The numerator and denominator are whole numbers or decimals (``exact_sql``), so an event
    KPI's sum over a period is the running total at its end less the running total before its
    start, the same number as adding the period's days up, and a span KPI's value at a period
    end is the running total of its changes."""
    dim_select = f"{dimension} as dimension_value, " if dimension else ""
    dim_group = ", dimension_value" if dimension else ""
    den = "coalesce(sum(den), 0)" if kpi.denominator == "sum" else "null"
    period_dim = ", r.dimension_value" if dimension else ""
    den_sum = den.replace("den", "r.den")
    spans = kpi.shape == "spans"
    units = ", sum(units) as units" if spans else ""
    rows_by_date = f"""
        rows_by_date as (
            select cast({{date_column}} as date) as d, {dim_select}
                   sum(numerator) as n, sum(denominator) as den{units}
            from kpi_rows {{where}} group by all
        )"""
    if kpi.shape == "events":
        date_column, where = "event_date", "where event_date is not null"
        start = "months_before(p.period_end, 12) + 1" if kpi.kind == "rolling" else "p.period_start"
        join = f"r.d between {start} and p.period_end"
    elif spans:
        date_column, where, start, join = "change_date", "", "", ""
    else:
        date_column, where, join = "as_at_date", "", "r.d = p.period_end"
    rows_by_date = rows_by_date.format(date_column=date_column, where=where)
    if kpi.shape == "events":
        body = _running_total_sql(rows_by_date, start, dimension, kpi.denominator == "sum")
    elif spans:
        body = _running_total_sql(rows_by_date, None, dimension, kpi.denominator == "sum")
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
    rows_by_date: str, start: str | None, dimension: str | None, den_is_sum: bool
) -> str:
    """Sums per period (and dimension value) from running totals.

    Events (``start`` given): the total up to the period's end less the total before its start;
    adding each period's days up joined every rolling-12-month and year-to-date period to a year
    of days, per dimension value. Spans (``start`` None): the running total of the changes up to
    the period's end, which is the sum over the spans in force then.

    Dimension values are numbered (a blank value too) so the running totals are looked up by a
    number. A dimension value gets a row for a period only when it has rows in that period
    (events) or spans in force at its end (spans); the total gets a row for every period."""
    key = "dense_rank() over (order by dimension_value nulls last)" if dimension else "1"
    # The total has a row for every period, a KPI without any rows too.
    keys = "select distinct k, dimension_value from keyed" if dimension else "select 1 as k"
    before = start is not None
    period_dim = ", k.dimension_value" if dimension else ""
    running_count = "sum(units) over w" if not before else "count(*) over w"
    if before:
        n = "coalesce(e.cn, 0) - coalesce(b.cn, 0)"
        den = "coalesce(e.cden, 0) - coalesce(b.cden, 0)" if den_is_sum else "null"
        present = "coalesce(e.present, 0) - coalesce(b.present, 0) > 0"
        from_date = f", {start} as from_date"
        before_join = "asof left join running b on b.k = g.k and b.d < g.from_date"
    else:
        n = "coalesce(e.cn, 0)"
        den = "coalesce(e.cden, 0)" if den_is_sum else "null"
        present = "coalesce(e.present, 0) > 0"
        from_date = before_join = ""
    keep = f"where {present}" if dimension else ""
    return f"""
        with {rows_by_date},
        keyed as (select *, {key} as k from rows_by_date),
        running as (
            select k, d, sum(n) over w as cn, sum(den) over w as cden,
                   {running_count} as present
            from keyed
            window w as (partition by k order by d rows between unbounded preceding and current row)
        ),
        dimension_keys as ({keys}),
        grid as (
            select p.grain, p.period_start, p.period_end{from_date}, k.k{period_dim}
            from kpi_periods p
            cross join dimension_keys k
        )
        select g.grain, g.period_start, g.period_end{period_dim.replace("k.", "g.")},
               {n} as n, {den} as den
        from grid g
        asof left join running e on e.k = g.k and e.d <= g.period_end
        {before_join}
        {keep}
    """
