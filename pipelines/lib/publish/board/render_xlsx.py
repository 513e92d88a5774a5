"""The board report as a workbook an analyst can filter, chart and print: a Summary, the
Milestones, the objectives Slow to progress, then a sheet per notice area. Every figure is a
number with its unit's number format, every date a date, RAG a word in its own column coloured by
conditional formatting; headers frozen and repeated on each printed page, landscape A4 one page
wide (``publish/xlsx_tables.py``)."""

from typing import Any

from openpyxl import Workbook

from pipelines.lib import formatting
from pipelines.lib.kpi import eras
from pipelines.lib.kpi.milestones import MEASURE_WORDS
from pipelines.lib.publish.board import milestone_table, service_tables
from pipelines.lib.publish.board.content import AreaPage, BoardContent, TargetRow
from pipelines.lib.publish.board.tables import SUMMARY_HEADER, plan_lines
from pipelines.lib.publish.xlsx_tables import Formatted, TableSheet, add_table_sheet


def sheet_name(number: int, title: str) -> str:
    """An area's sheet: numbered, as titles are long and may share their first words."""
    return f"{number}. {title}"


def _number(value: float | None, unit: str, target: float | None = None) -> Formatted:
    """A KPI's figure; beside a target, with the places that tell them apart (as ``against``)."""
    return Formatted(value, formatting.xlsx_format_against(value, target, unit))


SUMMARY_UNITS = ("label", "count", "count", "count", "count", "count", "count")
SLOW_HEADER = ("Notice area", "KPI", "Latest value", "Month", "Target", "By the target's measure",
               "RAG", "Reason")  # fmt: skip
SLOW_UNITS = ("label", "label", "number", "month", "note", "number", "rag", "note")
# Where each target stands, then its benchmarks in a table of their own (one table would be too
# wide to print readably on one page); the targets as set are on the Milestones sheet.
TARGET_HEADER = ("KPI", "Latest value", "Month", "Target", "Direction", "Due", "Measure",
                 "By the target's measure", "RAG", "Met", "Trajectory now", "Slow to progress",
                 "Reason")  # fmt: skip
TARGET_UNITS = ("label", "number", "month", "number", "text", "day", "text", "number", "rag",
                "text", "number", "text", "note")  # fmt: skip
BENCHMARK_HEADER = ("KPI", "Same month last year", "England", "England period",
                    "Statistical neighbours", "Statistical neighbours period")  # fmt: skip
BENCHMARK_UNITS = ("label", "number", "number", "month", "number", "month")
# Evidence lines up with the tables above: its note under the reason.
EVIDENCE_HEADER = ("KPI", "Latest value", "Month", "Same month last year", "England",
                   "England period", "Statistical neighbours", "Statistical neighbours period",
                   "", "", "", "", "Note")  # fmt: skip
EVIDENCE_UNITS = ("label", "number", "month", "number", "number", "month", "number", "month",
                  "text", "text", "text", "text", "note")  # fmt: skip
MILESTONE_UNITS = ("label", "text", "number", "day", "text", "number", "text", "text", "rag",
                   "note", "note")  # fmt: skip
# Measure words ("over the 12 months to the month end") wrap in a narrower column; the reason
# (and the evidence note under it) in a wider one.
AREA_WIDTHS = {7: 12, 13: 32}


def _target_row(t: TargetRow) -> list[Any]:
    return [
        t.label,
        _number(t.value, t.unit),
        t.period_end,
        _number(t.target_value, t.unit),
        formatting.bound_word(t.direction),
        t.due_date,
        MEASURE_WORDS[t.measure],
        _number(t.measure_value, t.unit, t.target_value),
        t.rag,
        t.met_text,
        _number(t.trajectory_value, t.unit),
        "yes" if t.slow_to_progress else "no",
        t.reason,
    ]


def _benchmark_row(t: TargetRow) -> list[Any]:
    b = t.benchmarks
    return [
        t.label,
        _number(b.last_year_value, t.unit),
        _number(b.england_value, t.unit),
        b.england_period_end,
        _number(b.sn_value, t.unit),
        b.sn_period_end,
    ]


