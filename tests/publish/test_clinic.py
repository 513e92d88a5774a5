"""The weekly clinic pack on a hand-made warehouse: which extract a week uses, the numbers on the
page, the files of the pack, and gating (a failed extract leaves the previous pack in place)."""

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from pipelines.lib import warehouse
from pipelines.lib.kpi import spc
from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.kpi.outputs import ensure_output_schema, refresh_spc
from pipelines.lib.kpi.targets import load_plans
from pipelines.lib.publish import clinic, clinic_index, clinic_spc, figures
from pipelines.lib.validation.run import ensure_results_table

LA = "T01"
KPI = "contact_decision_1wd_pct"
EXTRACT = dt.date(2024, 3, 31)  # a Sunday
# Week ending -> (numerator, denominator): 75%, 80%, 90%, 85%, 80%, 85%, 70%, 90%, 95%.
WEEKS = {
    dt.date(2024, 2, 4): (15, 20),
    dt.date(2024, 2, 11): (8, 10),
    dt.date(2024, 2, 18): (9, 10),
    dt.date(2024, 2, 25): (17, 20),
    dt.date(2024, 3, 3): (8, 10),
    dt.date(2024, 3, 10): (17, 20),
    dt.date(2024, 3, 17): (7, 10),
    dt.date(2024, 3, 24): (9, 10),
    dt.date(2024, 3, 31): (19, 20),
}


