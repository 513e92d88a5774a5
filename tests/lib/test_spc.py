"""SPC (Making Data Count) on series whose limits and special causes were worked out by hand."""

import datetime as dt

import duckdb
import numpy as np
import polars as pl
import pytest

from pipelines.lib.kpi.outputs import ensure_output_schema
from pipelines.lib.kpi.spc import (
    SPC_SCHEMA,
    Rebase,
    assurance,
    chart_type,
    kpi_spc,
    segments,
    spc_series,
)


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


def test_two_of_three_marks_only_the_points_beyond_two_sigma() -> None:
    values = [0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 5.5, 5.4]
    # mean = 20.9 / 12 = 1.741667; mR = nine 2s, |5.5 - 2| = 3.5, 0.1 -> 21.6 / 11 = 1.963636;
    # limits 1.741667 +/- 5.223273 -> 6.964939 / -3.481606; near +/- 3.482182 -> 5.223848.
    # 5.5 and 5.4 are near (inside the limit), and with the 2 before them all three are above
    # the mean: the window (2, 5.5, 5.4) qualifies; only 5.5 and 5.4 are beyond two sigma.
    out = spc_series(weekly(values), "up")
    assert out["upper_near_limit"][0] == pytest.approx(5.223848, abs=1e-6)
    assert out["special_cause_rule"].to_list() == [None] * 10 + ["two_of_three"] * 2
    assert out["variation"].to_list() == ["common_cause"] * 10 + ["improvement"] * 2


def test_two_of_three_leaves_the_middle_point_of_the_window() -> None:
    values = [1, 2] * 8 + [5.5, 3, 5.5, 1, 2]
    # mean = (16 x 1.5 + 17) / 21 = 41 / 21 = 1.952381; mR: fifteen 1s, 3.5, 2.5, 2.5, 4.5, 1
    # -> 29 / 20 = 1.45; limits 1.952381 +/- 3.857 -> 5.809381; near + 2.571333 = 4.523714.
    # 1s are below the mean and 2s above (no run of 7). Window (5.5, 3, 5.5): all above the
    # mean, the two 5.5s beyond two sigma, 3 is not: only the 5.5s are flagged. (2, 5.5, 3) has
    # one point in the zone; (3, 5.5, 1) is not all on one side.
    out = spc_series(weekly(values), "up")
    assert out["upper_near_limit"][0] == pytest.approx(4.523714, abs=1e-6)
    assert out["special_cause_rule"].to_list() == [None] * 16 + [
        "two_of_three",
        None,
        "two_of_three",
        None,
        None,
    ]


def test_trial_limits_and_recalculation_from_a_change_date() -> None:
    series = weekly([2, 4, 2, 4, 2, 4, 2, 8, 6, 8, 6, 8, 6, 8])
    change = series["period_start"][7]  # a new system from the 8th week
    out = spc_series(series, "up", [Rebase(change, "change recorded in la.yaml")])
    # Two segments of 7: each has its own mean (20/7 and 50/7) and trial limits.
    assert out["mean"][0] == pytest.approx(20 / 7)
    assert out["mean"][13] == pytest.approx(50 / 7)
    assert out["trial_limits"].to_list() == [True] * 14
    assert out["segment_start"][13] == change
    assert out["segment_reason"].to_list() == [None] * 7 + ["change recorded in la.yaml"] * 7
    assert out["special_cause_rule"].to_list() == [None] * 14


def test_rebased_at_the_notice_date_each_segment_its_own_limits() -> None:
    # 14 weeks from Monday 2 Jan 2023; the notice is issued on Wednesday 1 Feb 2023, inside the
    # week of 30 Jan - 5 Feb (the 5th): that week is the first of the new segment.
    values = [10, 12, 10, 12, 30, 34, 30, 34, 30, 34, 30, 34, 30, 34]
    out = kpi_spc(weekly(values), "flow", "up", [dt.date(2023, 2, 1)], [], target=31.0)
    # Before: 4 points (10, 12, 10, 12): fewer than 7, no limits and no verdict.
    assert out["variation"].to_list()[:4] == ["too_few_points"] * 4
    assert out["mean"].to_list()[:4] == [None] * 4
    # After: 10 points, mean 32; mR all 4 -> limits 32 +/- 10.64 = 42.64 / 21.36 (trial, < 12).
    assert out["segment_reason"][4] == "notice issued 1 February 2023"
    assert out["mean"][4] == pytest.approx(32.0)
    assert out["upper_process_limit"][13] == pytest.approx(42.64)
    assert out["lower_process_limit"][13] == pytest.approx(21.36)
    assert out["variation"].to_list()[4:] == ["common_cause"] * 10
    # Over the whole history the jump would be special cause; here the target 31 is inside the
    # current limits: hit and miss.
    assert out["assurance"][0] == "hit_and_miss"
    assert set(out["chart_type"]) == {"xmr"}


