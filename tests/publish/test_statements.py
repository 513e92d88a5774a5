"""Every statement the demo's outputs make is true for the figures it describes: benchmarks are
never dated after the period they sit beside, RAG and "met" agree with the value, the target
and the tolerance, the 2010 notice's milestones are each reported by their own measure, no KPI
shows a figure for an era in which its events could not exist, changes never read "+0.0", and
the board workbook stores numbers as numbers."""

import csv
import datetime as dt
import re
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines.lib import formatting
from pipelines.lib.kpi.status import rag
from tests.test_publishing import WEEK

MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1
)}  # fmt: skip


def _month_end(text: str) -> dt.date:
    """The last day of a month written "Mar 2024"."""
    name, year = text.split()
    first = dt.date(int(year), MONTHS[name], 28) + dt.timedelta(days=4)
    return first - dt.timedelta(days=first.day)


def _board(demo: Path, la: str) -> Path:
    [folder] = sorted((demo / "published" / la / "internal" / "board" / "monthly").iterdir())[-1:]
    return folder


@pytest.mark.parametrize("la", ["991", "992"])
def test_no_benchmark_is_dated_after_the_period_beside_it(demo_data: Path, la: str) -> None:
    # Clinic pack: "England (Mar 2023): 17.9%." beside a week ending on the pack's Sunday.
    week_end = dt.date.fromisoformat(WEEK[la]) + dt.timedelta(days=6)
    clinic = demo_data / "published" / la / "internal" / "clinic" / WEEK[la]
    for page in clinic.glob("*.html"):
        for stamp in re.findall(r"(?:England|Statistical neighbours) \((\w{3} \d{4})\)",
                                page.read_text(encoding="utf-8")):  # fmt: skip
            assert _month_end(stamp) <= week_end, (page.name, stamp)
        for year in re.findall(r"(?:England|Statistical neighbours) (\d{4}): ",
                               page.read_text(encoding="utf-8")):  # fmt: skip
            assert int(year) <= week_end.year, (page.name, year)
    # Board workbook: each benchmark's period against the report's month.
    folder = _board(demo_data, la)
    report_month = _month_end(dt.date.fromisoformat(folder.name + "-01").strftime("%b %Y"))
    book = openpyxl.load_workbook(folder / f"board-report-{folder.name}.xlsx", read_only=True)
    seen = 0
    for ws in book.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        for i, row in enumerate(rows):
            if "England period" not in row:
                continue
            columns = [c for c, name in enumerate(row) if str(name).endswith(" period")]
            for data in rows[i + 1 :]:
                if not any(data):
                    break
                for c in columns:
                    if data[c]:
                        seen += 1
                        # A date cell (the workbook stores dates as dates) or "Mar 2024".
                        day = data[c]
                        shown = day.date() if isinstance(day, dt.datetime) else _month_end(str(day))
                        assert shown <= report_month, (ws.title, data[c])
    # Scrutiny figures: each benchmark's period against the figure's own period.
    [figures] = (demo_data / "published" / la / "public" / "scrutiny").rglob("*figures*.csv")
    with figures.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for key in ("england_period_end", "statistical_neighbours_period_end"):
                if re.fullmatch(r"\d{4}-\d\d-\d\d", row.get(key) or ""):
                    seen += 1
                    assert row[key] <= row["period_end"], (row["kpi_id"], key, row[key])
    assert la == "991" or seen  # the city's outputs do show benchmarks


@pytest.mark.parametrize("la", ["991", "992"])
def test_rag_and_met_agree_with_the_value_target_and_tolerance(demo_data: Path, la: str) -> None:
    with duckdb.connect(str(demo_data / "warehouse" / "csc.duckdb"), read_only=True) as con:
        rows = con.execute(
            """select target_id, as_at_date, value, target_value, direction, tolerance, met, rag,
                      reason, (select any_value(unit) from kpi.kpi_values v
                               where v.kpi_id = s.kpi_id) as unit
               from kpi.kpi_status s where la_code = ? and value is not null
                 and target_value is not null""",
            [la],
        ).fetchall()
    assert rows
    for target, day, value, target_value, direction, tolerance, met, colour, reason, unit in rows:
        assert colour == rag(value, target_value, direction, tolerance), (target, day)
        assert met == (value >= target_value if direction == "at_least" else value <= target_value)
        if direction == "at_most" and value > 2 * target_value:
            assert colour == "red", (target, day)
        if reason.startswith(("met", "not met")):
            assert reason.startswith("met" if met else "not met"), (target, day, reason)
            # The value it states is the value, with the places that tell it from the target.
            shown = formatting.value_text(
                value, unit, formatting.distinguishing_places(value, target_value, unit)
            )
            assert reason.split(": ", 1)[1].startswith(shown + ","), (target, day, reason)


def test_the_2010_notice_milestones_each_appear_with_their_own_measure(demo_data: Path) -> None:
    folder = _board(demo_data, "991")
    book = openpyxl.load_workbook(folder / f"board-report-{folder.name}.xlsx", read_only=True)
    rows = list(book["Milestones"].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "KPI")
    table = [dict(zip(header, r, strict=True)) for r in rows[rows.index(header) + 1 :] if r[0]]
    found = {
        (r["KPI"].split()[0], r["Target"], r["Due"].date(), r["Measure"])
        for r in table
        if r["KPI"].startswith(("Initial", "Core"))
    }
    assert found == {
        ("Initial", 60, dt.date(2010, 9, 30), "in the month"),
        ("Initial", 70, dt.date(2011, 3, 31), "in the month"),
        ("Initial", 75, dt.date(2011, 6, 30), "cumulative over the quarter"),
        ("Core", 55, dt.date(2010, 9, 30), "in the month"),
        ("Core", 70, dt.date(2011, 3, 31), "in the month"),
        ("Core", 75, dt.date(2011, 6, 30), "cumulative over the quarter"),
    }
    for r in table:
        if r["Met"] in ("met", "not met"):
            assert isinstance(r["Value at the due date"], float)
            assert r["By how much"].startswith(r["Met"].split()[-1] if r["Met"] == "met"
                                               else "missed")  # fmt: skip


def test_no_figure_where_its_events_could_not_exist(demo_data: Path) -> None:
    with duckdb.connect(str(demo_data / "warehouse" / "csc.duckdb"), read_only=True) as con:
        single = con.execute(
            """select count(*) from kpi.kpi_values where kpi_id like 'assessments_%'
               and period_end < date '2013-04-01'"""
        ).fetchone()
        historic = con.execute(
            """select count(*) from kpi.kpi_values
               where kpi_id in ('initial_assessments_7wd_pct', 'core_assessments_35wd_pct')
                 and period_start > date '2014-03-31'"""
        ).fetchone()
    assert single == (0,) and historic == (0,)
    index = (
        demo_data / "published" / "991" / "internal" / "clinic" / WEEK["991"] / "index.html"
    ).read_text(encoding="utf-8")
    row = re.search(r"Assessments completed</th>(.*?)</tr>", index, re.S)
    assert row and "not applicable" in row.group(1)


@pytest.mark.parametrize("la", ["991", "992"])
def test_no_signed_zero_change_in_any_page(demo_data: Path, la: str) -> None:
    for page in (demo_data / "published" / la).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"[+−±-]0\.0 points", text), page
