"""Statistical process control: XmR charts as NHS England's "Making Data Count" (MDC), applied
only where its assumptions hold.

**Which chart** (``chart_type``, with the reason in ``chart_reason``), from the KPI's ``kind``:

- ``xmr`` for ``flow`` KPIs: each week's (month's) value counts that period's own events, so the
  points are separate samples of one process, as XmR assumes.
- ``run_chart`` for ``snapshot`` and ``rolling`` KPIs: a stock at each period end (children on
  plans or in care, caseloads, agency rate) carries most of its units over to the next week, and
  a rolling-12-month value shares 51 of 52 weeks with the one before. Such points are not separate
  samples: their moving ranges are tiny beside their drift, so XmR limits are narrow and almost
  every point would be "special cause". They are drawn as values over time with target,
  trajectory and benchmarks, with no limits and no special-cause colouring (no grain makes them
  independent: a snapshot at any grain is still a stock, and a rolling KPI is 12 months at every
  grain).
- ``values_only`` for any series of fewer than ``MIN_CHART_POINTS`` points: shown as a table.

**XmR** (per segment): centre = mean; moving range mR_t = |x_t - x_(t-1)|; process limits =
mean +/- 2.66 x mean(mR); near-limit zone = beyond 2/3 of that distance (two sigma) but inside
the limits. Special causes, in priority order (a point takes the first rule that flags it):

1. ``outside_limits``: a point beyond a process limit;
2. ``trend``: 7 points in a row all increasing or all decreasing (an equal pair breaks the run);
   every point of the run is flagged;
3. ``two_of_three``: 2 of 3 consecutive points in the near-limit zone, all 3 on one side of the
   mean; only the points in the zone are flagged (as NHSRplotthedots), not the third;
4. ``shift``: 7 points in a row on one side of the mean (a point on the mean breaks the run);
   every point of the run is flagged.

**Segments** (limits recalculated, each segment its own mean and limits; ``segment_reason`` says
why): at each plan's ``issued`` date (the notice), at each date in la.yaml ``spc_changes`` (a
change the analyst recorded), and at a **detected sustained shift**: a run of at least
``REBASE_RUN`` (12) points on one side of the segment's mean that lasts to the segment's end,
with at least ``REBASE_RUN`` points before it in the segment; limits are recalculated from the
run's first point. The run becomes a segment of its own (further steps inside it show as special
causes, for the analyst to record in la.yaml); the part before it is examined again. A change
date places the period ending on or after it in the new segment; a date before the first point
or after the last changes nothing.

**Too few points**: a segment of fewer than ``MIN_XMR_POINTS`` (7, the length the trend and shift
rules need) points gets no limits and no verdict (``variation`` ``too_few_points``); 7 to 11
points give trial limits (MDC: fewer than 12), 12 or more process limits.

**Assurance** (xmr only, from the last segment's limits and the current target):
``consistently_passing`` when the whole process range is on the good side of the target,
``consistently_failing`` when it is all on the bad side, ``hit_and_miss`` otherwise; none without a
target, for neutral KPIs, or when the last segment has too few points.
"""

import datetime as dt
from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

import numpy as np
import polars as pl

LIMIT_FACTOR = 2.66
RUN_LENGTH = 7
TRIAL_BELOW = 12
MIN_XMR_POINTS = 7
MIN_CHART_POINTS = 3
REBASE_RUN = 12
RULES = ("outside_limits", "trend", "two_of_three", "shift")
CHART_REASONS = {
    "flow": "each point counts its own period's events: XmR limits apply",
    "snapshot": "a stock at each period end: successive points share most of the same cases, so "
    "they are drawn as a run chart without process limits or special-cause colouring",
    "rolling": "each point covers the 12 months to its period end and shares almost all of them "
    "with the point before, so they are drawn as a run chart without process limits or "
    "special-cause colouring",
}

