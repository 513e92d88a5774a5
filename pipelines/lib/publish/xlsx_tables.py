"""Tables in a workbook an analyst can filter, chart and print: every number a number with its
unit's number format, dates as dates, RAG as its word in a column of its own coloured by
conditional formatting (the one palette, ``style.RAG_PALETTE``), the header frozen, filtered and
repeated on every printed page, landscape A4 one page wide.

Adding a sheet is one call::

    add_table_sheet(workbook, "Agency share by service", header, rows, units)

``units`` says, per column, what its cells are: a KPI unit (``percent``, ``count``,
``rate_per_10k``, ``weeks``, ``days``, ``ratio``: a number in that unit's format), ``number``
(a number whose format each cell gives as a ``Formatted``), ``day`` or ``month`` (a date),
``rag`` (``green``/``amber``/``red``/``None``, written as its word), ``label`` (a KPI or team
name, wrapped in a wide column), ``note`` (long text, wrapped in a wider one) or ``text``.
A sheet with several tables uses ``TableSheet`` (``lines``, ``table``, ``finish``).

Nothing overlaps in print: every cell wraps within a fixed column width, so text stays in its
column, and each line above a table is merged across the table's width with the height its
wrapped text needs (neither Excel nor LibreOffice sizes a merged row itself).
"""

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.lib import formatting
from pipelines.lib.publish import cells, style

RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red"}
NO_STATUS = "No status"
KPI_UNITS = ("percent", "count", "rate_per_10k", "weeks", "days", "ratio")
DATE_FORMATS = {"day": "d mmm yyyy", "month": "mmm yyyy"}
# Column widths in characters: wide enough for the longest figure or date of the kind; headers
# wrap, so a header only widens its column to its longest word.
KIND_WIDTHS = {"label": 30, "note": 40, "text": 12, "rag": 10, "day": 11, "month": 9}
NUMBER_WIDTH = 9
# Points a line of wrapped 11-point text takes, and a 14-point title.
LINE_HEIGHT, TITLE_HEIGHT = 15.0, 20.0
LETTERS_PER_DIGIT, BOLD_LETTERS_PER_DIGIT = 1.1, 1.0

