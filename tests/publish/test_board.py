"""The improvement board report on a tiny hand-made warehouse.

LA 900, extract of 31 March 2024 (so the reported month is March 2024), one plan with two areas:

- front_door ("Front door timeliness"): contacts_1wd_pct at least 90% by 30 Jun 2024 in the month,
  baseline 80% on 30 Sep 2023, March value 91.4 (green, on track); referrals_seen_pct at least 85%
  by 30 Jun 2024, no baseline (so no trajectory), March value 92.0 (green). contacts_received
  evidences the area without a target.
- care_leavers ("Care leavers 21 and over"): leavers_pa_pct at least 90% by 31 Jan 2024 at the
  month end; March value 75.66: past the due date and not met, so red and slow to progress.
  s47_per_10k evidences it but is not available.
"""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import docx
import duckdb
import openpyxl
import polars as pl
import pytest

from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.outputs import ensure_output_schema, load_benchmarks
from pipelines.lib.kpi.status import STATUS_SCHEMA
from pipelines.lib.kpi.targets import Plan, Target
from pipelines.lib.publish import figures
from pipelines.lib.publish.board import write_board_report
from pipelines.lib.publish.board.content import BoardContent
from pipelines.lib.publish.board.read import (
    board_content,
    month_ends_back,
    read_status,
    report_month_end,
)
from pipelines.lib.publish.board.render_html import render_html
from pipelines.lib.publish.board.render_xlsx import _number
from pipelines.lib.publish.board.tables import against, format_value, history_rows
from pipelines.lib.publish.figures import NotPublishable, Provenance
from pipelines.lib.publish.xlsx_tables import Formatted
from pipelines.lib.validation.run import ensure_results_table
from pipelines.lib.warehouse import META_DDL, insert_frame

D = dt.date
LA = "900"
EXTRACT = D(2024, 3, 31)
PLAN_ID = "test_plan"
SLOW_LABEL = "Care leavers aged 21-25 with a personal adviser"
SLOW_REASON = "not met: 75.7% against at least 90.0% by 31 Jan 2024"
MONTHS = month_ends_back(EXTRACT, 13)  # Mar 2023 .. Mar 2024


def kpi(kpi_id: str, label: str, unit: str, area: str) -> KpiDefinition:
    return KpiDefinition(
        id=kpi_id, label=label, description=label, area="other", notice_areas=(area,),
        kind="flow", shape="events", unit=unit, polarity="up", tables=(), optional_tables=(),
        source="local", assumptions=(), dimensions=(),
    )  # fmt: skip


DEFINITIONS = [
    kpi("contacts_1wd_pct", "Contacts decided within 1 working day", "percent", "front_door"),
    kpi("referrals_seen_pct", "Referred children seen within 5 working days", "percent",
        "front_door"),
    kpi("contacts_received", "Contacts received", "count", "front_door"),
    kpi("leavers_pa_pct", SLOW_LABEL, "percent", "care_leavers"),
    kpi("s47_per_10k", "Section 47 enquiries per 10,000 children", "rate_per_10k", "care_leavers"),
]  # fmt: skip


def target(
    kpi_id: str,
    area: str,
    value: float,
    due: dt.date,
    measure: str,
    baseline: tuple[float, dt.date] | None = None,
) -> Target:
    return Target(
        plan_id=PLAN_ID, kpi_id=kpi_id, area=area, value=value, value_parameter=None,
        value_from=None, direction="at_least", due=due, measure=measure,
        baseline_value=baseline[0] if baseline else None,
        baseline_date=baseline[1] if baseline else None, baseline_label=None, tolerance=None,
        quote=f"Test plan: {kpi_id} at least {value:g}%.", note=None,
    )  # fmt: skip


PLAN = Plan(
    id=PLAN_ID,
    title="Test improvement plan",
    issued=D(2022, 10, 24),
    set_by="the council (illustrative local targets)",
    areas={"front_door": "Front door timeliness", "care_leavers": "Care leavers 21 and over"},
    targets=(
        target(
            "contacts_1wd_pct", "front_door", 90, D(2024, 6, 30), "in_month", (80.0, D(2023, 9, 30))
        ),
        target("referrals_seen_pct", "front_door", 85, D(2024, 6, 30), "in_month"),
        target("leavers_pa_pct", "care_leavers", 90, D(2024, 1, 31), "snapshot"),
    ),
    path=Path("test_plan.yaml"),
)
PLANS = {PLAN_ID: PLAN}
PROVENANCE = Provenance(
    la_code=LA,
    la_name="Testshire Borough Council (fictional)",
    extract_date=EXTRACT,
    run_id="abcdef1234567890",
    validation="passed",
    generated_at=dt.datetime(2024, 4, 2, 9, 30),
)

