"""Where each KPI stands against its targets: value by the target's measure, met, RAG,
trajectory and "slow to progress", at every month end of the series.

Rules (kpi-catalogue.md, "Status of a KPI against a target"):

- each target (milestone) is scored by its own measure (in the month, cumulative over the
  quarter, the 12 months to the date, year to date, at the month end) at every month end, and
  on its due date that score is the milestone's result;
- the target *in force* at a month end (``is_current_target``) is the next one due on or after
  it (else the last): a month between two milestones is judged against the next milestone, by
  the measure that milestone states;
- met: the value is at least (or at most) the target, by the target's measure;
- RAG: green when met, amber when on the wrong side by no more than the tolerance band, red when
  worse; the band is the target's or plan's ``tolerance`` (``targets.Tolerance``), by default
  10% of the target value (relative, so more than double an "at most" target is always red);
- trajectory: a straight line from the baseline through each target of the KPI in date order
  (flat after the last one);
- slow to progress, while the target is ahead: the value is worse than the trajectory, or a
  straight-line forecast of the last 12 monthly values misses the target at its due date;
  once the due date has passed: the target was not met.
"""

import datetime as dt
import itertools
from collections.abc import Sequence

import numpy as np
import polars as pl

from pipelines.lib import formatting
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.targets import DEFAULT_TOLERANCE, Target

STATUS_SCHEMA = {
    "la_code": pl.String,
    "plan_id": pl.String,
    "target_id": pl.String,
    "kpi_id": pl.String,
    "as_at_date": pl.Date,
    "measure": pl.String,
    "value": pl.Float64,
    "target_value": pl.Float64,
    "direction": pl.String,
    "due_date": pl.Date,
    "is_due": pl.Boolean,
    "is_current_target": pl.Boolean,
    "met": pl.Boolean,
    "rag": pl.String,
    "tolerance": pl.Float64,
    "trajectory_value": pl.Float64,
    "forecast_at_due": pl.Float64,
    "slow_to_progress": pl.Boolean,
    "reason": pl.String,
    "extract_date": pl.Date,
}
FORECAST_POINTS = 12


def _scale(unit: str) -> float:
    return {"percent": 100.0, "rate_per_10k": 10000.0}.get(unit, 1.0)


def measure_series(values: pl.DataFrame, kpi: KpiDefinition, measure: str) -> dict[dt.date, float]:
    """The KPI's value at each month end by a target's measure."""
    rows = values.filter(pl.col("kpi_id") == kpi.id)
    if measure in ("in_month", "snapshot"):
        picked = rows.filter(pl.col("grain") == "month")
    elif measure in ("rolling_12m", "ytd"):
        picked = rows.filter(pl.col("grain") == measure)
    elif measure == "in_quarter":
        quarters = rows.filter(pl.col("grain") == "quarter").sort("period_end")
        months = rows.filter(pl.col("grain") == "month").select("period_end")
        # At a month end, the latest complete quarter.
        picked = months.sort("period_end").join_asof(
            quarters.select("period_end", "value").rename({"period_end": "q_end"}),
            left_on="period_end",
            right_on="q_end",
        )
    elif measure == "cumulative_quarter":
        months = rows.filter(pl.col("grain") == "month").sort("period_end")
        quarter = pl.col("period_end").dt.truncate("3mo")
        cumulative = months.with_columns(
            n=pl.col("numerator").fill_null(0).cum_sum().over(quarter),
            d=pl.col("denominator").fill_null(0).cum_sum().over(quarter),
        )
        if kpi.denominator == "none":
            picked = cumulative.with_columns(value=pl.col("n"))
        else:
            picked = cumulative.with_columns(
                value=pl.when(pl.col("d") > 0).then(_scale(kpi.unit) * pl.col("n") / pl.col("d"))
            )
    else:
        raise ValueError(f"unknown measure {measure}")
    return {
        r["period_end"]: r["value"]
        for r in picked.select("period_end", "value").iter_rows(named=True)
        if r["value"] is not None
    }


