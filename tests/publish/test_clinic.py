"""The weekly clinic pack on a hand-made warehouse: which extract a week uses, the numbers on the
page, the files of the pack, and gating (a failed extract leaves the previous pack in place)."""

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from pipelines.lib import warehouse
from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.kpi.outputs import ensure_output_schema
from pipelines.lib.kpi.targets import load_plans
from pipelines.lib.publish import clinic, figures
from pipelines.lib.validation.run import ensure_results_table

LA = "T01"
KPI = "contact_decision_1wd_pct"
EXTRACT = dt.date(2024, 3, 31)  # a Sunday
# Week ending -> (numerator, denominator): 80%, 85%, 70%, 90%, 95%.
WEEKS = {
    dt.date(2024, 3, 3): (8, 10),
    dt.date(2024, 3, 10): (17, 20),
    dt.date(2024, 3, 17): (7, 10),
    dt.date(2024, 3, 24): (9, 10),
    dt.date(2024, 3, 31): (19, 20),
}


def tiny_warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    warehouse.ensure_schema(con)
    ensure_output_schema(con)
    ensure_results_table(con)
    con.execute(
        """insert into meta.la (la_code, la_name, targets, benchmark_sn)
           values (?, 'Testshire', ['local_plan_2022'], 'SN892')""",
        [LA],
    )
    con.execute("insert into kpi.kpi_runs values (?, ?, 'hash', 1, 5, 'delivery')", [LA, EXTRACT])
    con.execute(
        "insert into meta.deliveries (la_code, extract_date, delivery_id, status, folder, n_files)"
        " values (?, ?, 'delivery', 'loaded', 'x', 1)",
        [LA, EXTRACT],
    )
    for end, (num, den) in WEEKS.items():
        con.execute(
            "insert into kpi.kpi_values values (?, ?, 'week', ?, ?, ?, ?, ?, 'percent', ?)",
            [LA, KPI, end - dt.timedelta(days=6), end, num, den, 100 * num / den, EXTRACT],
        )
    con.execute(
        "insert into kpi.kpi_availability (la_code, kpi_id, extract_date, available) "
        "values (?, ?, ?, true)",
        [LA, KPI, EXTRACT],
    )
    for layer in ("stg", "kpi"):
        con.execute(
            """insert into meta.validation_results (la_code, extract_date, layer, asset,
                   check_description, severity, success, element_count, unexpected_count)
               values (?, ?, ?, 'x', 'rule', 'error', true, 5, 0)""",
            [LA, EXTRACT, layer],
        )
    con.execute(
        """create table ref.benchmarks (kpi_id varchar, area_type varchar, area_code varchar,
               area_name varchar, period_end date, value double, unit varchar, derived boolean,
               source varchar)"""
    )
    con.execute(
        """insert into ref.benchmarks values
           (?, 'england', 'E92000001', 'England', '2023-03-31', 77.0, 'percent', false, 's'),
           (?, 'england', 'E92000001', 'England', '2024-03-31', 78.5, 'percent', false, 's')""",
        [KPI, KPI],
    )
    return con


@pytest.fixture
def definitions():  # type: ignore[no-untyped-def]
    return [k for k in load_definitions() if k.id == KPI]


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        ("2024-03-31", "2024-03-25"),  # Sunday: its own week is complete
        ("2024-04-01", "2024-03-25"),  # Monday: the week that just ended
        ("2024-03-30", "2024-03-18"),  # Saturday: this week is not over
    ],
)
def test_week_start_is_the_last_complete_week(day: str, monday: str) -> None:
    assert clinic.week_start(dt.date.fromisoformat(day)) == dt.date.fromisoformat(monday)


def test_value_and_change_formats() -> None:
    assert clinic.fmt_value(95.0, "percent") == "95.0%"
    assert clinic.fmt_value(1234.0, "count") == "1,234"
    assert clinic.fmt_value(None, "count") == "–"
    assert clinic.fmt_change(-6.06, "percent") == "−6.1 points"
    assert clinic.fmt_change(3.0, "count") == "+3"


