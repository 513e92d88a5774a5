"""The board report's read step: the warehouse's figures and status rows of one extract, as the
report's content (``content.BoardContent``). Nothing here lays anything out."""

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import Any

import duckdb
import polars as pl

from pipelines.lib import formatting
from pipelines.lib.kpi import eras
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.milestones import milestones
from pipelines.lib.kpi.targets import Plan, Target
from pipelines.lib.publish.board.content import (
    CADENCES,
    HISTORY_MONTHS,
    AreaPage,
    Benchmarks,
    BoardContent,
    EvidenceRow,
    HistoryPoint,
    PlanNote,
    TargetRow,
)
from pipelines.lib.publish.figures import Provenance


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def report_month_end(extract_date: dt.date) -> dt.date:
    """The latest complete month of an extract: its own month when it is dated on the month end,
    else the month before (the figures' latest month value ends on or before the extract)."""
    if extract_date == month_end(extract_date):
        return extract_date
    return extract_date.replace(day=1) - dt.timedelta(days=1)


def month_ends_back(end: dt.date, count: int) -> list[dt.date]:
    """``count`` month ends up to ``end``, oldest first."""
    found = [end]
    while len(found) < count:
        found.append(found[-1].replace(day=1) - dt.timedelta(days=1))
    return found[::-1]


def _benchmarks(row: dict[str, Any]) -> Benchmarks:
    return Benchmarks(
        last_year_period_end=row.get("last_year_period_end"),
        last_year_value=row.get("last_year_value"),
        england_value=row.get("england_value"),
        england_period_end=row.get("england_period_end"),
        sn_value=row.get("sn_value"),
        sn_period_end=row.get("sn_period_end"),
    )


def _current_status(
    status: pl.DataFrame, targets: Sequence[Target], on: dt.date
) -> tuple[Target, dict[str, Any] | None]:
    """The area's target of a KPI in force at the end of the reported month, with its latest
    status row. ``is_current_target`` decides, as in the shared figures; when the LA's plans
    give the KPI targets elsewhere too, the next due of this area's targets (else its last)."""
    ids = {t.target_id: t for t in targets}
    rows = (
        status.filter(pl.col("target_id").is_in(list(ids)) & (pl.col("as_at_date") <= on))
        .sort(["as_at_date", "due_date"], descending=[True, False])
        .to_dicts()
    )
    current = next((r for r in rows if r["is_current_target"]), None)
    if current is not None:
        return ids[current["target_id"]], current
    ordered = sorted(targets, key=lambda t: t.due)
    target = next((t for t in ordered if t.due >= on), ordered[-1])
    return target, next((r for r in rows if r["target_id"] == target.target_id), None)


def _target_row(
    plan: Plan,
    area_id: str,
    targets: Sequence[Target],
    figure: dict[str, Any] | None,
    status: pl.DataFrame,
    period_end: dt.date,
    months: Sequence[dt.date],
    definition: KpiDefinition | None,
) -> TargetRow:
    target, row = _current_status(status, targets, period_end)
    # Each month as it was judged then: by the milestone in force at that month end (the next
    # one due), with that milestone's measure, not by the one in force now.
    in_force = status.filter(
        pl.col("target_id").is_in([t.target_id for t in targets]) & pl.col("is_current_target")
    )
    history_rows = {r["as_at_date"]: r for r in in_force.to_dicts()}
    history = tuple(
        HistoryPoint(
            day,
            (history_rows.get(day) or {}).get("value"),
            (history_rows.get(day) or {}).get("rag"),
            (history_rows.get(day) or {}).get("target_value"),
        )
        for day in months
    )
    figure = figure or {}
    available = bool(figure.get("available"))
    if row is not None:
        reason = row["reason"] or ""
    elif not available:
        reason = eras.availability_text(figure.get("unavailable_reason") or "KPI not defined")
    else:
        reason = "no status for this month"
    return TargetRow(
        kpi_id=target.kpi_id,
        label=definition.label if definition else target.kpi_id,
        unit=definition.unit if definition else "ratio",
        plan_id=plan.id,
        area_id=area_id,
        area_title=plan.areas[area_id],
        available=available,
        unavailable_reason=figure.get("unavailable_reason"),
        period_end=figure.get("period_end"),
        value=figure.get("value"),
        target_value=row["target_value"] if row else target.value,
        direction=target.direction,
        due_date=target.due,
        measure=target.measure,
        quote=target.quote,
        measure_value=row["value"] if row else None,
        met=row["met"] if row else None,
        rag=row["rag"] if row else None,
        trajectory_value=row["trajectory_value"] if row else None,
        slow_to_progress=bool(row and row["slow_to_progress"]),
        reason=reason,
        benchmarks=_benchmarks(figure),
        history=history,
    )