def _history(content: BoardContent, area: AreaPage) -> tuple[list[str], list[list[Any]], list[str]]:
    """The last months by the target's measure: the values side by side (to chart them), then
    each month's RAG."""
    months = [formatting.month_text(d) for d in content.history_months]
    header = ["KPI", *months, *(f"{m} RAG" for m in months)]
    units = ["label", *(["number"] * len(months)), *(["rag"] * len(months))]
    rows = [
        [
            t.label,
            *(_number(p.value, t.unit, p.target_value) for p in t.history),
            *(p.rag if p.value is not None else None for p in t.history),
        ]
        for t in area.targets
    ]
    return header, rows, units


def _milestone_cell(cell: tuple[Any, str | None, str | None], unit: str) -> Any:
    value, rag, number_format = cell
    if unit == "rag":
        return rag
    if unit == "number" and number_format:
        return Formatted(value, number_format)
    return value


def _area_sheet(workbook: Workbook, number: int, content: BoardContent, area: AreaPage) -> None:
    sheet = TableSheet(workbook, sheet_name(number, area.title))
    sheet.lines([content.period_text], title=area.title)
    if area.targets:
        sheet.table(TARGET_HEADER, [_target_row(t) for t in area.targets], TARGET_UNITS,
                    AREA_WIDTHS)  # fmt: skip
        sheet.heading("Benchmarks")
        sheet.table(BENCHMARK_HEADER, [_benchmark_row(t) for t in area.targets], BENCHMARK_UNITS)
        sheet.heading(
            "The last six month ends, each against the milestone then in force, by that "
            "milestone's measure, with the RAG then"
        )
        sheet.table(*_history(content, area))
    else:
        sheet.lines(["No target in this area."])
    if area.evidence:
        sheet.heading("Other KPIs evidencing this area")
        rows = [
            [
                e.label,
                _number(e.value, e.unit),
                e.period_end,
                _number(e.benchmarks.last_year_value, e.unit),
                _number(e.benchmarks.england_value, e.unit),
                e.benchmarks.england_period_end,
                _number(e.benchmarks.sn_value, e.unit),
                e.benchmarks.sn_period_end,
                *([None] * 4),
                "" if e.available else eras.availability_text(e.unavailable_reason),
            ]
            for e in area.evidence
        ]
        sheet.table(EVIDENCE_HEADER, rows, EVIDENCE_UNITS, AREA_WIDTHS)
    sheet.finish()


def render_xlsx(content: BoardContent) -> Workbook:
    """Summary, Milestones, Slow to progress, then one sheet per notice area."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = content.heading
    wb.properties.subject = content.period_text
    wb.properties.creator = "csc-kpis"
    wb.properties.description = content.footer
    counts = [
        [area.title, len(area.targets), area.count("green"), area.count("amber"),
         area.count("red"), area.count(None), area.slow]
        for area in content.areas
    ]  # fmt: skip
    totals = [sum(column) for column in zip(*(row[1:] for row in counts), strict=True)] or [0] * 6
    add_table_sheet(
        wb,
        "Summary",
        SUMMARY_HEADER,
        [*counts, ["All areas", *totals]],
        SUMMARY_UNITS,
        intro=[content.period_text, *plan_lines(content), content.audience_note, content.footer],
        widths={1: 40},
        heading=content.heading,
    )
    add_table_sheet(
        wb,
        "Milestones",
        milestone_table.XLSX_HEADER,
        [
            [_milestone_cell(c, u) for c, u in zip(row, MILESTONE_UNITS, strict=True)]
            for row in milestone_table.xlsx_rows(content.milestones)
        ],
        MILESTONE_UNITS,
        intro=[milestone_table.CAPTION],
        widths={5: 14, 8: 14, 10: 34, 11: 34},
    )
    slow = [
        [t.area_title, t.label, _number(t.value, t.unit), t.period_end, t.target_text,
         _number(t.measure_value, t.unit, t.target_value), t.rag, t.reason]
        for t in content.slow
    ]  # fmt: skip
    none = [] if slow else ["No objective is slow to progress."]
    intro = [content.period_text, *none]
    add_table_sheet(wb, "Slow to progress", SLOW_HEADER, slow, SLOW_UNITS, intro=intro,
                    heading="Objectives slow to progress")  # fmt: skip
    if content.service:
        service_tables.add_xlsx_sheet(wb, content.service, content.period_text)
    for number, area in enumerate(content.areas, start=1):
        _area_sheet(wb, number, content, area)
    return wb