def _text(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def test_pack_for_the_extracts_week(tmp_path: Path, definitions) -> None:  # type: ignore[no-untyped-def]
    con = tiny_warehouse()
    pack = clinic.write_clinic_pack(
        con, LA, dt.date(2024, 3, 25), definitions, load_plans(), tmp_path, "run-1234567890"
    )
    folder = tmp_path / LA / "clinic" / "2024-03-25"
    assert pack.folder == folder and pack.extract_date == EXTRACT and pack.charts == 1
    page = _text(folder / f"{KPI}.html")
    # Latest week 19/20 = 95.0%; the week before 9/10 = 90.0%: +5.0 points.
    assert "Latest week: 95.0% (+5.0 points on last week)" in page
    # Mean (80 + 85 + 70 + 90 + 95) / 5 = 84; moving ranges 5, 15, 20, 5 -> mean 11.25;
    # limits 84 -/+ 2.66 x 11.25 = 54.075 and 113.925 (drawn at 100%); 5 points: trial limits.
    assert "Mean 84.0%; trial limits 54.1% to 100.0%." in page
    # Benchmarks for periods to 31 Mar 2023 (77.0) and 31 Mar 2024 (78.5): as at the week ending
    # 31 Mar 2024 the 2024 one, labelled with its own period.
    assert "England (Mar 2024): 78.5%." in page
    assert "run run-1234" in page and "Extract of 31 March 2024" in page
    for name in ("index.html", "all-charts.html", "validation.html", "assets/vega.js",
                 "assets/clinic.js", "assets/clinic.css", f"charts/{KPI}.png",
                 f"charts/{KPI}.svg"):  # fmt: skip
        assert (folder / name).is_file(), name
    assert (folder / f"charts/{KPI}.png").read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in (folder / f"charts/{KPI}.svg").read_text(encoding="utf-8")[:500]
    # Every page uses the one local copy of the libraries; nothing from the network.
    for html_file in folder.glob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", text), html_file
        if "data-spec" in text:
            assert '<script src="assets/vega.js"></script>' in text
    # The data table lists the five weeks, newest first.
    table = page[page.index("Weekly values, newest first") :]
    assert table.index("31 Mar 2024") < table.index("03 Mar 2024")


def test_past_week_is_restated_from_the_next_extract(tmp_path: Path, definitions) -> None:  # type: ignore[no-untyped-def]
    con = tiny_warehouse()
    pack = clinic.write_clinic_pack(
        con, LA, dt.date(2024, 3, 18), definitions, load_plans(), tmp_path, "run-1", images=False
    )
    assert pack.extract_date == EXTRACT
    page = _text(tmp_path / LA / "clinic" / "2024-03-18" / f"{KPI}.html")
    # Cut at Sunday 24 March: latest 90%, the week before 70%: +20.0 points; mean of
    # 80, 85, 70, 90 = 81.25.
    assert "Latest week: 90.0% (+20.0 points on last week)" in page
    assert "Mean 81.3%" in page
    assert "Restated" in page
    # The week ends on 24 March 2024, before the period of the 2024 benchmark ends: the 2023
    # one is shown (in the text and on the chart), never the later one.
    assert "England (Mar 2023): 77.0%." in page and "78.5" not in page


def test_week_after_the_newest_extract_is_refused(tmp_path: Path, definitions) -> None:  # type: ignore[no-untyped-def]
    con = tiny_warehouse()
    with pytest.raises(figures.NotPublishable, match="no extract"):
        clinic.write_clinic_pack(
            con, LA, dt.date(2024, 4, 1), definitions, load_plans(), tmp_path, "run-1"
        )


def test_failed_validation_keeps_the_previous_pack(tmp_path: Path, definitions) -> None:  # type: ignore[no-untyped-def]
    con = tiny_warehouse()
    week = dt.date(2024, 3, 25)
    clinic.write_clinic_pack(con, LA, week, definitions, load_plans(), tmp_path, "run-good",
                             images=False)  # fmt: skip
    index = tmp_path / LA / "clinic" / week.isoformat() / "index.html"
    before = index.read_bytes()
    con.execute(
        """insert into meta.validation_results (la_code, extract_date, layer, asset,
               check_description, severity, success, element_count, unexpected_count)
           values (?, ?, 'stg', 'ssd_contacts', 'contact ids are unique', 'error', false, 9, 2)""",
        [LA, EXTRACT],
    )
    with pytest.raises(figures.NotPublishable, match="contact ids are unique"):
        clinic.write_clinic_pack(con, LA, week, definitions, load_plans(), tmp_path, "run-bad")
    assert index.read_bytes() == before
    assert not [p for p in index.parent.parent.iterdir() if p.name.startswith(".")]
