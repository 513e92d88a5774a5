"""The figures every published output reads: one row per KPI, the gate, and the provenance.

The clinic pack, the board report and the scrutiny export all start here, so a figure pasted into
a committee paper is the same number the clinic saw and the board read.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.targets import Plan
from pipelines.lib.publish import benchmarks, gating

# Business areas as headings in published outputs, in the order they are shown.
AREA_TITLES = {
    "front_door": "Front door",
    "assessments": "Assessments",
    "child_protection": "Child protection",
    "children_in_care": "Children in care",
    "missing": "Missing from home or care",
    "care_leavers": "Care leavers",
    "workforce": "Workforce",
    "other": "Other areas",
    "data_quality": "Data quality",
}
# The grain a board or a committee reads: the latest complete month.
REPORT_GRAIN = "month"


class NotPublishable(RuntimeError):
    """The blocking checks of something an output shows failed (or never ran)."""

    def __init__(self, la_code: str, extract_date: dt.date | None, reasons: list[str]) -> None:
        self.la_code = la_code
        self.extract_date = extract_date
        self.reasons = reasons
        what = (
            f"LA {la_code}, extract of {extract_date}: not published: validation failed: "
            if extract_date is not None
            else f"LA {la_code}: not published: "
        )
        super().__init__(what + "; ".join(reasons))


@dataclass(frozen=True)
class Provenance:
    """Where the figures come from: shown in the footer of every published page."""

    la_code: str
    la_name: str
    extract_date: dt.date
    run_id: str
    validation: str  # "passed", "passed with N warning(s)", "... N KPI(s) withheld"
    generated_at: dt.datetime
    # One sentence per failed rule that withholds KPIs (``gating.summary_lines``).
    withheld: tuple[str, ...] = ()

    def footer(self) -> str:
        return (
            f"{self.la_name} ({self.la_code}). Extract of {self.extract_date:%d %B %Y}; "
            f"run {self.run_id[:8]}; validation {self.validation}; "
            f"produced {self.generated_at:%d %B %Y %H:%M}."
        ) + "".join(f" KPIs {line}." for line in self.withheld)


def la_name(con: duckdb.DuckDBPyConnection, la_code: str) -> str:
    row = con.execute("select la_name from meta.la where la_code = ?", [la_code]).fetchone()
    return str(row[0]) if row and row[0] else la_code


def la_plans(con: duckdb.DuckDBPyConnection, la_code: str, plans: dict[str, Plan]) -> list[Plan]:
    """The notice or local plans the LA's la.yaml names, in that order."""
    row = con.execute("select targets from meta.la where la_code = ?", [la_code]).fetchone()
    return [plans[p] for p in (row[0] if row and row[0] else []) if p in plans]


def computed_extracts(con: duckdb.DuckDBPyConnection, la_code: str) -> list[dt.date]:
    """Extracts whose KPIs were computed (newest last)."""
    return [
        r[0]
        for r in con.execute(
            "select extract_date from kpi.kpi_runs where la_code = ? order by 1", [la_code]
        ).fetchall()
    ]


def blocking_failures(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    kpi_ids: Sequence[str] | None = None,
) -> list[str]:
    """Why the figures of this extract must not be published (empty: they may be, with the
    withheld KPIs marked). Per KPI, not per extract: see ``pipelines.lib.publish.gating``."""
    return gating.refusals(con, la_code, extract_date, kpi_ids)


def check_publishable(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date | None,
    kpi_ids: Sequence[str] | None = None,
) -> None:
    """Raise ``NotPublishable`` when nothing the output shows passed its blocking checks (or a
    failure was not turned into withheld KPIs)."""
    if extract_date is None:
        raise NotPublishable(la_code, None, ["no extract of this LA has KPIs computed yet"])
    reasons = blocking_failures(con, la_code, extract_date, kpi_ids)
    if reasons:
        raise NotPublishable(la_code, extract_date, reasons)


def provenance(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date, run_id: str
) -> Provenance:
    warnings = con.execute(
        """select count(*) from meta.validation_results
           where la_code = ? and extract_date = ? and not success and severity = 'warning'""",
        [la_code, extract_date],
    ).fetchone()
    count = int(warnings[0]) if warnings else 0
    withheld = gating.shown_withheld(con, la_code, extract_date)
    validation = f"passed with {count} warning(s)" if count else "passed"
    if withheld:
        kpis = len({w.kpi_id for w in withheld})
        validation = f"{validation} except for {kpis} KPI(s) withheld"
    return Provenance(
        la_code=la_code,
        la_name=la_name(con, la_code),
        extract_date=extract_date,
        run_id=run_id,
        validation=validation,
        generated_at=dt.datetime.now().replace(microsecond=0),
        withheld=tuple(gating.summary_lines(withheld)),
    )