def tiny_warehouse(
    weeks: dict[dt.date, tuple[int, int]] = WEEKS, kpi: str = KPI
) -> duckdb.DuckDBPyConnection:
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
    for end, (num, den) in weeks.items():
        con.execute(
            "insert into kpi.kpi_values values (?, ?, 'week', ?, ?, ?, ?, ?, 'percent', ?)",
            [LA, kpi, end - dt.timedelta(days=6), end, num, den, 100 * num / den, EXTRACT],
        )
    con.execute(
        "insert into kpi.kpi_availability (la_code, kpi_id, extract_date, available) "
        "values (?, ?, ?, true)",
        [LA, kpi, EXTRACT],
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
    # The engine's step after the KPIs: SPC of the series and of every week the packs show.
    refresh_spc(con, LA, [k for k in load_definitions() if k.id == kpi], load_plans())
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
    folder = tmp_path / LA / "internal" / "clinic" / "2024-03-25"
    assert pack.folder == folder and pack.extract_date == EXTRACT and pack.charts == 1
    page = _text(folder / f"{KPI}.html")
    # Latest week 19/20 = 95.0%; the week before 9/10 = 90.0%: +5.0 points.
    assert "Latest week: 95.0% (+5.0 points on last week)" in page
    # Mean 750 / 9 = 83.333; moving ranges 5, 10, 5, 5, 5, 15, 20, 5 -> mean 8.75; limits
    # 83.333 -/+ 2.66 x 8.75 = 60.058 and 106.608 (drawn at 100%); 9 points: trial limits. The
    # plan's notice (24 Oct 2022) is before the series: one segment.
    assert (
        "Mean 83.3%; trial limits 60.1% to 100.0% (9 points since the week ending 04 February "
        "2024)." in page
    )
    # Near zone beyond 83.333 +/- 15.517: no point; no run of 7: common cause.
    assert "Every point since the week ending 04 February 2024 shows common-cause" in page
    # Benchmarks for periods to 31 Mar 2023 (77.0) and 31 Mar 2024 (78.5): as at the week ending
    # 31 Mar 2024 the 2024 one, labelled with its own period.
    assert "England (Mar 2024): 78.5%." in page
    assert "run run-1234" in page and "Extract of 31 March 2024" in page
    for name in ("index.html", "all-charts.html", "validation.html", "assets/vega.js",
                 "assets/clinic.js", "assets/clinic.css", f"charts/{KPI}.png",
                 f"charts/{KPI}.svg"):  # fmt: skip
        assert (folder / name).is_file(), name
    assert (folder / f"charts/{KPI}.png").read_bytes()[:4] == b"\x89PNG"
    # The images for papers carry the protective marking themselves (as the pages do).
    assert "OFFICIAL-SENSITIVE" in (folder / f"charts/{KPI}.svg").read_text(encoding="utf-8")
    assert "<svg" in (folder / f"charts/{KPI}.svg").read_text(encoding="utf-8")[:500]
    # ... and the caption a paper needs under it: LA, KPI, weeks shown, extract, day drawn.
    drawn = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", (folder / f"charts/{KPI}.svg").read_text())
    label = next(k.label for k in definitions if k.id == KPI)
    assert " ".join(drawn).startswith(
        f"OFFICIAL-SENSITIVE Testshire ({LA}): {label}, weekly, weeks ending 4 February 2024 to "
        f"31 March 2024. Source: extract of 31 March 2024. Drawn {dt.date.today().day} "
    )
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
    page = _text(tmp_path / LA / "internal" / "clinic" / "2024-03-18" / f"{KPI}.html")
    # Cut at Sunday 24 March: latest 90%, the week before 70%: +20.0 points; mean of
    # 75, 80, 90, 85, 80, 85, 70, 90 = 655 / 8 = 81.875 (the engine's SPC of those 8 points,
    # read from kpi.kpi_spc_restated, not kpi.kpi_spc's of the extract's 9).
    assert "Latest week: 90.0% (+20.0 points on last week)" in page
    assert "Mean 81.9%" in page
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
    index = tmp_path / LA / "internal" / "clinic" / week.isoformat() / "index.html"
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


def test_the_pack_of_the_extracts_week_reads_kpi_spc(definitions) -> None:  # type: ignore[no-untyped-def]
    con = tiny_warehouse()
    plans = load_plans()
    assert refresh_spc(con, LA, definitions, plans) == 9  # run again: the same rows
    series = con.execute(
        "select period_start, period_end, value from kpi.kpi_values order by period_end"
    ).pl()
    kpi = definitions[0]
    notice = [plans["local_plan_2022"].issued]
    stored = clinic_spc.week_spc(con, LA, kpi, EXTRACT, EXTRACT, series)
    # The stored rows are what spc.kpi_spc gives for the same points (one function for both),
    # judged against the plan's 90% (due August 2023, the last target: no status rows here).
    assert stored.equals(spc.kpi_spc(series, "flow", "up", notice, [], 90.0))
    assert stored["assurance"][0] == "hit_and_miss"  # 90 within 60.1-106.6
    # ... and they are read, not recomputed: a changed stored mean shows through.
    con.execute("update kpi.kpi_spc set mean = 1.5")
    assert clinic_spc.week_spc(con, LA, kpi, EXTRACT, EXTRACT, series)["mean"][0] == 1.5
    # A week cut earlier is read from the engine's cut of its own points: 655 / 8.
    week_end = dt.date(2024, 3, 24)
    cut = clinic_spc.week_spc(con, LA, kpi, EXTRACT, week_end, series.head(8))
    assert cut["mean"][0] == pytest.approx(655 / 8)
    con.execute("update kpi.kpi_spc_restated set mean = 2.5 where week_end = ?", [week_end])
    assert clinic_spc.week_spc(con, LA, kpi, EXTRACT, week_end, series.head(8))["mean"][0] == 2.5


# Twelve weeks at 60% and 62% in turn, then 95% in the week of the extract.
LOW_THEN_HIGH = {
    dt.date(2024, 1, 7) + dt.timedelta(weeks=i): ((60, 100) if i % 2 == 0 else (62, 100))
    for i in range(12)
} | {dt.date(2024, 3, 31): (95, 100)}


def _index_rows(index: Path) -> list[str]:
    text = index.read_text(encoding="utf-8")
    return [re.sub(r"<[^>]+>", " ", row) for row in re.findall(r"<tr>.*?</tr>", text)]


def test_green_beside_limits_below_the_target_says_both(tmp_path: Path, definitions) -> None:  # type: ignore[no-untyped-def]
    con = tiny_warehouse(LOW_THEN_HIGH)
    con.execute(
        """insert into kpi.kpi_status (la_code, plan_id, target_id, kpi_id, as_at_date, measure,
               value, target_value, direction, due_date, is_due, is_current_target, met, rag,
               reason, extract_date)
           values (?, 'local_plan_2022', 't1', ?, '2024-03-31', 'in_month', 95, 90, 'at_least',
                   '2024-03-31', true, true, true, 'green', 'met: 95.0% against at least 90%', ?)""",
        [LA, KPI, EXTRACT],
    )
    refresh_spc(con, LA, definitions, load_plans())  # assurance against the status's target
    clinic.write_clinic_pack(con, LA, dt.date(2024, 3, 25), definitions, load_plans(), tmp_path,
                             "run-1", images=False)  # fmt: skip
    folder = tmp_path / LA / "internal" / "clinic" / "2024-03-25"
    # Mean (6 x 60 + 6 x 62 + 95) / 13 = 63.615; mR eleven 2s and 33 -> 55 / 12 = 4.583;
    # upper limit 63.615 + 12.192 = 75.808 < 90: the limits lie below the target
    # (consistently failing), while the month met it (GREEN).
    rows = [r for r in _index_rows(folder / "index.html") if "GREEN" in r]
    assert rows and all(
        "target met this time, but the process is not yet reliably meeting it" in r for r in rows
    )
    # The RAG names what it judged: the month's value by the target's measure, which is not the
    # latest week's (a week can read 100% while the month misses).
    assert all("(March 2024, in the month: 95.0%, above the 90.0% minimum)" in r for r in rows)
    for row in _index_rows(folder / "index.html"):
        assert_no_contradiction(row)
    page = _text(folder / f"{KPI}.html")
    assert "consistently failing" not in page.split("Definition details")[0].split("RAG:")[1][:200]
    # The summary table shows the assurance icon with its words and links to the chart.
    summary = (folder / "index.html").read_text(encoding="utf-8")
    assert (
        f'<a href="{KPI}.html">' in summary
        and 'data-meaning="consistently failing the target"' in summary
    )


def assert_no_contradiction(row: str) -> None:
    """A row with a RAG colour never states an assurance that contradicts it unqualified."""
    if "GREEN" in row:
        assert "target not met" not in row, row
        assert "consistently failing" not in row, row
    if "AMBER" in row or "RED" in row:
        assert "target met" not in row, row
        assert "consistently passing" not in row, row


@pytest.mark.parametrize("rag", ["green", "amber", "red", None])
@pytest.mark.parametrize(
    "assurance", ["consistently_passing", "consistently_failing", "hit_and_miss", None]
)
def test_target_sentence_never_contradicts_the_rag(rag: str | None, assurance: str | None) -> None:
    sentence = clinic_index.target_sentence(rag, assurance)
    if rag == "green":
        assert sentence.startswith("target met")
    elif rag is not None:
        assert sentence.startswith("target not met")
    assert_no_contradiction(f"{(rag or '').upper()} {sentence}")
    if assurance == "consistently_failing" and rag == "green":
        assert "not yet reliably" in sentence
    if assurance == "consistently_passing" and rag in ("amber", "red"):
        assert "usually meets it" in sentence


def test_two_values_are_a_table_not_a_chart(tmp_path: Path, definitions) -> None:  # type: ignore[no-untyped-def]
    weeks = {dt.date(2024, 3, 24): (9, 10), dt.date(2024, 3, 31): (19, 20)}
    pack = clinic.write_clinic_pack(con := tiny_warehouse(weeks), LA, dt.date(2024, 3, 25),
                                    definitions, load_plans(), tmp_path, "run-1", images=False)  # fmt: skip
    del con
    assert pack.charts == 0
    folder = tmp_path / LA / "internal" / "clinic" / "2024-03-25"
    page = _text(folder / f"{KPI}.html")
    assert "2 value(s) only: shown as a table, not as a chart of a process." in page
    assert "data-spec" not in (folder / f"{KPI}.html").read_text(encoding="utf-8")
    assert "common-cause" not in page and "common cause" not in page
    assert "too few values for a chart" in _text(folder / "index.html")


def test_a_stock_is_a_run_chart_without_a_verdict(tmp_path: Path) -> None:
    kpi = "cp_share_of_open_cases_pct"  # snapshot: the share of open cases on a plan at D
    con = tiny_warehouse(WEEKS, kpi)
    definitions = [k for k in load_definitions() if k.id == kpi]
    pack = clinic.write_clinic_pack(con, LA, dt.date(2024, 3, 25), definitions, load_plans(),
                                    tmp_path, "run-1", images=False)  # fmt: skip
    assert pack.charts == 1
    folder = tmp_path / LA / "internal" / "clinic" / "2024-03-25"
    page = _text(folder / f"{kpi}.html")
    assert "Run chart, with no process limits and no special-cause verdict: a stock" in page
    assert "Mean " not in page and "special cause:" not in page
    assert "run chart: no SPC verdict" in _text(folder / "index.html")