# Monthly values; Apr-Sep 2023 are filler.
CONTACTS_PCT = [70.0] + [75.0] * 6 + [84.0, 85.5, 87.0, 88.0, 89.5, 91.4]
CONTACTS_N = [1335.0] + [1200.0] * 11 + [1203.0]
LEAVERS_PCT = [70.0] + [72.0] * 6 + [74.0, 75.0, 75.5, 75.0, 76.0, 75.66]
BENCHMARKS_CSV = """\
kpi_id,area_type,area_code,area_name,period_end,value,unit,derived,source
contacts_1wd_pct,england,E92000001,England,2023-03-31,85.0,percent,false,test
contacts_1wd_pct,statistical_neighbours_median,SN900,Neighbours of 900,2023-03-31,82.5,percent,true,test
contacts_1wd_pct,statistical_neighbours_median,SN999,Neighbours of 999,2023-03-31,50.0,percent,true,test
"""


def _trajectory(day: dt.date) -> float:
    # 80% on 30 Sep 2023 to 90% on 30 Jun 2024: 274 days; 31 Mar 2024 is day 183 -> 86.678832.
    return 80 + 10 * (day - D(2023, 9, 30)).days / 274


def _status_rows() -> pl.DataFrame:
    rows = []

    def add(
        kpi_id: str,
        due: dt.date,
        measure: str,
        day: dt.date,
        value: float,
        rag: str,
        trajectory: float | None,
        slow: bool,
        reason: str,
    ) -> None:
        target_value = 85.0 if kpi_id == "referrals_seen_pct" else 90.0
        rows.append(
            {
                "la_code": LA,
                "plan_id": PLAN_ID,
                "target_id": f"{PLAN_ID}:{kpi_id}:{due}",
                "kpi_id": kpi_id,
                "as_at_date": day,
                "measure": measure,
                "value": value,
                "target_value": target_value,
                "direction": "at_least",
                "due_date": due,
                "is_due": day >= due,
                "is_current_target": True,
                "met": value >= target_value,
                "rag": rag,
                "tolerance": 5.0,
                "trajectory_value": trajectory,
                "forecast_at_due": None,
                "slow_to_progress": slow,
                "reason": reason,
                "extract_date": EXTRACT,
            }
        )

    last6 = MONTHS[-6:]
    # 84.0 is 6 points short (red), 85.5-89.5 within 5 (amber), 91.4 met (green).
    for day, value, rag in zip(
        last6, CONTACTS_PCT[-6:], ["red"] + ["amber"] * 4 + ["green"], strict=True
    ):
        add(
            "contacts_1wd_pct",
            D(2024, 6, 30),
            "in_month",
            day,
            value,
            rag,
            _trajectory(day),
            False,
            "on track towards at least 90.0% by 30 Jun 2024",
        )
    for day, value in zip(MONTHS[-2:], [88.0, 92.0], strict=True):
        add(
            "referrals_seen_pct",
            D(2024, 6, 30),
            "in_month",
            day,
            value,
            "green",
            None,
            False,
            "on track towards at least 85.0% by 30 Jun 2024",
        )
    for day, value in zip(last6, LEAVERS_PCT[-6:], strict=True):
        add(
            "leavers_pa_pct",
            D(2024, 1, 31),
            "snapshot",
            day,
            value,
            "red",
            90.0,
            True,
            SLOW_REASON if day == EXTRACT else "slow to progress towards at least 90.0%",
        )
    return pl.DataFrame(rows, schema=STATUS_SCHEMA)