SPC_SCHEMA = {
    "la_code": pl.String,
    "kpi_id": pl.String,
    "grain": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "value": pl.Float64,
    "chart_type": pl.String,  # xmr, run_chart or values_only
    "chart_reason": pl.String,
    "segment_start": pl.Date,
    "segment_reason": pl.String,  # why limits were recalculated here; null for the first
    "points_in_segment": pl.Int64,
    "mean": pl.Float64,
    "moving_range": pl.Float64,
    "mean_moving_range": pl.Float64,
    "upper_process_limit": pl.Float64,
    "lower_process_limit": pl.Float64,
    "upper_near_limit": pl.Float64,
    "lower_near_limit": pl.Float64,
    "trial_limits": pl.Boolean,
    "special_cause_rule": pl.String,
    "special_cause_side": pl.String,  # high or low
    # common_cause, improvement, concern, neutral, too_few_points; null unless xmr
    "variation": pl.String,
    "target_value": pl.Float64,
    "assurance": pl.String,
    "extract_date": pl.Date,
}
_COMPUTED = [k for k in SPC_SCHEMA if k not in ("la_code", "kpi_id", "grain", "extract_date",
             "period_start", "period_end", "value", "target_value", "assurance")]  # fmt: skip


class Rebase(NamedTuple):
    """A date from which limits are recalculated, and why (shown on the chart)."""

    date: dt.date
    reason: str


def notice_rebases(issued: Sequence[dt.date]) -> list[Rebase]:
    return [Rebase(day, f"notice issued {day:%-d %B %Y}") for day in issued]


def recorded_rebases(dates: Sequence[dt.date]) -> list[Rebase]:
    return [Rebase(day, "change recorded in la.yaml") for day in dates]


def chart_type(kind: str, points: int) -> tuple[str, str]:
    """The treatment of a series of ``points`` values of a KPI of ``kind``, and why."""
    if points < MIN_CHART_POINTS:
        return "values_only", (
            f"{points} value(s): too few to draw as a process (at least {MIN_CHART_POINTS})"
        )
    return ("xmr" if kind == "flow" else "run_chart"), CHART_REASONS[kind]


def same_as_head(kind: str, points: int) -> bool:
    """Whether the first ``points`` points of a longer series of a ``kind`` KPI get the SPC
    columns of the whole series' first ``points`` rows: true of a run chart, which has no limits
    (no point's columns depend on the others); not of XmR, whose limits come from every point,
    nor of a cut too short to chart."""
    return chart_type(kind, points)[0] == "run_chart"