def board_content(
    kpi_figures: pl.DataFrame,
    status: pl.DataFrame,
    plans: Sequence[Plan],
    definitions: Sequence[KpiDefinition],
    provenance: Provenance,
    cadence: str = "monthly",
) -> BoardContent:
    """The report's content from the shared figures (``figures.kpi_figures``) and the LA's
    ``kpi.kpi_status`` rows of the same extract, for the LA's plans in their la.yaml order."""
    if cadence not in CADENCES:
        raise ValueError(f"cadence must be one of {', '.join(CADENCES)}, not {cadence!r}")
    extract_date = provenance.extract_date
    period_end = report_month_end(extract_date)
    months = tuple(month_ends_back(period_end, HISTORY_MONTHS))
    by_id = {k.id: k for k in definitions}
    figure_of = {r["kpi_id"]: r for r in kpi_figures.to_dicts()}
    areas = []
    for plan in plans:
        for area_id, area_title in plan.areas.items():
            in_area = [t for t in plan.targets if t.area == area_id]
            kpi_ids = list(dict.fromkeys(t.kpi_id for t in in_area))
            rows = [
                _target_row(
                    plan,
                    area_id,
                    [t for t in in_area if t.kpi_id == kpi_id],
                    figure_of.get(kpi_id),
                    status,
                    period_end,
                    months,
                    by_id.get(kpi_id),
                )
                for kpi_id in kpi_ids
            ]
            evidence = tuple(
                EvidenceRow(
                    kpi_id=k.id,
                    label=k.label,
                    unit=k.unit,
                    available=bool(figure_of.get(k.id, {}).get("available")),
                    unavailable_reason=figure_of.get(k.id, {}).get("unavailable_reason"),
                    period_end=figure_of.get(k.id, {}).get("period_end"),
                    value=figure_of.get(k.id, {}).get("value"),
                    benchmarks=_benchmarks(figure_of.get(k.id, {})),
                )
                for k in definitions
                if area_id in k.notice_areas and k.id not in kpi_ids
            )
            areas.append(
                AreaPage(
                    plan_id=plan.id,
                    area_id=area_id,
                    title=area_title,
                    # sorted() is stable: within each group the plan's order stays.
                    targets=tuple(sorted(rows, key=lambda r: not r.slow_to_progress)),
                    evidence=evidence,
                )
            )
    title, period_word = CADENCES[cadence]
    period_text = (
        f"{period_word} for {period_end:%B %Y} (the latest complete month)"
        if cadence == "monthly"
        else f"{period_word} on the extract of {formatting.long_date(extract_date)}: figures to "
        f"the end of {period_end:%B %Y} (the latest complete month)"
    )
    return BoardContent(
        la_code=provenance.la_code,
        la_name=provenance.la_name,
        cadence=cadence,
        title=title,
        period_text=period_text,
        period_end=period_end,
        extract_date=extract_date,
        plans=tuple(PlanNote(p.title, p.issued, p.set_by, p.illustrative) for p in plans),
        areas=tuple(areas),
        history_months=months,
        footer=provenance.footer(),
        milestones=tuple(
            m
            for plan in plans
            for m in milestones(
                status,
                plan.targets,
                {k.id: k.unit for k in definitions},
                {k.id: k.label for k in definitions},
                period_end,
            )
        ),
    )


def read_status(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> pl.DataFrame:
    """The LA's status rows of one extract (every target, every month end)."""
    return con.execute(
        """select plan_id, target_id, kpi_id, as_at_date, due_date, is_current_target, value,
                  target_value, met, rag, trajectory_value, slow_to_progress, reason
           from kpi.kpi_status where la_code = ? and extract_date = ?""",
        [la_code, extract_date],
    ).pl()
