"""The board report as a workbook: numbers as numbers with the unit's number format, RAG in its
own column: a Summary, the Milestones, the objectives Slow to progress, then a sheet per notice
area."""

from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.lib import formatting
from pipelines.lib.kpi import eras
from pipelines.lib.kpi.milestones import MEASURE_WORDS
from pipelines.lib.publish import cells
from pipelines.lib.publish.board import milestone_table, service_tables
from pipelines.lib.publish.board.content import AreaPage, BoardContent, TargetRow
from pipelines.lib.publish.board.tables import (
    RAG_COLOURS,
    SUMMARY_HEADER,
    plan_lines,
    rag_text,
    summary_rows,
)

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill(fill_type="solid", fgColor="EEEEEE")


def sheet_name(number: int, title: str) -> str:
    """An area's sheet: numbered (titles are long and may share their first words), at most 31
    characters and none of the characters Excel refuses."""
    clean = "".join(" " if c in "[]:*?/\\" else c for c in title)
    return f"{number}. {clean}"[:31].rstrip()


def _xlsx_rag(cell: Any, rag: str | None) -> None:
    if rag in RAG_COLOURS:
        fill, text = RAG_COLOURS[rag]
        cell.fill = PatternFill(fill_type="solid", fgColor=fill)
        cell.font = Font(bold=True, color=text)


def _xlsx_lines(ws: Worksheet, lines: Sequence[str], title: str) -> int:
    cells.openpyxl_cell(ws, 1, 1, title).font = TITLE
    for i, line in enumerate(lines, start=2):
        cells.openpyxl_cell(ws, i, 1, line)
    return len(lines) + 3  # a blank row before the first table


def _xlsx_table(
    ws: Worksheet,
    top: int,
    header: Sequence[str],
    rows: Sequence[Sequence[tuple[Any, str | None, str | None]]],
) -> int:
    """Write a header and rows of (value, rag, number format); returns the next free row."""
    for col, text in enumerate(header, start=1):
        cell = cells.openpyxl_cell(ws, top, col, text)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
    for r, row in enumerate(rows, start=top + 1):
        for col, (value, rag, number_format) in enumerate(row, start=1):
            cell = cells.openpyxl_cell(ws, r, col, value)
            cell.alignment = WRAP
            if number_format:
                cell.number_format = number_format
            _xlsx_rag(cell, rag)
    return top + len(rows) + 2


def _widths(ws: Worksheet, widths: Sequence[int]) -> None:
    cells.column_widths(ws, dict(enumerate(widths, start=1)))


def _number(
    value: float | None, unit: str, target: float | None = None
) -> tuple[Any, str | None, str | None]:
    """A number cell; beside a target, with the places that tell them apart (as ``against``)."""
    return (value, None, formatting.xlsx_format_against(value, target, unit))


XLSX_TARGET_HEADER = ("KPI", "Slow to progress", "Latest value", "Month", "Target", "Direction",
                      "Due", "Measure", "By the target's measure", "RAG", "Met", "Trajectory now",
                      "Same month last year", "England", "England period", "Statistical neighbours",
                      "Statistical neighbours period", "Reason", "Target as set")  # fmt: skip
XLSX_EVIDENCE_HEADER = ("KPI", "Latest value", "Month", "Same month last year", "England",
                        "England period", "Statistical neighbours",
                        "Statistical neighbours period", "Note")  # fmt: skip


XLSX_SLOW_HEADER = ("Notice area", "KPI", "Latest value", "Month", "Target", "By the target's "
                    "measure", "RAG", "Reason")  # fmt: skip


def _xlsx_slow_row(t: TargetRow) -> list[tuple[Any, str | None, str | None]]:
    """The slow objectives as numbers (the HTML and DOCX show the same as text)."""
    return [
        (t.area_title, None, None),
        (t.label, None, None),
        _number(t.value, t.unit),
        (formatting.month_text(t.period_end), None, None),
        (t.target_text, None, None),
        _number(t.measure_value, t.unit, t.target_value),
        (rag_text(t.rag), t.rag, None),
        (t.reason, None, None),
    ]


def _xlsx_target_row(t: TargetRow) -> list[tuple[Any, str | None, str | None]]:
    b = t.benchmarks
    return [
        (t.label, None, None),
        ("yes" if t.slow_to_progress else "no", None, None),
        _number(t.value, t.unit),
        (formatting.month_text(t.period_end), None, None),
        _number(t.target_value, t.unit),
        (t.direction.replace("_", " "), None, None),
        (t.due_date, None, "dd mmm yyyy"),
        (MEASURE_WORDS[t.measure], None, None),
        _number(t.measure_value, t.unit, t.target_value),
        (rag_text(t.rag), t.rag, None),
        (t.met_text, None, None),
        _number(t.trajectory_value, t.unit),
        _number(b.last_year_value, t.unit),
        _number(b.england_value, t.unit),
        (formatting.month_text(b.england_period_end), None, None),
        _number(b.sn_value, t.unit),
        (formatting.month_text(b.sn_period_end), None, None),
        (t.reason, None, None),
        (t.quote, None, None),
    ]


