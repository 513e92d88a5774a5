"""Status against targets on a hand-made monthly series.

Target: at least 80% by 31 Jul 2023, baseline 50% on 31 Jan 2023 (181 days earlier), so the
trajectory is 50 + 30 x days / 181. Monthly values: Jan 50, Feb 52, Mar 61, Apr 66, May 77,
Jun 78, Jul 81, Aug 79.
"""

import datetime as dt

import polars as pl
import pytest

from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.status import compute_status, measure_series
from pipelines.lib.kpi.targets import Target

D = dt.date
MONTH_ENDS = [D(2023, 1, 31), D(2023, 2, 28), D(2023, 3, 31), D(2023, 4, 30), D(2023, 5, 31),
              D(2023, 6, 30), D(2023, 7, 31), D(2023, 8, 31)]  # fmt: skip
VALUES = [50.0, 52.0, 61.0, 66.0, 77.0, 78.0, 81.0, 79.0]
KPI = KpiDefinition(
    id="demo_pct", label="Demo", description="Demo", area="front_door", notice_areas=(),
    kind="flow", shape="events", unit="percent", polarity="up", tables=(), optional_tables=(),
    source="local", assumptions=(), dimensions=(),
)  # fmt: skip
TARGET = Target(
    plan_id="plan", kpi_id="demo_pct", area="a", value=80.0, value_parameter=None,
    value_from=None, direction="at_least", due=D(2023, 7, 31), measure="in_month",
    baseline_value=50.0, baseline_date=D(2023, 1, 31), baseline_label=None, tolerance=None,
    quote="80% by July 2023", note=None,
)  # fmt: skip


def kpi_values() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "kpi_id": ["demo_pct"] * 8,
            "grain": ["month"] * 8,
            "period_start": [d.replace(day=1) for d in MONTH_ENDS],
            "period_end": MONTH_ENDS,
            "numerator": VALUES,
            "denominator": [100.0] * 8,
            "value": VALUES,
        }
    )


@pytest.fixture(scope="module")
def status() -> dict[dt.date, dict[str, object]]:
    frame = compute_status("900", D(2023, 9, 3), kpi_values(), [KPI], [TARGET])
    return {r["as_at_date"]: r for r in frame.iter_rows(named=True)}


def test_trajectory_is_a_straight_line_from_the_baseline(status: dict) -> None:
    assert status[D(2023, 1, 31)]["trajectory_value"] == pytest.approx(50.0)
    assert status[D(2023, 2, 28)]["trajectory_value"] == pytest.approx(
        50 + 30 * 28 / 181
    )  # 54.640884
    assert status[D(2023, 3, 31)]["trajectory_value"] == pytest.approx(
        50 + 30 * 59 / 181
    )  # 59.779006
    assert status[D(2023, 7, 31)]["trajectory_value"] == pytest.approx(80.0)
    assert status[D(2023, 8, 31)]["trajectory_value"] == pytest.approx(80.0)  # flat afterwards


def test_behind_the_trajectory_is_slow_to_progress(status: dict) -> None:
    feb = status[D(2023, 2, 28)]
    assert (feb["met"], feb["rag"], feb["slow_to_progress"]) == (False, "red", True)
    assert "behind the trajectory" in feb["reason"]


def test_ahead_and_trending_to_the_target_is_on_track(status: dict) -> None:
    # March: 61 is ahead of 59.78; least squares on (0, 50), (28, 52), (59, 61) gives slope
    # 328 / 1742 = 0.188289 a day and 48.872952 at day 0, so 82.95 at day 181 (>= 80): on track.
    mar = status[D(2023, 3, 31)]
    assert mar["slow_to_progress"] is False
    assert mar["forecast_at_due"] == pytest.approx(48.872952 + 0.188289 * 181, abs=1e-3)
    assert mar["rag"] == "red"  # 19 points short, more than the 5-point tolerance


def test_amber_within_five_points(status: dict) -> None:
    may = status[D(2023, 5, 31)]
    assert (may["met"], may["rag"]) == (False, "amber")  # 77 is 3 points short of 80


def test_met_on_the_due_date_and_missed_after(status: dict) -> None:
    jul, aug = status[D(2023, 7, 31)], status[D(2023, 8, 31)]
    assert (jul["met"], jul["rag"], jul["slow_to_progress"], jul["is_due"]) == (
        True,
        "green",
        False,
        True,
    )
    assert (aug["met"], aug["rag"], aug["slow_to_progress"]) == (False, "amber", True)
    assert aug["reason"].startswith("not met: 79.0%")


def test_cumulative_quarter_sums_numerators_and_denominators() -> None:
    # Apr 10/20, May 30/40, Jun 45/60 -> quarter to date at June: 85 / 120 = 70.833333%.
    values = pl.DataFrame(
        {
            "kpi_id": ["demo_pct"] * 3,
            "grain": ["month"] * 3,
            "period_start": [D(2023, 4, 1), D(2023, 5, 1), D(2023, 6, 1)],
            "period_end": [D(2023, 4, 30), D(2023, 5, 31), D(2023, 6, 30)],
            "numerator": [10.0, 30.0, 45.0],
            "denominator": [20.0, 40.0, 60.0],
            "value": [50.0, 75.0, 75.0],
        }
    )
    series = measure_series(values, KPI, "cumulative_quarter")
    assert series[D(2023, 4, 30)] == pytest.approx(50.0)
    assert series[D(2023, 5, 31)] == pytest.approx(40 / 60 * 100)
    assert series[D(2023, 6, 30)] == pytest.approx(85 / 120 * 100)