def _values() -> pl.DataFrame:
    series = {
        "contacts_1wd_pct": (CONTACTS_PCT, "percent"),
        "contacts_received": (CONTACTS_N, "count"),
        "leavers_pa_pct": (LEAVERS_PCT, "percent"),
    }
    rows = [
        {
            "la_code": LA,
            "kpi_id": kpi_id,
            "grain": "month",
            "period_start": day.replace(day=1),
            "period_end": day,
            "numerator": None,
            "denominator": None,
            "value": value,
            "unit": unit,
            "extract_date": EXTRACT,
        }
        for kpi_id, (values, unit) in series.items()
        for day, value in zip(MONTHS, values, strict=True)
    ] + [
        {
            "la_code": LA,
            "kpi_id": "referrals_seen_pct",
            "grain": "month",
            "period_start": day.replace(day=1),
            "period_end": day,
            "numerator": None,
            "denominator": None,
            "value": value,
            "unit": "percent",
            "extract_date": EXTRACT,
        }
        for day, value in zip(MONTHS[-2:], [88.0, 92.0], strict=True)
    ]
    return pl.DataFrame(rows)


def board_warehouse(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """The hand-made warehouse above, in memory (the adviser report's tests add to it)."""
    con = duckdb.connect()
    for ddl in META_DDL:
        con.execute(ddl)
    ensure_output_schema(con)
    ensure_results_table(con)
    benchmarks = tmp_path / "benchmarks.csv"
    benchmarks.write_text(BENCHMARKS_CSV)
    load_benchmarks(con, benchmarks)
    con.execute(
        "insert into meta.la (la_code, la_name, targets, benchmark_sn) values (?, ?, ?, ?)",
        [LA, PROVENANCE.la_name, [PLAN_ID], "SN900"],
    )
    insert_frame(con, "kpi.kpi_values", _values())
    insert_frame(con, "kpi.kpi_status", _status_rows())
    for k in DEFINITIONS:
        available = k.id != "s47_per_10k"
        con.execute(
            "insert into kpi.kpi_availability values (?, ?, ?, ?, ?)",
            [
                LA,
                EXTRACT,
                k.id,
                available,
                None if available else "ssd_s47_enquiry is absent from the extract of 2024-03-31",
            ],
        )
    for layer, asset in (("stg", "ssd_contacts"), ("kpi", "contacts_1wd_pct")):
        con.execute(
            """insert into meta.validation_results (la_code, extract_date, layer, asset,
               check_description, severity, success, element_count, unexpected_count)
               values (?, ?, ?, ?, 'rows are unique', 'error', true, 10, 0)""",
            [LA, EXTRACT, layer, asset],
        )
    return con


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = board_warehouse(tmp_path)
    yield con
    con.close()


def _content(con: duckdb.DuckDBPyConnection, status: pl.DataFrame | None = None) -> BoardContent:
    plans = figures.la_plans(con, LA, PLANS)
    return board_content(
        figures.kpi_figures(con, LA, EXTRACT, DEFINITIONS, plans),
        read_status(con, LA, EXTRACT) if status is None else status,
        plans,
        DEFINITIONS,
        PROVENANCE,
    )


def test_units_are_formatted_for_the_reader() -> None:
    assert format_value(75.66, "percent") == "75.7%"
    assert format_value(178.66, "rate_per_10k") == "178.7 per 10,000"
    assert format_value(1203.0, "count") == "1,203"
    assert format_value(45.24, "weeks") == "45.2 weeks"
    assert format_value(8.16, "days") == "8.2 days"
    assert format_value(16.33, "ratio") == "16.3"
    assert format_value(None, "percent") == ""


def test_the_reported_month_is_the_latest_complete_one() -> None:
    assert report_month_end(D(2024, 3, 31)) == D(2024, 3, 31)
    assert report_month_end(D(2011, 9, 25)) == D(2011, 8, 31)
    assert report_month_end(D(2024, 3, 1)) == D(2024, 2, 29)
    assert month_ends_back(D(2024, 3, 31), 3) == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31)]


def test_content_counts_and_figures(con: duckdb.DuckDBPyConnection) -> None:
    content = _content(con)
    front, care = content.areas
    assert (front.title, care.title) == ("Front door timeliness", "Care leavers 21 and over")
    # Front door: two green, none slow; care leavers: one red and slow.
    assert [(a.count("green"), a.count("red"), a.slow) for a in content.areas] == [
        (2, 0, 0),
        (0, 1, 1),
    ]
    assert [t.kpi_id for t in content.slow] == ["leavers_pa_pct"]
    assert content.slow[0].reason == SLOW_REASON
    contacts = front.targets[0]
    assert contacts.value == pytest.approx(91.4)
    assert contacts.trajectory_value == pytest.approx(86.678832)
    assert contacts.benchmarks.last_year_value == pytest.approx(70.0)  # March 2023
    assert (contacts.benchmarks.england_value, contacts.benchmarks.sn_value) == (85.0, 82.5)
    assert [p.rag for p in contacts.history] == ["red"] + ["amber"] * 4 + ["green"]
    # referrals_seen_pct has status for February and March only.
    assert [p.value for p in front.targets[1].history] == [None] * 4 + [88.0, 92.0]
    assert [e.kpi_id for e in front.evidence] == ["contacts_received"]
    assert [e.kpi_id for e in care.evidence] == ["s47_per_10k"]
    assert not care.evidence[0].available