def _better(value: float, than: float, direction: str) -> bool:
    return value >= than if direction == "at_least" else value <= than


def _tolerance(target: Target, target_value: float) -> float:
    """The amber band, in the KPI's unit, on the wrong side of ``target_value``."""
    return (target.tolerance or DEFAULT_TOLERANCE).band(target_value)


def rag(value: float, target_value: float, direction: str, band: float) -> str:
    if _better(value, target_value, direction):
        return "green"
    return "amber" if abs(value - target_value) <= band else "red"


def _interpolate(points: list[tuple[dt.date, float]], day: dt.date) -> float | None:
    if not points or day < points[0][0]:
        return None
    for (d0, v0), (d1, v1) in itertools.pairwise(points):
        if d0 <= day <= d1:
            span = (d1 - d0).days
            return v1 if span == 0 else v0 + (v1 - v0) * (day - d0).days / span
    return points[-1][1]


def _forecast(series: dict[dt.date, float], day: dt.date, due: dt.date) -> tuple[float, int] | None:
    """The least-squares line through the last (at most ``FORECAST_POINTS``) months' values,
    extended to the due date, and how many months it was drawn through (at least 3)."""
    history = sorted((d, v) for d, v in series.items() if d <= day)[-FORECAST_POINTS:]
    if len(history) < 3:
        return None
    x = np.array([(d - history[0][0]).days for d, _ in history], dtype=float)
    y = np.array([v for _, v in history], dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    return float(intercept + slope * (due - history[0][0]).days), len(history)


def in_force(ordered: Sequence[Target], day: dt.date) -> Target:
    """The target in force on ``day`` among one KPI's targets in due-date order: the next due on
    or after it, else the last (the rule of ``is_current_target``)."""
    return next((t for t in ordered if t.due >= day), ordered[-1])


def current_targets(
    targets: Sequence[Target], values: pl.DataFrame, on: dt.date, parameters: dict[str, float]
) -> dict[str, float]:
    """Per KPI, the value of the target in force on a date (a KPI whose target in force has no
    value set is left out)."""
    found: dict[str, float] = {}
    for kpi_id in {t.kpi_id for t in targets}:
        ordered = sorted((t for t in targets if t.kpi_id == kpi_id), key=lambda t: t.due)
        value = resolve_target_value(in_force(ordered, on), values, parameters)
        if value is not None:
            found[kpi_id] = value
    return found


def resolve_target_value(
    target: Target, values: pl.DataFrame, parameters: dict[str, float]
) -> float | None:
    if target.value is not None:
        return target.value
    if target.value_parameter and target.value_parameter in parameters:
        return parameters[target.value_parameter]
    if target.value_from:
        grain, period_end = target.value_from
        found = values.filter(
            (pl.col("kpi_id") == target.kpi_id)
            & (pl.col("grain") == grain)
            & (pl.col("period_end") == period_end)
        )
        if found.height and found["value"][0] is not None:
            return float(found["value"][0])
    return None


def compute_status(
    la_code: str,
    extract_date: dt.date,
    values: pl.DataFrame,
    definitions: Sequence[KpiDefinition],
    targets: Sequence[Target],
    parameters: dict[str, float] | None = None,
) -> pl.DataFrame:
    """Status rows for one LA from its KPI values of one extract."""
    by_id = {k.id: k for k in definitions}
    rows: list[dict[str, object]] = []
    for kpi_id in sorted({t.kpi_id for t in targets}):
        kpi = by_id.get(kpi_id)
        if kpi is None:
            continue
        kpi_targets = sorted((t for t in targets if t.kpi_id == kpi_id), key=lambda t: t.due)
        resolved = {
            t.target_id: resolve_target_value(t, values, parameters or {}) for t in kpi_targets
        }
        # The trajectory runs from the baseline through every target in date order.
        baseline = next((t for t in kpi_targets if t.baseline_date), None)
        points: list[tuple[dt.date, float]] = []
        if baseline and baseline.baseline_date:
            base_value = baseline.baseline_value
            if base_value is None:
                base_value = measure_series(values, kpi, baseline.measure).get(
                    baseline.baseline_date
                )
            if base_value is not None:
                points.append((baseline.baseline_date, base_value))
        points += [(t.due, v) for t in kpi_targets if (v := resolved[t.target_id]) is not None]
        month_ends = sorted(
            values.filter((pl.col("kpi_id") == kpi_id) & (pl.col("grain") == "month"))[
                "period_end"
            ].to_list()
        )
        for target in kpi_targets:
            target_value = resolved[target.target_id]
            series = measure_series(values, kpi, target.measure)
            for day in month_ends:
                if day > extract_date:
                    continue
                current = in_force(kpi_targets, day)
                value = series.get(day)
                row: dict[str, object] = {
                    "la_code": la_code,
                    "plan_id": target.plan_id,
                    "target_id": target.target_id,
                    "kpi_id": kpi_id,
                    "as_at_date": day,
                    "measure": target.measure,
                    "value": formatting.stored(value),
                    "target_value": formatting.stored(target_value),
                    "direction": target.direction,
                    "due_date": target.due,
                    "is_due": day >= target.due,
                    "is_current_target": current.target_id == target.target_id,
                    "trajectory_value": formatting.stored(_interpolate(points, day)),
                    "extract_date": extract_date,
                }
                row.update(_judge(kpi, target, target_value, value, day, series, row))
                rows.append(row)
    return pl.DataFrame(rows, schema=STATUS_SCHEMA)


def _judge(
    kpi: KpiDefinition,
    target: Target,
    target_value: float | None,
    value: float | None,
    day: dt.date,
    series: dict[dt.date, float],
    row: dict[str, object],
) -> dict[str, object]:
    if target_value is None:
        return {"reason": "no target value set (see la.yaml target_parameters)"}
    tolerance = formatting.stored(_tolerance(target, target_value))
    if value is None:
        return {"tolerance": tolerance, "reason": "no value for this month"}
    unit = kpi.unit
    met = _better(value, target_value, target.direction)
    goal = formatting.target_text(target_value, unit, target.direction, target.due)
    result: dict[str, object] = {
        "met": met,
        "rag": rag(value, target_value, target.direction, tolerance or 0.0),
        "tolerance": tolerance,
    }
    standing = formatting.against_target(value, target_value, unit, target.direction)
    if day >= target.due:
        result["slow_to_progress"] = not met
        result["reason"] = (
            f"{'met' if met else 'not met'} on {target.due:%d %b %Y}: {standing}"
            if day == target.due
            else f"{'met' if met else 'not met'}: {standing} ({goal})"
        )
        return result
    # "Slow" names what is behind; "on track" names what shows it (a board reading RED beside
    # "on track" can check why), and with nothing to show it the status says so.
    reasons: list[str] = []
    evidence: list[str] = []
    value_text = formatting.value_text(value, unit)
    if met:
        evidence.append(f"{value_text} already meets it")
    trajectory = row["trajectory_value"]
    if isinstance(trajectory, float):
        if value == trajectory:
            where = "level with"
        else:
            where = "ahead of" if _better(value, trajectory, target.direction) else "behind"
        now = formatting.value_text(trajectory, unit)
        text = f"{value_text} is {where} the trajectory ({now} now)"
        (reasons if where == "behind" else evidence).append(text)
    forecast = _forecast(series, day, target.due)
    result["forecast_at_due"] = formatting.stored(forecast[0] if forecast else None)
    if forecast is not None:
        reaches, months = forecast
        text = (
            f"the trend of the last {months} months reaches {formatting.value_text(reaches, unit)}"
        )
        (evidence if _better(reaches, target_value, target.direction) else reasons).append(text)
    result["slow_to_progress"] = bool(reasons)
    if reasons:
        result["reason"] = f"slow to progress towards {goal}: " + "; ".join(reasons)
    elif evidence:
        result["reason"] = f"on track towards {goal}: " + "; ".join(evidence)
    else:
        result["reason"] = (
            f"too early to judge progress towards {goal}: no trajectory and fewer than 3 "
            "months of values"
        )
    return result