def test_too_few_points_in_the_last_segment_gives_no_verdict() -> None:
    series = weekly([2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 9, 9, 9])
    out = spc_series(series, "up", [Rebase(series["period_end"][12], "x")], target=1.0)
    # The last segment has 3 points: no limits, no variation, no assurance (the first segment
    # alone would say "consistently passing": mean 3, limits 3 +/- 5.32).
    assert out["variation"].to_list()[12:] == ["too_few_points"] * 3
    assert out["upper_process_limit"][14] is None
    assert out["assurance"][0] is None


def test_sustained_shift_rebases_from_its_first_point() -> None:
    # 12 points 0/2 then 12 points 6/8: mean 4, the last 12 above it, 12 before them: rebase at
    # the 13th week (2 Jan 2023 + 12 weeks = 27 Mar 2023; its week ends 2 Apr 2023).
    values = [0, 2] * 6 + [6, 8] * 6
    out = spc_series(weekly(values), "up")
    # Each part: mean 1 and 7, every mR 2 (the jump 2 -> 6 is in neither) -> limits +/- 5.32,
    # near +/- 3.546667: alternating values give no trend, no run, nothing near: common cause.
    assert out["mean"][0] == pytest.approx(1.0) and out["mean"][23] == pytest.approx(7.0)
    assert out["upper_process_limit"][23] == pytest.approx(12.32)
    assert out["segment_reason"][12] == "shift detected (12 points above the mean from 2 Apr 2023)"
    assert out["segment_reason"][11] is None
    assert set(out["variation"]) == {"common_cause"}
    assert out["trial_limits"].to_list() == [False] * 24


def test_a_detected_run_is_its_own_segment_and_the_part_before_is_examined_again() -> None:
    # 0, 1, ..., 59: mean 29.5, the last 30 points (30..59) above it -> a segment from 30. The
    # part before (0..29, mean 14.5) has its last 15 above -> a segment from 15; 0..14 has 15
    # points, too few for a run of 12 with 12 before it. The run 30..59 is not split again.
    ends = [dt.date(2023, 1, 1) + dt.timedelta(weeks=i) for i in range(60)]
    assert segments(ends, np.arange(60.0), []) == [
        (0, 15, None),
        (15, 30, "shift detected (15 points above the mean from 16 Apr 2023)"),
        (30, 60, "shift detected (30 points above the mean from 30 Jul 2023)"),
    ]


def test_a_shift_shorter_than_twelve_is_flagged_not_rebased() -> None:
    # 13 points 0/2 then 11 points 6/8: the run above the mean (88 / 24 = 3.667) is 11 long.
    values = [0, 2] * 6 + [0] + [6, 8] * 5 + [6]
    out = spc_series(weekly(values), "up")
    assert out["segment_reason"].to_list() == [None] * 24
    assert out["mean"][0] == pytest.approx(88 / 24)
    # The rules still see it: 13 points below, then 11 above the one mean (shift; the 8s are
    # beyond two sigma, mR 50 / 23 = 2.173913, near 3.666667 + 3.855072 = 7.521739).
    assert out["variation"].to_list() == ["concern"] * 13 + ["improvement"] * 11


@pytest.mark.parametrize(("kind", "expected"), [("snapshot", "run_chart"), ("rolling", "run_chart"),
                                                ("flow", "xmr")])  # fmt: skip
def test_stock_and_rolling_series_are_run_charts(kind: str, expected: str) -> None:
    # A steady climb that XmR would call special cause at every point (trend, then outside).
    out = kpi_spc(weekly(list(range(20))), kind, "up", [], [], target=5.0)
    assert set(out["chart_type"]) == {expected}
    if expected == "run_chart":
        assert "run chart" in out["chart_reason"][0]
        assert out["variation"].to_list() == [None] * 20
        assert out["upper_process_limit"].to_list() == [None] * 20
        assert out["assurance"][0] is None
    else:
        assert "common_cause" not in set(out["variation"])


def test_one_or_two_points_are_values_only() -> None:
    assert chart_type("flow", 2)[0] == "values_only"
    assert chart_type("flow", 3)[0] == "xmr"
    out = spc_series(weekly([40, 60]), "up", target=50.0)
    assert out["chart_type"].to_list() == ["values_only"] * 2
    assert out["variation"].to_list() == [None, None] and out["assurance"][0] is None


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


def test_a_kpi_spc_table_of_an_older_layout_is_rebuilt() -> None:
    con = duckdb.connect()
    con.execute("create schema kpi")
    con.execute("create table kpi.kpi_spc (la_code varchar, kpi_id varchar, variation varchar)")
    con.execute("insert into kpi.kpi_spc values ('992', 'x', 'concern')")
    ensure_output_schema(con)  # derived from kpi_values on the next run: dropped, not kept stale
    held = con.execute("select * from kpi.kpi_spc").pl()
    assert held.columns == list(SPC_SCHEMA) and held.is_empty()