def test_slow_to_progress_comes_first_within_an_area(con: duckdb.DuckDBPyConnection) -> None:
    status = read_status(con, LA, EXTRACT).with_columns(
        slow_to_progress=pl.col("slow_to_progress") | (pl.col("kpi_id") == "referrals_seen_pct")
    )
    front = _content(con, status).areas[0]
    assert [t.kpi_id for t in front.targets] == ["referrals_seen_pct", "contacts_1wd_pct"]


def test_html_lists_the_slow_objective_first_with_its_reason(
    con: duckdb.DuckDBPyConnection,
) -> None:
    text = render_html(_content(con))
    slow_at, first_area_at = text.index('id="slow"'), text.index('class="area"')
    assert slow_at < first_area_at
    assert SLOW_LABEL in text[slow_at:first_area_at]
    assert SLOW_REASON in text[slow_at:first_area_at]
    assert '<th scope="col">RAG</th>' in text
    assert '<td class="rag rag-red">Red</td>' in text  # colour and the word
    assert "86.7%" in text  # the trajectory of contacts_1wd_pct now
    assert "70.0% (Mar 2023)" in text and "85.0% (Mar 2023)" in text and "82.5% (Mar 2023)" in text
    assert "1,203" in text and "1,335 (Mar 2023)" in text
    assert "not available: ssd_s47_enquiry is absent" in text
    assert "scrutiny export" in text
    assert "break-before: page" in text
    assert "http://" not in text and "https://" not in text
    assert PROVENANCE.footer() in text