def _xlsx_history(
    content: BoardContent, area: AreaPage
) -> tuple[tuple[str, ...], list[list[tuple[Any, str | None, str | None]]]]:
    """The history as numbers, each month's RAG in a column of its own."""
    header = ["KPI"]
    for day in content.history_months:
        header += [formatting.month_text(day), f"{formatting.month_text(day)} RAG"]
    rows = []
    for t in area.targets:
        row: list[tuple[Any, str | None, str | None]] = [(t.label, None, None)]
        for p in t.history:
            row += [
                _number(p.value, t.unit, p.target_value),
                (rag_text(p.rag) if p.value is not None else "", p.rag, None),
            ]
        rows.append(row)
    return tuple(header), rows


def render_xlsx(content: BoardContent) -> Workbook:
    """Summary, Milestones, Slow to progress, then one sheet per notice area."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    lines = [content.period_text, *plan_lines(content), content.audience_note, content.footer]
    top = _xlsx_lines(ws, lines, content.heading)
    _xlsx_table(
        ws,
        top,
        SUMMARY_HEADER,
        [[(title, None, None), *((int(n), None, "0") for n, _ in numbers)]
         for (title, _), *numbers in summary_rows(content)],
    )  # fmt: skip
    ws.freeze_panes = ws.cell(row=top + 1, column=2)
    _widths(ws, (60, 10, 10, 10, 10, 12, 16))

    ws = wb.create_sheet("Milestones")
    top = _xlsx_lines(ws, [milestone_table.CAPTION], "Milestones")
    _xlsx_table(ws, top, milestone_table.XLSX_HEADER, milestone_table.xlsx_rows(content.milestones))
    _widths(ws, (40, 10, 10, 14, 24, 14, 10, 22, 10, 60, 60))

    ws = wb.create_sheet("Slow to progress")
    top = _xlsx_lines(ws, [content.period_text], "Objectives slow to progress")
    if content.slow:
        _xlsx_table(ws, top, XLSX_SLOW_HEADER, [_xlsx_slow_row(t) for t in content.slow])
    else:
        ws.cell(row=top, column=1, value="No objective is slow to progress.")
    ws.freeze_panes = ws.cell(row=top + 1, column=3)
    _widths(ws, (40, 36, 14, 10, 36, 16, 10, 70))

    if content.service:
        ws = wb.create_sheet(service_tables.SECTION_TITLE)
        top = _xlsx_lines(ws, [content.period_text], service_tables.SECTION_TITLE)
        for caption, header, rows, note in service_tables.xlsx_tables(content.service):
            cells.openpyxl_cell(ws, top, 1, caption).font = BOLD
            top = _xlsx_table(ws, top + 1, header, rows)
            cells.openpyxl_cell(ws, top - 1, 1, note)
            top += 1
        _widths(ws, (44, *[16] * 10))

    for number, area in enumerate(content.areas, start=1):
        ws = wb.create_sheet(sheet_name(number, area.title))
        top = _xlsx_lines(ws, [content.period_text], area.title)
        if area.targets:
            after = _xlsx_table(
                ws, top, XLSX_TARGET_HEADER, [_xlsx_target_row(t) for t in area.targets]
            )
            ws.freeze_panes = ws.cell(row=top + 1, column=2)
            after = _xlsx_table(ws, after, *_xlsx_history(content, area))
        else:
            ws.cell(row=top, column=1, value="No target in this area.")
            after = top + 2
        if area.evidence:
            ws.cell(row=after, column=1, value="Other KPIs evidencing this area").font = BOLD
            _xlsx_table(
                ws,
                after + 1,
                XLSX_EVIDENCE_HEADER,
                [
                    [
                        (e.label, None, None),
                        _number(e.value, e.unit),
                        (formatting.month_text(e.period_end), None, None),
                        _number(e.benchmarks.last_year_value, e.unit),
                        _number(e.benchmarks.england_value, e.unit),
                        (formatting.month_text(e.benchmarks.england_period_end), None, None),
                        _number(e.benchmarks.sn_value, e.unit),
                        (formatting.month_text(e.benchmarks.sn_period_end), None, None),
                        (
                            "" if e.available else eras.availability_text(e.unavailable_reason),
                            None,
                            None,
                        ),
                    ]
                    for e in area.evidence
                ],
            )
        _widths(ws, (40, 14, 14, 14, 14, 12, 12, 24, 14, 10, 10, 14, 14, 12, 12, 14, 14, 60, 60))
    return wb