def _runs(flags: np.ndarray, length: int) -> np.ndarray:
    """Mark every element of each run of ``length`` or more consecutive True values."""
    marked = np.zeros(len(flags), dtype=bool)
    start = None
    for i, flag in enumerate([*flags.tolist(), False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= length:
                marked[start:i] = True
            start = None
    return marked


def special_causes(values: Sequence[float] | np.ndarray) -> dict[str, np.ndarray]:
    """Limits and rule flags for one segment (at least 2 points)."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    mean = float(x.mean())
    moving = np.abs(np.diff(x))
    mean_mr = float(moving.mean()) if len(moving) else 0.0
    upper, lower = mean + LIMIT_FACTOR * mean_mr, mean - LIMIT_FACTOR * mean_mr
    upper_near = mean + 2 / 3 * LIMIT_FACTOR * mean_mr
    lower_near = mean - 2 / 3 * LIMIT_FACTOR * mean_mr

    outside = (x > upper) | (x < lower)
    diffs = np.sign(np.diff(x))
    # A run of 7 points is 6 consecutive differences of one sign; mark the points.
    trend_high = np.zeros(n, dtype=bool)
    trend_low = np.zeros(n, dtype=bool)
    for sign, marked in ((1, trend_high), (-1, trend_low)):
        steps = _runs(diffs == sign, RUN_LENGTH - 1)
        for step in np.flatnonzero(steps).tolist():
            marked[step] = marked[step + 1] = True
    side = np.sign(x - mean)
    near = ~outside & ((x > upper_near) | (x < lower_near))
    two_of_three = np.zeros(n, dtype=bool)
    for i in range(n - 2):
        window = slice(i, i + 3)
        if abs(side[window].sum()) == 3 and near[window].sum() >= 2:
            # Only the points beyond two sigma are the signal, not the third of the window.
            two_of_three[window] |= near[window]
    shift = _runs(side > 0, RUN_LENGTH) | _runs(side < 0, RUN_LENGTH)
    return {
        "mean": np.full(n, mean),
        "mean_moving_range": np.full(n, mean_mr),
        "moving_range": np.concatenate([[np.nan], moving]),
        "upper": np.full(n, upper),
        "lower": np.full(n, lower),
        "upper_near": np.full(n, upper_near),
        "lower_near": np.full(n, lower_near),
        "outside_limits": outside,
        "trend": trend_high | trend_low,
        "trend_high": trend_high,
        "two_of_three": two_of_three,
        "shift": shift,
    }


def _sustained_shift(x: np.ndarray) -> tuple[int, int, bool] | None:
    """(offset of the run's first point, run length, above the mean) of a run of at least
    ``REBASE_RUN`` points on one side of ``x``'s mean that reaches its last point and has at
    least ``REBASE_RUN`` points before it; None when there is none."""
    if len(x) < 2 * REBASE_RUN:
        return None
    side = np.sign(x - x.mean())
    if side[-1] == 0:
        return None
    other = np.flatnonzero(side != side[-1])
    run = len(x) - 1 - int(other[-1]) if other.size else len(x)
    if run >= REBASE_RUN and len(x) - run >= REBASE_RUN:
        return len(x) - run, run, bool(side[-1] > 0)
    return None


def segments(
    ends: Sequence[dt.date], values: np.ndarray, rebases: Sequence[Rebase], detect: bool = True
) -> list[tuple[int, int, str | None]]:
    """(first index, index after the last, why limits start here) of each segment."""
    starts: dict[int, list[str]] = {}
    for change in sorted(rebases):
        first = next((i for i, end in enumerate(ends) if end >= change.date), None)
        if first:  # a date before the first point (0) or after the last (None) changes nothing
            starts.setdefault(first, []).append(change.reason)
    bounds = [0, *sorted(starts), len(ends)]
    found = [(a, b, "; ".join(starts[a]) if a in starts else None) for a, b in pairwise(bounds)]
    # A segment that starts at a detected shift is the run itself, and stays as found (its label
    # counts its points); any other is examined until no sustained shift is left in it.
    detected: set[int] = set()
    i = 0
    while detect and i < len(found):
        start, stop, why = found[i]
        shift = None if start in detected else _sustained_shift(values[start:stop])
        if shift is None:
            i += 1
            continue
        offset, run, above = shift
        first = start + offset
        reason = (
            f"shift detected ({run} points {'above' if above else 'below'} the mean "
            f"from {ends[first]:%-d %b %Y})"
        )
        # The earlier part is examined again: its mean changed.
        detected.add(first)
        found[i : i + 1] = [(start, first, why), (first, stop, reason)]
    return found


def _variation(rule: str | None, high: bool, polarity: str) -> str:
    if rule is None:
        return "common_cause"
    if polarity == "neutral":
        return "neutral"
    return "improvement" if high == (polarity == "up") else "concern"


def assurance(polarity: str, target: float | None, upper: float, lower: float) -> str | None:
    if target is None or polarity == "neutral" or np.isnan(upper):
        return None
    # Mirror "lower is better" onto "higher is better".
    if polarity == "down":
        target, upper, lower = -target, -lower, -upper
    if target > upper:
        return "consistently_failing"
    if target < lower:
        return "consistently_passing"
    return "hit_and_miss"


_STATS = {"mean": "mean", "mean_moving_range": "mean_moving_range",
          "upper_process_limit": "upper", "lower_process_limit": "lower",
          "upper_near_limit": "upper_near", "lower_near_limit": "lower_near"}  # fmt: skip


def _xmr_columns(
    series: pl.DataFrame, polarity: str, rebases: Sequence[Rebase]
) -> dict[str, list[object]]:
    ends = series["period_end"].to_list()
    starts = series["period_start"].to_list()
    values = series["value"].to_numpy().astype(float)
    columns: dict[str, list[object]] = {k: [] for k in _COMPUTED}
    for start, stop, why in segments(ends, values, rebases):
        n = stop - start
        columns["segment_start"] += [starts[start]] * n
        columns["segment_reason"] += [why] * n
        columns["points_in_segment"] += [n] * n
        columns["trial_limits"] += [n < TRIAL_BELOW] * n
        if n < MIN_XMR_POINTS:
            for key in (*_STATS, "moving_range", "special_cause_rule", "special_cause_side"):
                columns[key] += [None] * n
            columns["variation"] += ["too_few_points"] * n
            continue
        stats = special_causes(values[start:stop])
        # Each point takes the first rule (in priority order) that flags it.
        rules = np.full(n, None, dtype=object)
        for rule in reversed(RULES):
            rules[stats[rule]] = rule
        # A trend point's side is its run's direction; any other point's, its side of the mean.
        high = np.where(rules == "trend", stats["trend_high"], values[start:stop] > stats["mean"])
        for key, stat in _STATS.items():
            columns[key] += stats[stat].tolist()
        columns["moving_range"] += [None, *stats["moving_range"][1:].tolist()]
        columns["special_cause_rule"] += rules.tolist()
        columns["special_cause_side"] += [
            None if rule is None else "high" if side else "low"
            for rule, side in zip(rules.tolist(), high.tolist(), strict=True)
        ]
        columns["variation"] += [
            _variation(rule, side, polarity)
            for rule, side in zip(rules.tolist(), high.tolist(), strict=True)
        ]
    return columns


def spc_series(
    series: pl.DataFrame,
    polarity: str,
    rebases: Sequence[Rebase] = (),
    target: float | None = None,
    kind: str = "flow",
) -> pl.DataFrame:
    """Add SPC columns to one ordered series with period_start, period_end, value."""
    series = series.filter(pl.col("value").is_not_null()).sort("period_end")
    treatment, why = chart_type(kind, series.height)
    if treatment == "xmr":
        columns = _xmr_columns(series, polarity, rebases)
    else:
        columns = {k: [None] * series.height for k in _COMPUTED}
    columns["chart_type"] = [treatment] * series.height
    columns["chart_reason"] = [why] * series.height
    out = series.with_columns(
        [
            pl.Series(name, data, dtype=SPC_SCHEMA[name], strict=False)
            for name, data in columns.items()
        ]
    )
    return with_assurance(out, polarity, target)


def with_assurance(spc: pl.DataFrame, polarity: str, target: float | None) -> pl.DataFrame:
    """Set ``target_value`` and ``assurance`` (from the last point's segment limits: none when
    that segment has too few points or the series is not an XmR chart)."""
    last = spc.row(-1, named=True) if spc.height else {}
    upper, lower = last.get("upper_process_limit"), last.get("lower_process_limit")
    label = (
        assurance(polarity, target, upper, lower)
        if upper is not None and lower is not None
        else None
    )
    return spc.with_columns(
        target_value=pl.lit(target, dtype=pl.Float64), assurance=pl.lit(label, dtype=pl.String)
    )


def kpi_spc(
    series: pl.DataFrame,
    kind: str,
    polarity: str,
    notices: Sequence[dt.date],
    recorded: Sequence[dt.date],
    target: float | None,
) -> pl.DataFrame:
    """The one way a KPI's series gets its SPC (``kpi.kpi_spc`` and the clinic pack's weeks):
    limits recalculated at each notice's issue date and each date recorded in la.yaml."""
    rebases = [*notice_rebases(notices), *recorded_rebases(recorded)]
    return spc_series(series, polarity, rebases, target, kind)
