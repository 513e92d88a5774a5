"""The scrutiny export as a workbook for pasting into a committee paper: sheets Figures, By team
(both tables, numbers as numbers at published precision, a symbol where a number is not shown)
and Notes (symbols, the disclosure policy, periods, every KPI's definition and source)."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.colors import Color
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.lib import formatting
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.targets import Plan
from pipelines.lib.publish import cells, figures
from pipelines.lib.publish.disclosure import SYMBOL_MEANINGS, DisclosurePolicy
from pipelines.lib.publish.figures import Provenance
from pipelines.lib.publish.scrutiny.by_team import suppression_notes
from pipelines.lib.publish.scrutiny.columns import (
    BY_TEAM_COLUMNS,
    FIGURES_COLUMNS,
    UNIT_NAMES,
    XLSX_SKIP,
    Column,
    symbol,
)
from pipelines.lib.publish.scrutiny.measures import component_decimals
from pipelines.lib.publish.scrutiny.read import ordered
from pipelines.lib.publish.xlsx_tables import set_row_heights

HEADER_FILL = "FFE7EEF6"
# Widest a text column of a kind is, in characters: wider text wraps, so the table prints one
# A4 landscape page wide at a readable size.
KIND_WIDTHS = {"area": 14, "unit": 10, "label": 26, "year": 10, "text": 14}
NUMBER_KINDS = ("measure", "target", "component", "published")


def benchmark_year(period_end: dt.date | None) -> str:
    """How DfE figures name their period: ``2024-25`` for the year to 31 March, else the date
    (the workforce census is at 30 September)."""
    if period_end is None:
        return ""
    if (period_end.month, period_end.day) == (3, 31):
        return f"{period_end.year - 1}-{period_end.year % 100:02d}"
    return f"at {period_end.day} {period_end:%b %Y}"


class _Sheet:
    """Writes one workbook sheet: styles cached, column widths measured as cells are written.
    Every cell is aligned to the top; text is always a string cell (``cells.openpyxl_cell``)."""

    def __init__(self, book: Workbook, name: str, policy: DisclosurePolicy) -> None:
        self.sheet: Worksheet = book.create_sheet(name)
        self.policy = policy
        self.widths: dict[int, int] = {}
        self.header_row: int | None = None
        self.texts: dict[int, list[tuple[int, str, bool]]] = {}  # wrapped text, by 1-based row
        self._styles: dict[tuple[Any, ...], dict[str, Any]] = {}
        cells.print_landscape_a4(self.sheet, fit_width=True)

    def style(
        self,
        *,
        bold: bool = False,
        italic: bool = False,
        font_size: int = 11,
        wrap: bool = False,
        align: str | None = None,
        header: bool = False,
    ) -> dict[str, Any]:
        key = (bold, italic, font_size, wrap, align, header)
        if key not in self._styles:
            self._styles[key] = {
                # The default Calibri, as Excel writes it, with the emphasis asked for.
                "font": Font(name="Calibri", sz=font_size, b=bold, i=italic, family=2,
                             scheme="minor", color=Color(theme=1)),
                "alignment": Alignment(vertical="top", wrap_text=wrap or None, horizontal=align),
                **({"fill": PatternFill("solid", fgColor=HEADER_FILL),
                    "border": Border(bottom=Side(style="thin"))} if header else {}),
            }  # fmt: skip
        return self._styles[key]

    def put(self, row: int, col: int, value: Any, number_format: str | None = None,
            **style: Any) -> None:  # fmt: skip
        """A cell at 0-based ``row`` and ``col``; an empty text leaves the cell blank (styled)."""
        cell = cells.openpyxl_cell(self.sheet, row + 1, col + 1, None if value == "" else value)
        for name, part in self.style(**style).items():
            setattr(cell, name, part)
        if number_format:
            cell.number_format = number_format
        if style.get("wrap") and isinstance(value, str) and value:
            self.texts.setdefault(row + 1, []).append((col + 1, value, bool(style.get("bold"))))

    def note(self, row: int, text: str, **style: Any) -> None:
        # Not measured: a long note runs across the empty cells to its right.
        self.put(row, 0, text, **style)

    def text(self, row: int, col: int, text: str, **style: Any) -> None:
        """A text cell, wrapped within its column so nothing overlaps in print."""
        self.put(row, col, text, **{"wrap": True, **style})
        self.widths[col] = max(self.widths.get(col, 0), len(text) + 2)

    def title(self, lines: Iterable[str]) -> int:
        row = 0
        for index, line in enumerate(lines):
            if index == 0:
                self.put(row, 0, line, bold=True, font_size=14)
            else:
                self.put(row, 0, line, italic=True)
            row += 1
        return row + 1

    def table(self, start: int, table: pl.DataFrame, columns: Sequence[Column]) -> int:
        """Header and rows from ``start``; returns the next free row."""
        for col, column in enumerate(columns):
            self.text(start, col, column[1], bold=True, wrap=True, header=True)
            # Long headers wrap: a column is as wide as its header's longest word and its cells.
            self.widths[col] = max(len(w) for w in column[1].split()) + 1
        self.header_row = start + 1
        # The header and the area and KPI columns stay in view.
        self.sheet.freeze_panes = self.sheet.cell(row=start + 2, column=3)
        row = start + 1
        for record in table.iter_rows(named=True):
            bold = bool(record.get("is_total"))
            for col, column in enumerate(columns):
                self._cell(row, col, record, column, bold)
            row += 1
        for col, column in enumerate(columns):
            if column[3] in KIND_WIDTHS:
                self.widths[col] = min(self.widths[col], KIND_WIDTHS[column[3]])
        return row

    def _cell(self, row: int, col: int, record: dict[str, Any], column: Column, bold: bool) -> None:
        _, _, name, kind, _ = column
        value = record[name]
        if value is None:
            self.text(row, col, symbol(record, column), align="right", bold=bold)
        elif kind in ("month", "day"):
            pattern = "mmm yyyy" if kind == "month" else "d mmm yyyy"
            self.put(row, col, value, pattern, bold=bold)
            self.widths[col] = max(self.widths.get(col, 0), 10)
        elif kind == "year":
            self.text(row, col, benchmark_year(value), align="right", bold=bold)
        elif kind in NUMBER_KINDS:
            if kind == "component":
                decimals = component_decimals(value, self.policy)
            elif kind == "published":
                decimals = len(formatting.published_number(value).partition(".")[2])
            else:
                decimals = self.policy.decimals(record["unit"])
            self.put(row, col, value, formatting.xlsx_number_format(decimals), bold=bold)
            shown = formatting.number(value, "", decimals)
            self.widths[col] = max(self.widths.get(col, 0), len(shown) + 2)
        elif kind == "area":
            self.text(row, col, figures.AREA_TITLES.get(value, value), wrap=True, bold=bold)
        elif kind == "unit":
            self.text(row, col, UNIT_NAMES.get(value, value), bold=bold)
        elif kind == "label":
            self.text(row, col, value, wrap=True, bold=bold)
        else:
            self.text(row, col, str(value), bold=bold)

    def finish(self, max_width: int = 30) -> None:
        """Widths (text wider than ``max_width`` wraps), rows as tall as their wrapped text, the
        header repeated on every printed page."""
        widths = {col + 1: cells.excel_width(min(max(width, 6), max_width))
                  for col, width in self.widths.items()}  # fmt: skip
        cells.column_widths(self.sheet, widths)
        set_row_heights(self.sheet, self.texts, widths)
        if self.header_row is not None:
            self.sheet.print_title_rows = f"{self.header_row}:{self.header_row}"


def _main_period(table: pl.DataFrame) -> dt.date | None:
    months = Counter(d for d in table["period_end"].to_list() if d is not None)
    return months.most_common(1)[0][0] if months else None


def render_workbook(
    tables: dict[str, pl.DataFrame],
    definitions: Sequence[KpiDefinition],
    la_plans: Sequence[Plan],
    provenance: Provenance,
    policy: DisclosurePolicy,
) -> Workbook:
    """The formatted workbook: sheets Figures, By team and Notes."""
    month = _main_period(tables["figures"])
    when = f"{month:%B %Y}" if month else "no complete month"
    heading = f"{provenance.la_name} ({provenance.la_code})"
    control = ("Statistical disclosure control applied: small numbers are shown as c. The Notes "
               "sheet explains every symbol.")  # fmt: skip
    book = Workbook()
    book.remove(book.active)
    book.properties.title = f"Scrutiny figures: {heading}"
    book.properties.description = provenance.footer()
    for name, key, columns, subtitle in (
        ("Figures", "figures", FIGURES_COLUMNS,
         f"Latest complete month: {when}, with the same month last year, the target and the "
         "latest published England and statistical-neighbour figures."),
        ("By team", "by_team", BY_TEAM_COLUMNS,
         f"By team and service area: {when} and the same month last year. The LA total "
         "includes children and staff whose team was not recorded; the Notes say what is "
         "suppressed and why."),
    ):  # fmt: skip
        sheet = _Sheet(book, name, policy)
        shown = [c for c in columns if c[0] not in XLSX_SKIP]
        start = sheet.title([f"Scrutiny figures: {heading}", subtitle, control])
        if tables[key].is_empty():
            sheet.note(start, "No KPI recorded by team in this extract.")
            end = start + 1
        else:
            end = sheet.table(start, tables[key], shown)
        sheet.note(end + 1, provenance.footer(), italic=True)
        sheet.finish()
    _notes_sheet(book, tables, definitions, la_plans, provenance, policy, when)
    return book


def _notes_sheet(
    book: Workbook,
    tables: dict[str, pl.DataFrame],
    definitions: Sequence[KpiDefinition],
    la_plans: Sequence[Plan],
    provenance: Provenance,
    policy: DisclosurePolicy,
    when: str,
) -> None:
    sheet = _Sheet(book, "Notes", policy)
    row = sheet.title([f"Notes: scrutiny figures for {provenance.la_name} ({provenance.la_code})"])
    row -= 1  # each heading starts with its own blank row

    def heading(text: str) -> None:
        nonlocal row
        row += 1
        sheet.put(row, 0, text, bold=True, font_size=12)
        row += 1

    def pair(first: str | int, second: str, third: str = "", bold: bool = False) -> None:
        nonlocal row
        for col, text in enumerate((first, second, third)):
            if text or col < 2:
                number_format = "0" if isinstance(text, int) else None
                sheet.put(row, col, text, number_format, wrap=True, bold=bold)
        row += 1

    heading("Symbols")
    pair("Symbol", "Meaning", bold=True)
    for sign, meaning in SYMBOL_MEANINGS.items():
        pair(sign, meaning)
    heading("Disclosure control")
    for number, line in enumerate(policy.describe(), start=1):
        pair(number, line)  # the rule's number, stored as a number
    heading("Periods")
    plans = "; ".join(f"{p.title} ({p.set_by}, {p.issued:%B %Y})" for p in la_plans)
    for name, text in (
        ("Month", f"The latest complete calendar month on or before the extract date "
                  f"({provenance.extract_date:%d %B %Y}): {when}, unless the Month column says "
                  "otherwise. Snapshot figures are at the last day of the month; flows count the "
                  "whole month; rolling figures cover the 12 months to its end."),
        ("Same month last year", "The same calendar month a year earlier, from the same extract "
                                 "(past months can change when records are corrected)."),
        ("Target", "The target in force at the extract date (the next one due, else the last) "
                   f"from the plan(s) the LA follows: {plans or 'none'}. z: no target is set."),
        ("England, statistical neighbours",
         "The latest figure the DfE published: years to 31 March for children's social care "
         "statistics (2024-25 = the year to 31 March 2025), at 30 September for the social work "
         "workforce census. Statistical neighbours (median): the median of the published "
         "figures of the LA's 10 statistical neighbours (DfE model of May 2025). Shown as "
         "published, for a period that can differ from the LA's month. x: no published figure."),
        ("By team", "Each team's and service area's figures for the same months."),
    ):  # fmt: skip
        pair(name, text)
    heading("By team and service area: what is suppressed and why")
    for number, line in enumerate(suppression_notes(tables["by_team"], policy), start=1):
        pair(number, line)  # the note's number, stored as a number
    heading("Definitions")
    pair("KPI", "Definition", "Source", bold=True)
    shown = set(tables["figures"]["kpi_id"].to_list())
    for kpi in ordered(definitions):
        if kpi.id in shown:
            unit = UNIT_NAMES.get(kpi.unit, kpi.unit)
            pair(f"{kpi.label} ({kpi.id})", f"{kpi.description} Unit: {unit}.", kpi.source)
    row += 1
    sheet.put(row, 0, provenance.footer(), italic=True)
    widths = {1: cells.excel_width(36), 2: cells.excel_width(90), 3: cells.excel_width(50)}
    cells.column_widths(sheet.sheet, widths)
    set_row_heights(sheet.sheet, sheet.texts, widths)
