"""An XmR (SPC) chart of one KPI series, as the weekly clinic reads it, or a run chart.

One colour scale serves every layer, so the legend explains points (variation) and reference
lines (target, trajectory, benchmarks) together. The series' ``chart_type`` (see
``pipelines.lib.kpi.spc``) decides what is drawn: ``xmr`` draws each segment's mean and limits
as steps (a line per segment), with a labelled rule where limits were recalculated; ``run_chart``
draws the values alone, one colour, with no limits. ``values_only`` series are not charted.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import polars as pl
from altair.utils.schemapi import debug_mode

VARIATION_COLOURS = {
    "common_cause": "#7f7f7f",
    "improvement": "#1f77b4",
    "concern": "#ff7f0e",
    "neutral": "#9467bd",
    "too_few_points": "#bdbdbd",
    "run_chart": "#505a5f",
}
VARIATION_LABELS = {
    "common_cause": "Common cause",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause: neutral",
    "too_few_points": "Too few points for limits",
    "run_chart": "Value (run chart: no process limits)",
}
REFERENCE_COLOURS = {
    "Target": "#2ca02c",
    "Trajectory": "#98df8a",
    "England": "#8c564b",
    "Statistical neighbours": "#e377c2",
}
UNIT_TITLES = {
    "percent": "%",
    "rate_per_10k": "per 10,000 children",
    "weeks": "weeks",
    "days": "days per FTE",
    "ratio": "",
    "count": "",
}


@dataclass(frozen=True)
class TargetStep:
    """A target level that applies from ``start`` until it is due."""

    start: dt.date
    due: dt.date
    value: float
    label: str


@dataclass(frozen=True)
class Benchmark:
    name: str  # "England" or "Statistical neighbours"
    value: float
    period_end: dt.date


def benchmark_rows(days: Sequence[dt.date], benchmarks: Sequence[Benchmark]) -> list[dict]:
    """Each benchmark's line runs from the first point whose period ends on or after the
    benchmark's own period end to the last point: a figure is never drawn beside points from
    before it was published for (a 2023-24 England figure does not sit beside 2022 weeks)."""
    rows = []
    for b in benchmarks:
        beside = [day for day in days if day >= b.period_end]
        label = f"{b.name} ({b.period_end:%b %Y}): {b.value:g}"
        rows += [
            {"period_end": day.isoformat(), "value": b.value, "key": b.name, "label": label}
            for day in sorted({min(beside), max(beside)} if beside else set())
        ]
    return rows


def _colour_scale() -> alt.Scale:
    domain = [VARIATION_LABELS[k] for k in VARIATION_COLOURS] + list(REFERENCE_COLOURS)
    return alt.Scale(
        domain=domain, range=list(VARIATION_COLOURS.values()) + list(REFERENCE_COLOURS.values())
    )


def xmr_spec(
    spc: pl.DataFrame,
    title: str,
    unit: str = "",
    *,
    targets: Sequence[TargetStep] = (),
    trajectory: pl.DataFrame | None = None,
    benchmarks: Sequence[Benchmark] = (),
    description: str = "",
    period: str = "Week",
) -> dict[str, Any]:
    """The Vega-Lite spec of :func:`xmr_chart`, without schema validation: Altair checks every
    object it makes against the schema (on by default), which cost more than drawing the chart.
    The chart code is tested; the same spec validates (``xmr_chart(...).to_dict()``)."""
    with debug_mode(False):
        chart = xmr_chart(
            spc, title, unit, targets=targets, trajectory=trajectory, benchmarks=benchmarks,
            description=description, period=period,
        )  # fmt: skip
        return chart.to_dict(validate=False)


def xmr_chart(
    spc: pl.DataFrame,
    title: str,
    unit: str = "",
    *,
    targets: Sequence[TargetStep] = (),
    trajectory: pl.DataFrame | None = None,
    benchmarks: Sequence[Benchmark] = (),
    description: str = "",
    period: str = "Week",
) -> alt.LayerChart | alt.FacetChart:
    """Points coloured by variation; the mean and process limits (dashed when trial limits); the
    target as a step line to its due dates; the trajectory; England and statistical-neighbour
    benchmarks as labelled reference lines. ``period`` names the points on the axis and in the
    tooltips ("Week" ending, "Month" ending)."""
    scale = _colour_scale()
    run_chart = bool(spc.height) and spc["chart_type"][0] == "run_chart"
    spc = spc.with_columns(pl.col("variation").fill_null("run_chart"))
    present = [VARIATION_LABELS[k] for k in VARIATION_COLOURS if k in set(spc["variation"])]
    present += ["Target"] if targets else []
    present += ["Trajectory"] if trajectory is not None and trajectory.height else []
    present += [b.name for b in benchmarks]
    legend = alt.Legend(title=None, orient="bottom", columns=4, values=present)
    # Limits beyond what the measure can take (below 0, above 100%) are drawn at the bound.
    ceiling = 100.0 if unit == "percent" else None
    spc = spc.with_columns(
        pl.col("lower_process_limit").clip(lower_bound=0.0),
        pl.col("upper_process_limit").clip(upper_bound=ceiling),
    )
    # The series is the layered chart's own data, shared by its layers: data on each layer was
    # copied with every layer and converted through pandas, most of the time a pack took.
    data = spc.select(
        "period_end", "value", "mean", "upper_process_limit", "lower_process_limit",
        "variation", "special_cause_rule", "trial_limits",
        pl.col("segment_start").cast(pl.String),
    ).with_columns(
        pl.col("variation").replace_strict(VARIATION_LABELS, default="Common cause").alias("key"),
        pl.when(pl.col("trial_limits")).then(pl.lit("trial limits (fewer than 12 points)"))
        .otherwise(pl.lit("process limits")).alias("limits"),
        pl.col("period_end").cast(pl.String),
    ).to_dicts()  # fmt: skip
    y_title = UNIT_TITLES.get(unit, unit)
    # Channels are built as objects, not shorthand strings: Altair parses each string by
    # rebuilding its table of schema classes.
    ending = f"{period} ending"
    x = alt.X("period_end:T", title=ending)
    y_value = alt.Y("value:Q")
    colour = alt.Color("key:N", scale=scale, legend=legend)
    base = alt.Chart().encode(x=x)
    # One line per segment: limits recalculated at a date show as a step, not a slope.
    segment = alt.Detail("segment_start:N")
    layers: list[alt.Chart] = [
        base.mark_line(color="#c7c7c7").encode(
            y=alt.Y("value:Q", title=y_title or None, scale=alt.Scale(zero=False))
        )
    ]
    if not run_chart:
        layers += [base.mark_line(color="#444444").encode(y=alt.Y("mean:Q"), detail=segment)]
        layers += _rebase_rules(spc)
    for column in ("upper_process_limit", "lower_process_limit") * (not run_chart):
        layers.append(
            base.mark_line(color="#d62728").encode(
                y=alt.Y(f"{column}:Q"),
                detail=segment,
                strokeDash=alt.StrokeDash(
                    "limits:N",
                    scale=alt.Scale(
                        domain=["process limits", "trial limits (fewer than 12 points)"],
                        range=[[6, 3], [2, 2]],
                    ),
                    legend=alt.Legend(title=None, orient="bottom"),
                ),
            )
        )
    if trajectory is not None and trajectory.height:
        layers.append(
            alt.Chart(
                alt.InlineData(
                    values=trajectory.select(
                        pl.col("as_at_date").cast(pl.String).alias("period_end"),
                        pl.col("trajectory_value").alias("value"),
                        pl.lit("Trajectory").alias("key"),
                    ).to_dicts()
                )
            )
            .mark_line(strokeDash=[1, 2], strokeWidth=2)
            .encode(
                x=x,
                y=y_value,
                color=colour,
                tooltip=[
                    alt.Tooltip("period_end:T", title="Month ending"),
                    alt.Tooltip("value:Q", title="Trajectory", format=".1f"),
                ],
            )
        )
    if targets:
        steps = [{"period_end": targets[0].start.isoformat(), "value": targets[0].value,
                  "label": targets[0].label}]  # fmt: skip
        steps += [
            {"period_end": t.due.isoformat(), "value": t.value, "label": t.label} for t in targets
        ]
        # The last target stays in force after its due date, to the end of the series.
        series_end = max(spc["period_end"].to_list(), default=None)
        if series_end is not None and series_end > targets[-1].due:
            steps.append({"period_end": series_end.isoformat(), "value": targets[-1].value,
                          "label": targets[-1].label})  # fmt: skip
        for step in steps:
            step["key"] = "Target"
        target_base = alt.Chart(alt.InlineData(values=steps)).encode(x=x, y=y_value, color=colour)
        layers.append(target_base.mark_line(interpolate="step-before", strokeWidth=2))
        layers.append(
            alt.Chart(alt.InlineData(values=steps[1 : len(targets) + 1]))
            .mark_point(shape="diamond", filled=True, size=70)
            .encode(
                x=x,
                y=y_value,
                color=colour,
                tooltip=[alt.Tooltip("label:N", title="Target")],
            )
        )
    if benchmarks and spc.height:
        rows = benchmark_rows(spc["period_end"].to_list(), benchmarks)
        bench = alt.Chart(alt.InlineData(values=rows)).encode(x=x, y=y_value, color=colour)
        layers.append(
            bench.mark_line(strokeDash=[8, 3], strokeWidth=1.5).encode(
                detail=alt.Detail("key:N"), tooltip=[alt.Tooltip("label:N", title="Benchmark")]
            )
        )
    layers.append(
        base.mark_circle(size=40, opacity=1).encode(
            y=y_value,
            color=colour,
            tooltip=[
                alt.Tooltip("period_end:T", title=ending),
                alt.Tooltip("value:Q", title="Value", format=",.1f"),
            ]
            + [
                alt.Tooltip("mean:Q", title="Mean", format=",.1f"),
                alt.Tooltip("special_cause_rule:N", title="Special cause"),
            ]
            * (not run_chart),
        )
    )
    return alt.layer(*layers, data=alt.InlineData(values=data)).properties(
        title=title, width=680, height=280, description=description or title
    )


def _rebase_rules(spc: pl.DataFrame) -> list[alt.Chart]:
    """A vertical rule where limits were recalculated, labelled with why: one label a line
    from the top, so labels of nearby rules do not overlap; those in the right half of the chart
    end at their rule instead of starting there, to stay inside it."""
    starts = (
        spc.filter(pl.col("segment_reason").is_not_null())
        .group_by("segment_start", "segment_reason")
        .agg(pl.col("period_end").min())
        .sort("period_end")
    )
    if not starts.height:
        return []
    first, last = spc["period_end"].min(), spc["period_end"].max()
    middle = first + (last - first) / 2  # type: ignore[operator]
    rows = [
        {"period_end": r["period_end"].isoformat(),
         "label": f"limits recalculated: {r['segment_reason']}", "right": r["period_end"] > middle}
        for r in starts.iter_rows(named=True)
    ]  # fmt: skip
    layers = [
        alt.Chart(alt.InlineData(values=rows))
        .mark_rule(color="#505a5f", strokeDash=[2, 2])
        .encode(x=alt.X("period_end:T"), tooltip=[alt.Tooltip("label:N", title="Limits")])
    ]
    for line, row in enumerate(rows):
        layers.append(
            alt.Chart(alt.InlineData(values=[row]))
            .mark_text(align="right" if row["right"] else "left", baseline="top",
                       dx=-3 if row["right"] else 3, y=2 + 11 * line, fontSize=9,
                       color="#505a5f")
            .encode(x=alt.X("period_end:T"), text=alt.Text("label:N"))
        )  # fmt: skip
    return layers
