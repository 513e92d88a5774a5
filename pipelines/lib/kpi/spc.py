"""Statistical process control: XmR charts as NHS England's "Making Data Count".

Centre = mean; moving range mR_t = |x_t - x_(t-1)|; process limits = mean +/- 2.66 x mean(mR);
near-limit zone = beyond 2/3 of that distance but inside the limits. Special causes, in priority
order (a point takes the first rule that flags it; every point of a qualifying run is flagged):

1. ``outside_limits``: a point beyond a process limit;
2. ``trend``: 7 points in a row all increasing or all decreasing (an equal pair breaks the run);
3. ``two_of_three``: 2 of 3 consecutive points in the near-limit zone, all 3 on one side of the
   mean;
4. ``shift``: 7 points in a row on one side of the mean (a point on the mean breaks the run).

Fewer than 12 points give trial limits. Limits are recalculated from configured change dates
(la.yaml ``spc_changes``): each segment has its own mean and limits. Assurance compares the last
point's limits with the current target: ``consistently_passing`` when the whole process range is on
the good side, ``consistently_failing`` when it is all on the bad side, ``hit_and_miss`` otherwise.
"""

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl

LIMIT_FACTOR = 2.66
RUN_LENGTH = 7
TRIAL_BELOW = 12
RULES = ("outside_limits", "trend", "two_of_three", "shift")

SPC_SCHEMA = {
    "la_code": pl.String,
    "kpi_id": pl.String,
    "grain": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "value": pl.Float64,
    "segment_start": pl.Date,
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
    "variation": pl.String,  # common_cause, improvement, concern, neutral
    "target_value": pl.Float64,
    "assurance": pl.String,
    "extract_date": pl.Date,
}


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
            two_of_three[window] = True
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


def spc_series(
    series: pl.DataFrame,
    polarity: str,
    change_dates: Sequence[dt.date] = (),
    target: float | None = None,
) -> pl.DataFrame:
    """Add SPC columns to one ordered series with period_start, period_end, value."""
    series = series.filter(pl.col("value").is_not_null()).sort("period_end")
    ends = series["period_end"].to_list()
    values = series["value"].to_numpy().astype(float)
    segment = np.zeros(len(ends), dtype=int)
    for change in sorted(change_dates):
        segment += np.array([end >= change for end in ends], dtype=int)
    columns: dict[str, list[object]] = {k: [] for k in (
        "segment_start", "points_in_segment", "mean", "moving_range", "mean_moving_range",
        "upper_process_limit", "lower_process_limit", "upper_near_limit", "lower_near_limit",
        "trial_limits", "special_cause_rule", "special_cause_side", "variation")}  # fmt: skip
    for seg in sorted(set(segment.tolist())):
        idx = np.flatnonzero(segment == seg)
        x = values[idx]
        stats = special_causes(x) if len(x) >= 2 else None
        for j, i in enumerate(idx):
            columns["segment_start"].append(series["period_start"][int(idx[0])])
            columns["points_in_segment"].append(len(idx))
            columns["trial_limits"].append(len(idx) < TRIAL_BELOW)
            if stats is None:
                for key in ("mean", "moving_range", "mean_moving_range", "upper_process_limit",
                            "lower_process_limit", "upper_near_limit", "lower_near_limit",
                            "special_cause_rule", "special_cause_side"):  # fmt: skip
                    columns[key].append(None)
                columns["variation"].append("common_cause")
                continue
            rule = next((r for r in RULES if stats[r][j]), None)
            # A trend point's side is its run's direction; any other point's, its side of the mean.
            high = bool(stats["trend_high"][j] if rule == "trend" else values[i] > stats["mean"][j])
            columns["mean"].append(float(stats["mean"][j]))
            mr = stats["moving_range"][j]
            columns["moving_range"].append(None if np.isnan(mr) else float(mr))
            columns["mean_moving_range"].append(float(stats["mean_moving_range"][j]))
            columns["upper_process_limit"].append(float(stats["upper"][j]))
            columns["lower_process_limit"].append(float(stats["lower"][j]))
            columns["upper_near_limit"].append(float(stats["upper_near"][j]))
            columns["lower_near_limit"].append(float(stats["lower_near"][j]))
            columns["special_cause_rule"].append(rule)
            columns["special_cause_side"].append(
                None if rule is None else "high" if high else "low"
            )
            columns["variation"].append(_variation(rule, high, polarity))
    out = series.with_columns(
        [
            pl.Series(name, data, dtype=SPC_SCHEMA[name], strict=False)
            for name, data in columns.items()
        ]
    )
    last_upper = out["upper_process_limit"][-1] if out.height else None
    last_lower = out["lower_process_limit"][-1] if out.height else None
    label = (
        assurance(polarity, target, last_upper, last_lower)
        if last_upper is not None and last_lower is not None
        else None
    )
    return out.with_columns(
        target_value=pl.lit(target, dtype=pl.Float64), assurance=pl.lit(label, dtype=pl.String)
    )
