"""The SPC the engine stores for every week a clinic pack shows (``kpi/spc_weeks``): cuts of the
weekly series at the Sundays an extract serves, the 13-week bound, the stitched series of a
``per_extract`` KPI, re-running, an extract loaded out of order, and the page of a week whose SPC
is not held. Every expected number is worked by hand in the comment beside it."""

import datetime as dt
import html
from dataclasses import replace
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.lib.kpi import spc, spc_weeks
from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.kpi.engine import definitions_hash, pending_extracts
from pipelines.lib.kpi.outputs import refresh_spc
from pipelines.lib.kpi.targets import load_plans
from pipelines.lib.publish import clinic, clinic_spc
from tests.publish.test_clinic import EXTRACT, KPI, LA, _text, tiny_warehouse

DQ = "dq_orphan_rows"  # per_extract: one value per extract, a count (snapshot: a run chart)


def _weeks(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return con.execute(
        "select * from kpi.kpi_spc_weeks order by kpi_id, extract_date, week_end"
    ).pl()


def _cut(con: duckdb.DuckDBPyConnection, week_end: dt.date, kpi: str = KPI) -> pl.DataFrame:
    return con.execute(
        """select * from kpi.kpi_spc_restated where kpi_id = ? and week_end = ?
           order by period_end""",
        [kpi, week_end],
    ).pl()


def test_the_weeks_an_extract_serves() -> None:
    con = tiny_warehouse()
    # The first extract (Sunday 31 March 2024): its own week and the 13 Sundays before it.
    weeks = spc_weeks.served_weeks(con, LA, EXTRACT)
    assert weeks[0] == EXTRACT and weeks[-1] == dt.date(2023, 12, 31) and len(weeks) == 14
    # A Wednesday extract's own week ends on the Sunday before it ...
    assert spc_weeks.served_weeks(con, LA, dt.date(2024, 3, 27))[0] == dt.date(2024, 3, 24)
    # ... so one three days after a Sunday extract serves no week yet (the week ending 7 April
    # is not over: a later extract will serve it).
    assert spc_weeks.served_weeks(con, LA, dt.date(2024, 4, 3)) == []
    # After an extract of Wednesday 13 March, the weeks ending 17, 24 and 31 March only (the
    # week ending 10 March is that extract's own).
    con.execute("insert into kpi.kpi_runs values (?, '2024-03-13', 'hash', 1, 5, 'd0')", [LA])
    assert spc_weeks.served_weeks(con, LA, EXTRACT) == [
        EXTRACT, dt.date(2024, 3, 24), dt.date(2024, 3, 17)
    ]  # fmt: skip


def test_restated_cuts_of_a_hand_made_series() -> None:
    con = tiny_warehouse()  # 9 weeks, 4 February to 31 March 2024: 75 80 90 85 80 85 70 90 95 %
    weeks = _weeks(con)
    # The own week reads kpi.kpi_spc; each earlier Sunday with values is a cut (8 down to 1
    # point); the Sundays of January and December have no values up to them, so no row.
    assert weeks["week_end"].to_list() == [EXTRACT - dt.timedelta(weeks=k) for k in range(9)][::-1]
    assert weeks["held_in"].to_list() == ["kpi_spc_restated"] * 8 + ["kpi_spc"]
    assert weeks["points"].to_list() == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert con.execute("select count(*) from kpi.kpi_spc_restated").fetchone() == (36,)  # 1+..+8
    # Cut at 17 March, 7 points 75 80 90 85 80 85 70: mean 565 / 7 = 80.714; moving ranges
    # 5 10 5 5 5 15, mean 45 / 6 = 7.5; limits 80.714 -/+ 2.66 x 7.5 = 60.764 and 100.664, trial
    # (under 12 points). The target (90%, the plan's last, due August 2023) lies inside them.
    cut = _cut(con, dt.date(2024, 3, 17))
    assert cut.height == 7 and cut["chart_type"][0] == "xmr" and cut["trial_limits"].all()
    assert cut["mean"][0] == pytest.approx(565 / 7)
    assert cut["mean_moving_range"][0] == pytest.approx(7.5)
    assert cut["upper_process_limit"][0] == pytest.approx(565 / 7 + 2.66 * 7.5)
    assert cut["lower_process_limit"][0] == pytest.approx(565 / 7 - 2.66 * 7.5)
    assert cut["assurance"][-1] == "hit_and_miss" and cut["target_value"][0] == 90.0
    # 6 points: too few for limits; 2 points: values only.
    assert _cut(con, dt.date(2024, 3, 10))["variation"].to_list() == ["too_few_points"] * 6
    assert _cut(con, dt.date(2024, 2, 11))["chart_type"].to_list() == ["values_only"] * 2


def test_the_bound_and_the_page_of_a_week_not_held(tmp_path: Path) -> None:
    # 20 weeks, 19 November 2023 to 31 March 2024, at 80% and 90% in turn.
    twenty = {EXTRACT - dt.timedelta(weeks=k): ((8, 10) if k % 2 else (9, 10)) for k in range(20)}
    con = tiny_warehouse(twenty)
    held = _weeks(con)["week_end"]
    # The own week and 13 before it (31 December 2023 to 31 March 2024), no further back.
    assert held.min() == dt.date(2023, 12, 31) and held.len() == 14
    # The pack for the week ending 24 December 2023 (14 weeks back) shows its 6 values as a
    # table and says why; it computes nothing.
    definitions = [k for k in load_definitions() if k.id == KPI]
    pack = clinic.write_clinic_pack(con, LA, dt.date(2023, 12, 18), definitions, load_plans(),
                                    tmp_path, "run-1", images=False)  # fmt: skip
    assert pack.extract_date == EXTRACT and pack.charts == 0
    folder = tmp_path / LA / "internal" / "clinic" / "2023-12-18"
    page = html.unescape(_text(folder / f"{KPI}.html"))
    assert (
        "SPC is not held for this week's series (the engine keeps it for each extract's own week "
        "and the 13 weeks before it only): the values are shown as a table." in page
    )
    assert "Mean " not in page and "value(s) only" not in page
    assert "24 Dec 2023" in page and "19 Nov 2023" in page  # the values table, both ends
    assert "data-spec" not in (folder / f"{KPI}.html").read_text(encoding="utf-8")
    assert "SPC not held for this week" in _text(folder / "index.html")
    # The week ending 31 December 2023, 13 back, is held: 7 points, mean (4 x 80 + 3 x 90) / 7
    # = 590 / 7 = 84.286 (the weeks ending 19 Nov, 3, 17, 31 Dec at 80%; 26 Nov, 10, 24 Dec 90%).
    clinic.write_clinic_pack(con, LA, dt.date(2023, 12, 25), definitions, load_plans(),
                             tmp_path, "run-1", images=False)  # fmt: skip
    page = _text(tmp_path / LA / "internal" / "clinic" / "2023-12-25" / f"{KPI}.html")
    assert "Mean 84.3%" in page and "not held" not in page


def test_an_empty_series_shows_no_values() -> None:
    con = tiny_warehouse()
    kpi = next(k for k in load_definitions() if k.id == KPI)
    # Nothing up to the week ending 28 January 2024: nothing held, nothing to say it of.
    week_end = dt.date(2024, 1, 28)
    empty = pl.DataFrame(
        schema={"period_start": pl.Date, "period_end": pl.Date, "value": pl.Float64}
    )
    shown = clinic_spc.week_spc(con, LA, kpi, EXTRACT, week_end, empty)
    assert shown.is_empty() and "chart_type" in shown.columns


def _per_extract_warehouse(
    values: dict[dt.date, float], kpi: str = DQ
) -> duckdb.DuckDBPyConnection:
    """One value per extract, each on the extract's own Sunday (the extracts are Sundays), every
    extract with KPIs computed; the newest extract is 31 March 2024."""
    con = tiny_warehouse({}, kpi)
    con.execute("delete from kpi.kpi_runs")
    for extract, value in values.items():
        con.execute("insert into kpi.kpi_runs values (?, ?, 'hash', 1, 1, 'd')", [LA, extract])
        con.execute(
            "insert into kpi.kpi_values values (?, ?, 'week', ?, ?, ?, null, ?, 'count', ?)",
            [LA, kpi, extract - dt.timedelta(days=6), extract, value, value, extract],
        )
    return con


def test_a_per_extract_kpi_stores_its_stitched_series() -> None:
    # Orphan rows in the extracts of 10, 17, 24 and 31 March: 4, 6, 5, 9.
    values = {EXTRACT - dt.timedelta(weeks=3 - i): v for i, v in enumerate([4.0, 6.0, 5.0, 9.0])}
    con = _per_extract_warehouse(values)
    refresh_spc(con, LA, [k for k in load_definitions() if k.id == DQ], load_plans())
    stored = con.execute(
        """select period_end, value, chart_type from kpi.kpi_spc
           where kpi_id = ? and grain = 'week' and extract_date = ? order by period_end""",
        [DQ, EXTRACT],
    ).pl()
    # The four extracts' values, not the newest extract's one point; a count of a stock: a run
    # chart (no limits).
    assert stored["value"].to_list() == [4.0, 6.0, 5.0, 9.0]
    assert stored["chart_type"].unique().to_list() == ["run_chart"]
    # The extract of 31 March serves its own week only (the one before had KPIs).
    assert _weeks(con).select("week_end", "held_in", "points").rows() == [(EXTRACT, "kpi_spc", 4)]


def test_a_per_extract_flow_series_has_its_mean_from_every_extract() -> None:
    # Were a per_extract KPI a flow, its limits would come from the stitched values: seven
    # extracts at 4, 6, 5, 9, 5, 6, 7 -> mean 42 / 7 = 6.0; moving ranges 2 1 4 4 1 1 -> 13 / 6.
    dq = replace(next(k for k in load_definitions() if k.id == DQ), kind="flow")
    points = [4.0, 6.0, 5.0, 9.0, 5.0, 6.0, 7.0]
    values = {EXTRACT - dt.timedelta(weeks=6 - i): v for i, v in enumerate(points)}
    con = _per_extract_warehouse(values)
    refresh_spc(con, LA, [dq], load_plans())
    stored = con.execute(
        """select mean, mean_moving_range, points_in_segment from kpi.kpi_spc
           where kpi_id = ? and grain = 'week' and extract_date = ?""",
        [DQ, EXTRACT],
    ).pl()
    assert stored.height == 7 and stored["points_in_segment"][0] == 7
    assert stored["mean"][0] == pytest.approx(6.0)
    assert stored["mean_moving_range"][0] == pytest.approx(13 / 6)


def test_running_again_replaces_the_extracts_rows() -> None:
    con = tiny_warehouse()
    definitions = [k for k in load_definitions() if k.id == KPI]
    before = (_weeks(con), con.execute("select * from kpi.kpi_spc_restated").pl())
    refresh_spc(con, LA, definitions, load_plans())
    after = (_weeks(con), con.execute("select * from kpi.kpi_spc_restated").pl())
    assert before[0].equals(after[0]) and before[1].equals(after[1])
    assert after[1].height == 36


def test_an_older_extract_loaded_after_a_newer_one_changes_nothing(tmp_path: Path) -> None:
    con = tiny_warehouse()
    definitions = [k for k in load_definitions() if k.id == KPI]
    # The extract of 31 March had its KPIs computed from its delivery with these definitions.
    con.execute(
        "update kpi.kpi_runs set definitions_hash = ?, delivery_id = 'delivery'",
        [definitions_hash(definitions)],
    )
    stored = con.execute("select * from kpi.kpi_spc_restated").pl()
    # The extract of 17 March arrives (and is loaded) afterwards: the current extract is still
    # 31 March, so no KPIs are computed for it; it serves no week, and the stored cuts stand.
    con.execute(
        "insert into meta.deliveries (la_code, extract_date, delivery_id, status, folder, n_files)"
        " values (?, '2024-03-17', 'late', 'loaded', 'y', 1)",
        [LA],
    )
    assert pending_extracts(con, LA, definitions) == []
    refresh_spc(con, LA, definitions, load_plans())
    assert con.execute("select * from kpi.kpi_spc_restated").pl().equals(stored)
    # The pack for the week ending 17 March is restated from the extract of 31 March: its 7
    # points, mean 565 / 7 = 80.7%.
    pack = clinic.write_clinic_pack(con, LA, dt.date(2024, 3, 11), definitions, load_plans(),
                                    tmp_path, "run-1", images=False)  # fmt: skip
    assert pack.extract_date == EXTRACT
    page = _text(tmp_path / LA / "internal" / "clinic" / "2024-03-11" / f"{KPI}.html")
    assert "Mean 80.7%" in page and "Restated" in page


def test_a_run_charts_cut_is_read_from_kpi_spc() -> None:
    stock = "cp_share_of_open_cases_pct"  # snapshot: a run chart, no limits
    con = tiny_warehouse(kpi=stock)
    weeks = _weeks(con).filter(pl.col("kpi_id") == stock)
    # 3 points or more: the rows of kpi.kpi_spc up to the Sunday (nothing of a run chart depends
    # on later points); 1 or 2 points: values only, a cut of its own.
    assert weeks.filter(pl.col("points") >= 3)["held_in"].unique().to_list() == ["kpi_spc"]
    assert weeks.filter(pl.col("points") < 3)["held_in"].unique().to_list() == ["kpi_spc_restated"]
    assert _cut(con, dt.date(2024, 2, 11), stock)["chart_type"].to_list() == ["values_only"] * 2
    # ... and the rows are the ones spc.kpi_spc gives the cut itself (7 points to 17 March).
    kpi = next(k for k in load_definitions() if k.id == stock)
    cut = pl.DataFrame(
        {"period_end": [EXTRACT - dt.timedelta(weeks=k) for k in range(8, 1, -1)]}
    ).with_columns(period_start=pl.col("period_end") - pl.duration(days=6))
    cut = cut.join(
        con.execute("select period_end, value from kpi.kpi_values").pl(), on="period_end"
    ).select("period_start", "period_end", "value")
    shown = clinic_spc.week_spc(con, LA, kpi, EXTRACT, dt.date(2024, 3, 17), cut)
    # The target is the plan's at most 10% (due 31 March 2024, the next after 17 March).
    assert shown.equals(spc.kpi_spc(cut, kpi.kind, kpi.polarity, [], [], 10.0))


def test_a_warehouse_refreshed_before_these_tables_says_spc_is_not_held(tmp_path: Path) -> None:
    con = tiny_warehouse()
    con.execute("drop table kpi.kpi_spc_weeks")
    con.execute("drop table kpi.kpi_spc_restated")
    definitions = [k for k in load_definitions() if k.id == KPI]
    pack = clinic.write_clinic_pack(con, LA, dt.date(2024, 3, 25), definitions, load_plans(),
                                    tmp_path, "run-1", images=False)  # fmt: skip
    assert pack.charts == 0
    page = html.unescape(
        _text(tmp_path / LA / "internal" / "clinic" / "2024-03-25" / f"{KPI}.html")
    )
    assert "SPC is not held for this week's series" in page and "Mean " not in page
    # The next KPI run stores it.
    refresh_spc(con, LA, definitions, load_plans())
    pack = clinic.write_clinic_pack(con, LA, dt.date(2024, 3, 25), definitions, load_plans(),
                                    tmp_path, "run-2", images=False)  # fmt: skip
    assert pack.charts == 1
