"""What a weekly clinic pack shows, read from the warehouse (see ``clinic``).

The pack for a week uses the first extract (with KPIs computed) dated on or after the week's
Sunday, so the whole week was known; its weekly series stops at that Sunday. KPI values, status,
trajectories, availability and benchmarks are read from the engine's tables, SPC from
``kpi.kpi_spc`` and ``kpi.kpi_spc_restated`` (``clinic_spc``).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines.lib import formatting
from pipelines.lib.charts.xmr import Benchmark, TargetStep
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.outputs import la_targets, stitched_weeks
from pipelines.lib.kpi.status import resolve_target_value
from pipelines.lib.kpi.targets import Plan, Target
from pipelines.lib.publish import benchmarks as published
from pipelines.lib.publish import clinic_spc, clinic_teams, figures
from pipelines.lib.publish.clinic_page import KpiPage


def week_start(day: dt.date) -> dt.date:
    """The Monday of the last complete week (Monday to Sunday) ending on or before ``day``."""
    last_sunday = day - dt.timedelta(days=(day.weekday() + 1) % 7)
    return last_sunday - dt.timedelta(days=6)


def extract_for_week(con: duckdb.DuckDBPyConnection, la_code: str, week: dt.date) -> dt.date | None:
    """The first extract with KPIs computed that is dated on or after the week's Sunday."""
    row = con.execute(
        """select min(extract_date) from kpi.kpi_runs where la_code = ? and extract_date >= ?""",
        [la_code, week + dt.timedelta(days=6)],
    ).fetchone()
    return row[0] if row else None


def _weekly_series(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    kpi: KpiDefinition,
    extract: dt.date,
    week_end: dt.date,
) -> pl.DataFrame:
    if kpi.per_extract:
        # One value per extract: the series is made of successive extracts' values.
        return stitched_weeks(con, la_code, kpi.id, extract, week_end)
    return con.execute(
        """select period_start, period_end, value from kpi.kpi_values
           where la_code = ? and kpi_id = ? and grain = 'week' and extract_date = ?
             and period_end <= ?
           order by period_end""",
        [la_code, kpi.id, extract, week_end],
    ).pl()


def target_steps(
    targets: Sequence[Target], plans: dict[str, Plan], values: pl.DataFrame,
    parameters: dict[str, float], unit: str,
) -> list[TargetStep]:  # fmt: skip
    """The steps a chart draws for a KPI's targets: each level from the previous due date (the
    first from its plan's issue date) to its own (the clinic's weeks and the board's months)."""
    ordered = sorted(targets, key=lambda t: t.due)
    steps: list[TargetStep] = []
    for target in ordered:
        value = resolve_target_value(target, values, parameters)
        if value is None:
            continue
        start = steps[-1].due if steps else plans[target.plan_id].issued
        steps.append(
            TargetStep(
                start=start,
                due=target.due,
                value=value,
                label=f"{'illustrative: ' if plans[target.plan_id].illustrative else ''}"
                f"{formatting.target_text(value, unit, target.direction, target.due)} "
                f"({target.measure.replace('_', ' ')})",
            )
        )
    return steps


def read_trajectories(
    con: duckdb.DuckDBPyConnection, la_code: str, extract: dt.date, until: dt.date
) -> pl.DataFrame:
    """Each KPI's trajectory to its current target at every month end up to ``until``."""
    return con.execute(
        """select kpi_id, as_at_date, max(trajectory_value) as trajectory_value
           from kpi.kpi_status
           where la_code = ? and extract_date = ? and is_current_target and as_at_date <= ?
             and trajectory_value is not null
           group by all order by kpi_id, as_at_date""",
        [la_code, extract, until],
    ).pl()


def build_pages(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    week: dt.date,
    extract: dt.date,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
) -> list[KpiPage]:
    """Everything the pack shows, KPI by KPI, as at the end of ``week``."""
    week_end = week + dt.timedelta(days=6)
    la_plan_targets, parameters = la_targets(con, la_code, plans)
    values = con.execute(
        "select * from kpi.kpi_values where la_code = ? and extract_date = ?", [la_code, extract]
    ).pl()
    availability = dict(
        con.execute(
            """select kpi_id, case when available then null else reason end
               from kpi.kpi_availability where la_code = ? and extract_date = ?""",
            [la_code, extract],
        ).fetchall()
    )
    status = con.execute(
        """select * from kpi.kpi_status
           where la_code = ? and extract_date = ? and is_current_target
             and as_at_date = (select max(as_at_date) from kpi.kpi_status
                               where la_code = ? and extract_date = ? and as_at_date <= ?)""",
        [la_code, extract, la_code, extract, week_end],
    ).pl()
    trajectories = read_trajectories(con, la_code, extract, week_end)
    # Benchmarks as at the week's end: none published for a later period (the chart draws
    # them across the weeks shown, so a 2011 pack never shows a 2025 England line).
    ids = [k.id for k in definitions]
    as_at = published.benchmarks_as_at(
        con, la_code, pl.DataFrame({"kpi_id": ids, "period_end": [week_end] * len(ids)})
    )
    pages = []
    for kpi in definitions:
        kpi_targets = [t for t in la_plan_targets if t.kpi_id == kpi.id]
        steps = target_steps(kpi_targets, plans, values, parameters, kpi.unit)
        series = _weekly_series(con, la_code, kpi, extract, week_end)
        rows = status.filter(pl.col("kpi_id") == kpi.id).sort("due_date")
        # The engine judged assurance against the target the RAG is judged against.
        spc = clinic_spc.week_spc(con, la_code, kpi, extract, week_end, series)
        row = as_at.filter(pl.col("kpi_id") == kpi.id).row(0, named=True)
        benchmarks = [
            Benchmark(name, row[f"{prefix}_value"], row[f"{prefix}_period_end"])
            for name, _, prefix in published.KINDS
            if row[f"{prefix}_value"] is not None
        ]
        pages.append(
            KpiPage(
                kpi=kpi,
                series=spc,
                targets=steps,
                trajectory=trajectories.filter(pl.col("kpi_id") == kpi.id),
                benchmarks=benchmarks,
                status=rows.row(0, named=True) if rows.height else None,
                unavailable=availability.get(kpi.id, "not computed for this extract"),
            )
        )
    return pages


@dataclass(frozen=True)
class PackContents:
    """Everything a pack shows, read from the warehouse (drawing it needs no connection)."""

    la_code: str
    week: dt.date
    extract: dt.date
    provenance: figures.Provenance
    la_plans: list[Plan]
    pages: list[KpiPage]
    teams: clinic_teams.TeamPages | None = None  # service-area and team pages (None: no KPI)


def read_clinic_pack(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    week: dt.date,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
    run_id: str,
) -> PackContents:
    """What the pack for ``week`` shows (see ``clinic.write_clinic_pack``)."""
    week = week_start(week + dt.timedelta(days=6))
    extract = extract_for_week(con, la_code, week)
    if extract is None:
        raise figures.NotPublishable(
            la_code, None, [f"no extract with KPIs computed covers the week of {week:%d %B %Y}"]
        )
    figures.check_publishable(con, la_code, extract)
    return PackContents(
        la_code,
        week,
        extract,
        figures.provenance(con, la_code, extract, run_id),
        figures.la_plans(con, la_code, plans),
        build_pages(con, la_code, week, extract, definitions, plans),
        clinic_teams.read_team_pages(con, la_code, week, extract, definitions),
    )