FIGURES_SCHEMA: dict[str, Any] = {
    "kpi_id": pl.String,
    "label": pl.String,
    "description": pl.String,
    "area": pl.String,
    "unit": pl.String,
    "polarity": pl.String,
    "source": pl.String,
    "available": pl.Boolean,
    "unavailable_reason": pl.String,
    "grain": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "value": pl.Float64,
    "last_year_period_end": pl.Date,
    "last_year_numerator": pl.Float64,
    "last_year_denominator": pl.Float64,
    "last_year_value": pl.Float64,
    "notice_areas": pl.List(pl.String),
    "plan_id": pl.String,
    "target_area": pl.String,
    "target_value": pl.Float64,
    "direction": pl.String,
    "due_date": pl.Date,
    "measure": pl.String,
    "target_measure_value": pl.Float64,
    "met": pl.Boolean,
    "rag": pl.String,
    "trajectory_value": pl.Float64,
    "slow_to_progress": pl.Boolean,
    "status_reason": pl.String,
    "england_value": pl.Float64,
    "england_period_end": pl.Date,
    "sn_code": pl.String,
    "sn_value": pl.Float64,
    "sn_period_end": pl.Date,
}


def kpi_figures(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    definitions: Sequence[KpiDefinition],
    plans: Sequence[Plan] = (),
) -> pl.DataFrame:
    """One row per KPI (in definition order) from one extract: the latest complete month's
    value, the same month a year earlier, the current target with its status, and the England
    and statistical-neighbour benchmarks as at that month (``benchmarks.benchmarks_as_at``).
    Unavailable KPIs keep their row (with the reason), so an output can show ``x`` rather than
    drop them."""
    catalogue = pl.DataFrame(
        {
            "kpi_id": [k.id for k in definitions],
            "label": [k.label for k in definitions],
            "description": [" ".join(k.description.split()) for k in definitions],
            "area": [k.area for k in definitions],
            "unit": [k.unit for k in definitions],
            "polarity": [k.polarity for k in definitions],
            "source": [k.source for k in definitions],
            "notice_areas": [list(k.notice_areas) for k in definitions],
            "order": list(range(len(definitions))),
        }
    )
    con.register("_figures_catalogue", catalogue)
    try:
        frame = con.execute(
            """
            with latest as (
                select kpi_id, max(period_end) as period_end from kpi.kpi_values
                where la_code = $la and extract_date = $extract and grain = $grain
                  and period_end <= $extract
                group by kpi_id
            ),
            this_period as (
                select v.kpi_id, v.period_start, v.period_end, v.numerator, v.denominator, v.value
                from kpi.kpi_values v join latest using (kpi_id, period_end)
                where v.la_code = $la and v.extract_date = $extract and v.grain = $grain
            ),
            last_year as (
                select t.kpi_id, v.period_end, v.numerator, v.denominator, v.value
                from this_period t join kpi.kpi_values v
                  on v.kpi_id = t.kpi_id
                 and v.period_end = last_day(t.period_end - interval 12 month)
                where v.la_code = $la and v.extract_date = $extract and v.grain = $grain
            ),
            status as (
                select * from kpi.kpi_status
                where la_code = $la and extract_date = $extract and is_current_target
                qualify row_number() over (
                    partition by kpi_id
                    order by as_at_date desc, due_date, plan_id
                ) = 1
            ),
            availability as (
                select kpi_id, available, reason from kpi.kpi_availability
                where la_code = $la and extract_date = $extract
            )
            select
                c.kpi_id, c.label, c.description, c.area, c.unit, c.polarity, c.source,
                c.notice_areas,
                coalesce(a.available, false) as available,
                case when not coalesce(a.available, false)
                     then coalesce(a.reason, 'not computed for this extract') end
                    as unavailable_reason,
                $grain as grain,
                t.period_start, t.period_end, t.numerator, t.denominator, t.value,
                y.period_end as last_year_period_end, y.numerator as last_year_numerator,
                y.denominator as last_year_denominator, y.value as last_year_value,
                s.plan_id, s.target_value, s.direction, s.due_date,
                s.measure, s.value as target_measure_value, s.met, s.rag, s.trajectory_value,
                s.slow_to_progress, s.reason as status_reason
            from _figures_catalogue c
            left join availability a using (kpi_id)
            left join this_period t using (kpi_id)
            left join last_year y using (kpi_id)
            left join status s using (kpi_id)
            order by c."order"
            """,
            {"la": la_code, "extract": extract_date, "grain": REPORT_GRAIN},
        ).pl()
    finally:
        con.unregister("_figures_catalogue")
    # Benchmarks as at the figure's own period (a KPI with no value: the report's month).
    report_period = frame["period_end"].max()
    periods = frame.select(
        "kpi_id", pl.col("period_end").fill_null(pl.lit(report_period, pl.Date)).alias("period_end")
    )
    frame = frame.join(benchmarks.benchmarks_as_at(con, la_code, periods), on="kpi_id", how="left")
    area_of = {(t.plan_id, t.kpi_id, t.due): t.area for plan in plans for t in plan.targets}
    target_area = [
        area_of.get((r["plan_id"], r["kpi_id"], r["due_date"]))
        for r in frame.select("plan_id", "kpi_id", "due_date").iter_rows(named=True)
    ]
    return frame.with_columns(pl.Series("target_area", target_area, pl.String)).select(
        [pl.col(name).cast(dtype) for name, dtype in FIGURES_SCHEMA.items()]
    )