def test_writes_html_xlsx_and_docx(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    paths = write_board_report(con, LA, EXTRACT, DEFINITIONS, PLANS, tmp_path, PROVENANCE)
    folder = tmp_path / LA / "internal" / "board" / "monthly" / "2024-03"
    assert paths == [folder / f"board-report-2024-03.{ext}" for ext in ("html", "xlsx", "docx")]

    workbook = openpyxl.load_workbook(paths[1])
    assert workbook.sheetnames == [
        "Summary",
        "Milestones",
        "Slow to progress",
        "1. Front door timeliness",
        "2. Care leavers 21 and over",
    ]
    slow = workbook["Slow to progress"]
    cells = {c.value: c for row in slow.iter_rows() for c in row if c.value is not None}
    assert SLOW_LABEL in cells and SLOW_REASON in cells
    # The red of the one RAG palette (publish/style.py), by conditional formatting on the word.
    rules = [(str(r.sqref), rule) for r in slow.conditional_formatting for rule in r.rules]
    red = [(where, rule) for where, rule in rules if rule.formula == ['"Red"']]
    assert red and cells["Red"].coordinate in red[0][0]
    assert red[0][1].dxf.fill.fgColor.rgb.endswith("F6C6C6")
    assert slow.freeze_panes is not None
    area = workbook["2. Care leavers 21 and over"]
    assert any(c.value == SLOW_LABEL for row in area.iter_rows() for c in row)

    document = docx.Document(str(paths[2]))
    headings = [
        p.text for p in document.paragraphs if p.style and p.style.name.startswith("Heading")
    ]
    assert "Front door timeliness" in headings and "Care leavers 21 and over" in headings
    assert headings.index("Objectives slow to progress") < headings.index("Front door timeliness")
    cell_text = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert SLOW_LABEL in cell_text and SLOW_REASON in cell_text
    assert document.sections[0].footer.paragraphs[0].text == PROVENANCE.footer()


def test_rerun_replaces_the_folder(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    write_board_report(con, LA, EXTRACT, DEFINITIONS, PLANS, tmp_path, PROVENANCE)
    folder = tmp_path / LA / "internal" / "board" / "monthly" / "2024-03"
    (folder / "stale.txt").write_text("from an earlier run")
    write_board_report(con, LA, EXTRACT, DEFINITIONS, PLANS, tmp_path, PROVENANCE)
    assert sorted(p.name for p in folder.parent.iterdir()) == ["2024-03"]  # no temp folders left
    assert sorted(p.name for p in folder.iterdir()) == [
        "board-report-2024-03.docx",
        "board-report-2024-03.html",
        "board-report-2024-03.xlsx",
    ]


def test_adviser_report_is_titled_and_filed_by_extract(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    paths = write_board_report(
        con, LA, EXTRACT, DEFINITIONS, PLANS, tmp_path, PROVENANCE, "adviser", tmp_path / "data"
    )
    folder = tmp_path / LA / "internal" / "board" / "adviser" / "2024-03-31"
    assert paths == [
        folder / f"adviser-report-2024-03-31.{ext}" for ext in ("html", "xlsx", "docx")
    ]
    text = paths[0].read_text(encoding="utf-8")
    assert "Progress report to the DfE adviser" in text
    assert "Six-weekly progress report on the extract of 31 March 2024" in text


def test_not_publishable_when_a_blocking_check_failed(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    con.execute(
        """insert into meta.validation_results (la_code, extract_date, layer, asset,
           check_description, severity, success, element_count, unexpected_count)
           values (?, ?, 'stg', 'ssd_contacts', 'contact dates are dates', 'error', false, 10, 2)""",
        [LA, EXTRACT],
    )
    with pytest.raises(NotPublishable, match="contact dates are dates"):
        write_board_report(con, LA, EXTRACT, DEFINITIONS, PLANS, tmp_path, PROVENANCE)
    assert not (tmp_path / LA).exists()


def test_a_value_that_rounds_to_the_target_shows_the_decimals_that_tell_them_apart(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # February's referrals figure becomes 84.96 against "at least 85": one place would read
    # "85.0% (Amber)", as if met; two places say 84.96%.
    status = read_status(con, LA, EXTRACT).with_columns(
        value=pl.when((pl.col("kpi_id") == "referrals_seen_pct") & (pl.col("value") == 88.0))
        .then(84.96)
        .otherwise(pl.col("value")),
        rag=pl.when((pl.col("kpi_id") == "referrals_seen_pct") & (pl.col("value") == 88.0))
        .then(pl.lit("amber"))
        .otherwise(pl.col("rag")),
    )
    content = _content(con, status)
    referrals = content.areas[0].targets[1]
    cells = [text for text, _ in history_rows(content.areas[0])[1]]
    assert cells[-2:] == ["84.96% (Amber)", "92.0% (Green)"]
    assert referrals.history[-2].target_value == 85.0
    assert against(84.96, 85.0, "percent") == "84.96%"
    assert _number(84.96, "percent", 85.0) == Formatted(84.96, '0.00"%"')  # the workbook too
    assert against(91.4, 90.0, "percent") == "91.4%"


def test_milestones_in_the_content_and_the_workbook(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    content = _content(con)
    # Three targets; the two due 30 Jun 2024 are after March 2024: not yet due. The care
    # leavers' one fell due on 31 Jan 2024, when its value (LEAVERS_PCT, January) was 75.0
    # against at least 90: not met, missed by 15.0 points.
    found = [(m.target.kpi_id, m.state, m.margin) for m in content.milestones]
    assert found == [
        ("leavers_pa_pct", "not met", "missed by 15.0 points"),
        ("contacts_1wd_pct", "not yet due", ""),
        ("referrals_seen_pct", "not yet due", ""),
    ]
    paths = write_board_report(con, LA, EXTRACT, DEFINITIONS, PLANS, tmp_path, PROVENANCE)
    sheet = openpyxl.load_workbook(paths[1])["Milestones"]
    rows = [[c for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0].value == "KPI")
    first = {h.value: c for h, c in zip(rows[header], rows[header + 1], strict=True)}
    assert first["Value at the due date"].value == 75.0
    assert first["Value at the due date"].number_format == '0.0"%"'
    assert first["Target"].value == 90 and first["RAG"].value == "Red"
    # The six months' history: numbers with a number format, each RAG in its own column.
    area = openpyxl.load_workbook(paths[1])["2. Care leavers 21 and over"]
    values = [c for row in area.iter_rows() for c in row if c.value == 75.66]
    assert values and values[0].number_format == '0.0"%"'