BOLD = Font(name="Calibri", bold=True)  # the workbook's font: without a name, a serif
TITLE = Font(name="Calibri", bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill(fill_type="solid", fgColor="EEEEEE")
_THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class Formatted:
    """A number with a format of its own: a KPI value beside its target, shown with the places
    that tell them apart (``formatting.xlsx_format_against``), in a column of mixed units."""

    value: float | None
    number_format: str


def rag_word(rag: str | None) -> str:
    return RAG_WORDS.get(rag or "", NO_STATUS)


def sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    clean = "".join(" " if c in "[]:*?/\\" else c for c in title)
    return clean[:31].rstrip()


def _rag_rules(ws: Worksheet, cell_range: str) -> None:
    """Colour each RAG word in ``cell_range`` with the palette, as the cell's own value says (so
    the colour follows the word when an analyst sorts, filters or edits)."""
    for rag, (background, text) in style.RAG_PALETTE.items():
        colour = background.lstrip("#").upper()
        ws.conditional_formatting.add(
            cell_range,
            CellIsRule(
                operator="equal",
                formula=[f'"{RAG_WORDS[rag]}"'],
                fill=PatternFill(fill_type="solid", start_color=colour, end_color=colour),
                font=Font(bold=True, color=text.lstrip("#").upper()),
            ),
        )


def wrapped_lines(text: str, width: float, *, bold: bool = False) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (words kept
    whole, as Excel and LibreOffice wrap). A column's width counts digits; Calibri's letters
    average about 0.9 of a digit, so a line holds ``LETTERS_PER_DIGIT`` letters a digit (bold
    letters are wider: ``BOLD_LETTERS_PER_DIGIT``)."""
    per_digit = BOLD_LETTERS_PER_DIGIT if bold else LETTERS_PER_DIGIT
    room = max((width - 1) * per_digit, 1)
    lines, used = 1, 0.0
    for word in text.split():
        if used and used + 1 + len(word) > room:
            lines, used = lines + 1, 0.0
        used = used + (1 if used else 0) + len(word)
        while used > room:  # a word longer than the column breaks inside it
            lines, used = lines + 1, used - room
    return lines + text.count("\n")


def set_row_heights(
    ws: Worksheet,
    texts: Mapping[int, Sequence[tuple[int, str, bool]]],
    widths: Mapping[int, float],
) -> None:
    """Each row as tall as its most wrapped cell: neither Excel nor LibreOffice sizes a row
    to wrapped text in a file it opens, so without this the lines of a cell overlap the next
    row's. ``texts``: row -> (column, text, bold) of its text cells."""
    for row, row_texts in texts.items():
        lines = max(
            (wrapped_lines(t, widths.get(c, 8.43), bold=b) for c, t, b in row_texts), default=1
        )
        if lines > 1:
            ws.row_dimensions[row].height = LINE_HEIGHT * lines


class TableSheet:
    """One sheet: lines of text and tables written down it, then ``finish`` sets the widths,
    the frozen and printed header, and the print set-up."""

    def __init__(self, workbook: Workbook, title: str) -> None:
        self.sheet: Worksheet = workbook.create_sheet(sheet_title(title))
        self.row = 1
        self.widths: dict[int, float] = {}
        self.header_row: int | None = None
        self._lines: list[tuple[int, str, bool]] = []
        self._texts: dict[int, list[tuple[int, str, bool]]] = {}

    def lines(self, lines: Sequence[str], *, title: str | None = None) -> None:
        """A bold title (when given) and lines of text, then a blank row."""
        for text, is_title in [*([(title, True)] if title else []), *((t, False) for t in lines)]:
            cell = cells.openpyxl_cell(self.sheet, self.row, 1, text)
            cell.alignment = WRAP
            if is_title:
                cell.font = TITLE
            self._lines.append((self.row, text, is_title))
            self.row += 1
        self.row += 1

    def heading(self, text: str) -> None:
        """A bold line introducing the next table."""
        cells.openpyxl_cell(self.sheet, self.row, 1, text).font = BOLD
        self._lines.append((self.row, text, False))
        self.row += 1

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        units: Sequence[str],
        widths: Mapping[int, float] | None = None,
    ) -> None:
        """A header and rows; the sheet's first table is its frozen, filtered, printed header.
        ``widths``: characters by column number (1 is A) where a kind's width does not suit."""
        if len(header) != len(units) or any(len(r) != len(units) for r in rows):
            raise ValueError(f"{self.sheet.title}: a row or the header has not {len(units)} cells")
        top = self.row
        for col, (text, unit) in enumerate(zip(header, units, strict=True), start=1):
            cell = cells.openpyxl_cell(self.sheet, top, col, text)
            cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, WRAP, GRID
            self._texts.setdefault(top, []).append((col, text, True))
            longest_word = max((len(w) for w in text.split()), default=0) + 2  # bold
            width = (widths or {}).get(col) or KIND_WIDTHS.get(unit, NUMBER_WIDTH)
            self.widths[col] = max(self.widths.get(col, 0), width, longest_word)
        for r, row in enumerate(rows, start=top + 1):
            for col, (value, unit) in enumerate(zip(row, units, strict=True), start=1):
                self._cell(r, col, value, unit)
        for col, unit in enumerate(units, start=1):
            if unit == "rag" and rows:
                letter = get_column_letter(col)
                _rag_rules(self.sheet, f"{letter}{top + 1}:{letter}{top + len(rows)}")
        if self.header_row is None:
            self.header_row = top
            last = get_column_letter(len(units))
            self.sheet.auto_filter.ref = f"A{top}:{last}{top + max(len(rows), 1)}"
        self.row = top + len(rows) + 2

    def _cell(self, row: int, col: int, value: Any, unit: str) -> None:
        number_format = None
        if isinstance(value, Formatted):
            value, number_format = value.value, value.number_format
        elif unit == "rag":
            value = rag_word(value)
        elif unit in KPI_UNITS and value is not None:
            number_format = formatting.xlsx_format(unit)
        elif unit in DATE_FORMATS and isinstance(value, dt.date):
            number_format = DATE_FORMATS[unit]
        text = unit in ("label", "note", "text", "rag")
        if value is not None and not text and not isinstance(value, int | float | dt.date):
            raise TypeError(f"{self.sheet.title}: a {unit} cell holds {value!r}, not a number")
        cell = cells.openpyxl_cell(self.sheet, row, col, value)
        cell.alignment, cell.border = WRAP, GRID
        if isinstance(value, str):
            self._texts.setdefault(row, []).append((col, value, False))
        if number_format:
            cell.number_format = number_format

    def finish(self) -> Worksheet:
        """Widths; each line merged across the tables' width and as tall as its wrapped text;
        header frozen and repeated in print; landscape A4 one page wide."""
        cells.column_widths(self.sheet, self.widths)
        set_row_heights(self.sheet, self._texts, self.widths)
        span = max(self.widths, default=1)
        across = sum(self.widths.values()) or KIND_WIDTHS["note"]
        for row, text, is_title in self._lines:
            if span > 1:
                self.sheet.merge_cells(start_row=row, end_row=row, start_column=1, end_column=span)
            # A title's characters are wider; a word that does not fit starts a new line.
            per_line = across * (0.6 if is_title else 1.0) * 0.9
            lines = max(1, math.ceil(len(text) / per_line))
            height = TITLE_HEIGHT if is_title else LINE_HEIGHT
            self.sheet.row_dimensions[row].height = height * lines
        if self.header_row is not None:
            self.sheet.freeze_panes = self.sheet.cell(row=self.header_row + 1, column=2)
            self.sheet.print_title_rows = f"{self.header_row}:{self.header_row}"
        cells.print_landscape_a4(self.sheet, fit_width=True)
        return self.sheet


def add_table_sheet(
    workbook: Workbook,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    units: Sequence[str],
    *,
    intro: Sequence[str] = (),
    widths: Mapping[int, float] | None = None,
    heading: str | None = None,
) -> Worksheet:
    """A sheet named ``title`` (cut to Excel's 31 characters) holding ``heading`` (by default
    ``title``), the ``intro`` lines and one table (see the module's docstring for ``units``)."""
    sheet = TableSheet(workbook, title)
    sheet.lines(intro, title=heading or title)
    sheet.table(header, rows, units, widths)
    return sheet.finish()
