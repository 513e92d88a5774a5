"""Status against targets on a hand-made monthly series.

Target: at least 80% by 31 Jul 2023, baseline 50% on 31 Jan 2023 (181 days earlier), so the
trajectory is 50 + 30 x days / 181. Monthly values: Jan 50, Feb 52, Mar 61, Apr 66, May 77,
Jun 78, Jul 81, Aug 79.
"""

import dataclasses
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


def test_on_track_says_what_shows_it(status: dict) -> None:
    # RED beside "on track" must say why: March is ahead of the trajectory (59.779006) and the
    # trend through the 3 months Jan-Mar reaches 82.95 (above) by the due date.
    assert status[D(2023, 3, 31)]["reason"] == (
        "on track towards at least 80.0% by 31 Jul 2023: 61.0% is ahead of the trajectory "
        "(59.8% now); the trend of the last 3 months reaches 83.0%"
    )
    # January is the baseline itself: level with the trajectory, one month of values (no trend).
    assert status[D(2023, 1, 31)]["reason"] == (
        "on track towards at least 80.0% by 31 Jul 2023: 50.0% is level with the trajectory "
        "(50.0% now)"
    )


def test_without_trajectory_or_trend_it_is_too_early_to_judge() -> None:
    # No baseline, so no trajectory; two months (50, 52) are too few for a trend (3 needed).
    target = dataclasses.replace(TARGET, baseline_value=None, baseline_date=None)
    frame = compute_status("900", D(2023, 3, 3), kpi_values().head(2), [KPI], [target])
    feb = frame.filter(pl.col("as_at_date") == D(2023, 2, 28)).row(0, named=True)
    assert feb["slow_to_progress"] is False
    assert feb["reason"] == (
        "too early to judge progress towards at least 80.0% by 31 Jul 2023: no trajectory and "
        "fewer than 3 months of values"
    )


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


# --- the 2010 notice's milestones, each by its own measure on its own due date ---------------
# Initial assessments, monthly numerator / denominator (worked by hand):
#   Sep 2010 33/60 = 55.0% | Oct 40/64 = 62.5 | Nov 50/80 = 62.5 | Dec 52/80 = 65.0
#   Jan 2011 37/50 = 74.0  | Feb 36/50 = 72.0 | Mar 30/40 = 75.0
#   Apr 2011 35/50 = 70.0  | May 40/50 = 80.0 | Jun 44/60 = 73.333...
# Milestones: 60% for Sep 2010 in-month -> 55.0, not met, 5.0 short (amber: band 10% x 60 = 6);
# 70% for Mar 2011 in-month -> 75.0, met by 5.0 points (the Jan-Mar cumulative 103/140 = 73.57%
# is not what this milestone measures); 75% by 30 Jun 2011 cumulative Apr-Jun
# -> (35 + 40 + 44) / (50 + 50 + 60) = 119/160 = 74.375%, missed by 0.625 -> "0.6 points".
NOTICE_MONTHS = [D(2010, 9, 30), D(2010, 10, 31), D(2010, 11, 30), D(2010, 12, 31),
                 D(2011, 1, 31), D(2011, 2, 28), D(2011, 3, 31), D(2011, 4, 30),
                 D(2011, 5, 31), D(2011, 6, 30)]  # fmt: skip
NOTICE_NUM = [33.0, 40.0, 50.0, 52.0, 37.0, 36.0, 30.0, 35.0, 40.0, 44.0]
NOTICE_DEN = [60.0, 64.0, 80.0, 80.0, 50.0, 50.0, 40.0, 50.0, 50.0, 60.0]


@pytest.fixture(scope="module")
def notice() -> tuple[pl.DataFrame, list[Target], KpiDefinition]:
    from pipelines.lib.kpi.definitions import load_definitions
    from pipelines.lib.kpi.targets import load_plans

    kpi = next(k for k in load_definitions() if k.id == "initial_assessments_7wd_pct")
    targets = [t for t in load_plans()["improvement_notice_2010"].targets if t.kpi_id == kpi.id]
    values = pl.DataFrame(
        {
            "kpi_id": [kpi.id] * 10,
            "grain": ["month"] * 10,
            "period_start": [d.replace(day=1) for d in NOTICE_MONTHS],
            "period_end": NOTICE_MONTHS,
            "numerator": NOTICE_NUM,
            "denominator": NOTICE_DEN,
            "value": [100 * n / d for n, d in zip(NOTICE_NUM, NOTICE_DEN, strict=True)],
        }
    )
    status = compute_status("991", D(2011, 7, 10), values, [kpi], targets)
    return status, targets, kpi


def test_each_milestone_is_scored_by_its_own_measure_on_its_due_date(notice: tuple) -> None:
    from pipelines.lib.kpi.milestones import milestones

    status, targets, kpi = notice
    found = milestones(status, targets, {kpi.id: kpi.unit}, {kpi.id: kpi.label}, D(2011, 7, 31))
    assert [(m.target.due, m.target.measure, m.value, m.state) for m in found] == [
        (D(2010, 9, 30), "in_month", pytest.approx(55.0), "not met"),
        (D(2011, 3, 31), "in_month", pytest.approx(75.0), "met"),
        (D(2011, 6, 30), "cumulative_quarter", pytest.approx(74.375), "not met"),
    ]
    assert [m.margin for m in found] == [
        "missed by 5.0 points",
        "met by 5.0 points",
        "missed by 0.6 points",
    ]
    assert [m.rag for m in found] == ["amber", "green", "amber"]
    assert [m.value_text for m in found] == ["55.0%", "75.0%", "74.4%"]


def test_a_milestone_after_the_reported_month_is_not_yet_due(notice: tuple) -> None:
    from pipelines.lib.kpi.milestones import milestones

    status, targets, kpi = notice
    found = milestones(status, targets, {kpi.id: kpi.unit}, {}, D(2011, 3, 31))
    assert [m.state for m in found] == ["not met", "met", "not yet due"]
    assert found[2].value is None and found[2].margin == ""


def test_months_between_milestones_are_judged_against_the_next_one_by_its_measure(
    notice: tuple,
) -> None:
    status, _, _ = notice
    current = {
        r["as_at_date"]: r for r in status.filter(pl.col("is_current_target")).iter_rows(named=True)
    }
    # Feb 2011: the March milestone (in-month), 72.0% against 70: green.
    feb = current[D(2011, 2, 28)]
    assert (feb["due_date"], feb["measure"], feb["value"], feb["rag"]) == (
        D(2011, 3, 31), "in_month", 72.0, "green",
    )  # fmt: skip
    # Mar 2011 is scored by its own in-month milestone (75.0%), not the June cumulative one.
    mar = current[D(2011, 3, 31)]
    assert (mar["due_date"], mar["value"], mar["met"]) == (D(2011, 3, 31), 75.0, True)
    assert mar["reason"] == "met on 31 Mar 2011: 75.0%, above the 70.0% minimum"
    # May 2011: the June milestone, cumulative April-May: 75 / 100 = 75.0%.
    may = current[D(2011, 5, 31)]
    assert (may["due_date"], may["measure"], may["value"]) == (
        D(2011, 6, 30), "cumulative_quarter", 75.0,
    )  # fmt: skip


def test_stored_figures_carry_no_binary_noise(notice: tuple) -> None:
    status, _, _ = notice
    for column in ("value", "trajectory_value", "forecast_at_due", "tolerance"):
        for v in status[column].drop_nulls():
            assert v == round(v, 6), (column, v)
