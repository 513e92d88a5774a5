"""SPC (Making Data Count) on series whose limits and special causes were worked out by hand."""

import datetime as dt

import polars as pl
import pytest

from pipelines.lib.kpi.spc import assurance, spc_series


def weekly(values: list[float]) -> pl.DataFrame:
    first = dt.date(2023, 1, 2)
    return pl.DataFrame(
        {
            "period_start": [first + dt.timedelta(weeks=i) for i in range(len(values))],
            "period_end": [first + dt.timedelta(weeks=i, days=6) for i in range(len(values))],
            "value": [float(v) for v in values],
        }
    )


def test_common_cause_only() -> None:
    # mean 162/12 = 13.5; moving ranges 2,1,2,1,... sum 17 over 11 -> 1.545455;
    # limits 13.5 +/- 2.66 x 1.545455 = 17.610909 / 9.389091; near limits 16.240606 / 10.759394.
    # No point outside, no 7-run of rises or one side, no 2-of-3 near: all common cause.
    out = spc_series(weekly([10, 12, 11, 13, 12, 14, 13, 15, 14, 16, 15, 17]), "up")
    assert out["mean"][0] == pytest.approx(13.5)
    assert out["upper_process_limit"][0] == pytest.approx(17.610909, abs=1e-6)
    assert out["lower_process_limit"][0] == pytest.approx(9.389091, abs=1e-6)
    assert out["upper_near_limit"][0] == pytest.approx(16.240606, abs=1e-6)
    assert out["special_cause_rule"].to_list() == [None] * 12
    assert set(out["variation"]) == {"common_cause"}
    assert out["trial_limits"].to_list() == [False] * 12


def test_shift_of_seven_on_each_side() -> None:
    # [2,4,...] below then [8,6,...] above; mean 5; mR: twelve 2s and one 6 -> 30/13 = 2.307692;
    # limits 11.138462 / -1.138462, near 9.092308 / 0.907692: nothing near, no trend (alternating),
    # 7 points below the mean then 7 above: every point is a shift.
    out = spc_series(weekly([2, 4, 2, 4, 2, 4, 2, 8, 6, 8, 6, 8, 6, 8]), "down")
    assert out["mean_moving_range"][0] == pytest.approx(30 / 13)
    assert out["special_cause_rule"].to_list() == ["shift"] * 14
    # Lower is better: the low run is an improvement, the high run a concern.
    assert out["variation"].to_list() == ["improvement"] * 7 + ["concern"] * 7


def test_rules_in_priority_order() -> None:
    # values 1..7 then 6,5,6,5,6: mean 56/12 = 4.666667; every moving range 1; limits
    # 7.326667 / 2.006667; near 6.44 / 2.893333.
    # 1 and 2 are below the lower limit (outside_limits wins); 3..7 finish the run of 7 rises
    # (trend); 6,5,6,5,6 continue a run of 8 points above the mean that began at 5 (shift).
    out = spc_series(weekly([1, 2, 3, 4, 5, 6, 7, 6, 5, 6, 5, 6]), "up")
    assert out["special_cause_rule"].to_list() == (
        ["outside_limits"] * 2 + ["trend"] * 5 + ["shift"] * 5
    )
    assert out["variation"].to_list() == ["concern"] * 2 + ["improvement"] * 10


def test_two_of_three_near_the_limit() -> None:
    values = [0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 5.5, 5.4]
    # mean = 20.9 / 12 = 1.741667; mR = nine 2s, |5.5 - 2| = 3.5, 0.1 -> 21.6 / 11 = 1.963636;
    # limits 1.741667 +/- 5.223273 -> 6.964939 / -3.481606; near +/- 3.482182 -> 5.223848.
    # 5.5 and 5.4 are near (inside the limit), and with the 2 before them all three are above
    # the mean: the window (2, 5.5, 5.4) qualifies and all three points are flagged.
    out = spc_series(weekly(values), "up")
    assert out["upper_near_limit"][0] == pytest.approx(5.223848, abs=1e-6)
    assert out["special_cause_rule"].to_list() == [None] * 9 + ["two_of_three"] * 3


def test_trial_limits_and_recalculation_from_a_change_date() -> None:
    series = weekly([2, 4, 2, 4, 2, 4, 2, 8, 6, 8, 6, 8, 6, 8])
    change = series["period_start"][7]  # a new system from the 8th week
    out = spc_series(series, "up", change_dates=[change])
    # Two segments of 7: each has its own mean (20/7 and 50/7) and trial limits.
    assert out["mean"][0] == pytest.approx(20 / 7)
    assert out["mean"][13] == pytest.approx(50 / 7)
    assert out["trial_limits"].to_list() == [True] * 14
    assert out["segment_start"][13] == change
    assert out["special_cause_rule"].to_list() == [None] * 14


@pytest.mark.parametrize(
    ("polarity", "target", "expected"),
    [
        ("up", 95.0, "consistently_failing"),  # target above the upper limit
        ("up", 40.0, "consistently_passing"),  # target below the lower limit
        ("up", 70.0, "hit_and_miss"),
        ("down", 95.0, "consistently_passing"),
        ("down", 40.0, "consistently_failing"),
        ("neutral", 70.0, None),
        ("up", None, None),
    ],
)
def test_assurance(polarity: str, target: float | None, expected: str | None) -> None:
    assert assurance(polarity, target, upper=90.0, lower=50.0) == expected
