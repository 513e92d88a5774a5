"""A worklists workbook (RESTRICTED): a cover sheet that says what the file holds and each list's
rule, then one sheet per list, with openpyxl (the one Excel writer of ``pipelines/lib/publish``).

Every text cell goes through ``cells.openpyxl_cell``, so a team name or id beginning with ``=``
stays text. Workbooks are written whole in memory: a list is one team's (or the LA's) children
due or overdue at one date, hundreds of rows, not the extract's millions.
"""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import polars as pl
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.lib.publish import cells

WARNING = "RESTRICTED: child-level data. Do not share or publish."
KEEP_SAFE = (
    "Each row names a child (the council's person id) and a worker (professional id). Keep this "
    "file on council systems only; delete it when the next extract's lists replace it."
)
NOTES = (
    "Working days: Monday to Friday except England and Wales bank holidays; the start day is "
    "day 0. A clock of N working days is overdue once more than N working days have passed, as "
    "the KPIs count it.",
    "Team: the allocated social worker's team on the extract date (assessments: the team "
    "recorded on the assessment); a child with no worker: the team of their open referral, else "
    "Unassigned.",
    "Status: overdue first, then due_soon (or at_35wd_plus), each by due date.",
)
DATE_FORMAT = "dd/mm/yyyy"
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_FILL = PatternFill("solid", fgColor="FFD9E1F2")
_HEADER_BORDER = Border(bottom=Side(style="thin"))


class Worklist(Protocol):
    """What the cover says of a list (``worklists.Worklist``)."""

    @property
    def key(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def rule(self) -> str: ...


def _text(sheet: Worksheet, row: int, column: int, value: str, *, bold: bool = False,
          wrap: bool = False) -> None:  # fmt: skip
    cell = cells.openpyxl_cell(sheet, row, column, value)
    if bold:
        cell.font = _BOLD
    if wrap:
        cell.alignment = _WRAP


def _header(sheet: Worksheet, row: int, column: int, value: str) -> None:
    cell = cells.openpyxl_cell(sheet, row, column, value)
    cell.font, cell.fill, cell.border = _BOLD, _HEADER_FILL, _HEADER_BORDER
    cell.alignment = Alignment(wrap_text=True)


def _merged_text(sheet: Worksheet, row: int, value: str, **style: object) -> None:
    """``value`` across columns A to D of ``row``."""
    cell = cells.openpyxl_cell(sheet, row, 1, value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)


def _cover(
    sheet: Worksheet,
    worklists: Sequence[Worklist],
    lists: dict[str, pl.DataFrame],
    rows: Sequence[tuple[str, str]],
) -> None:
    for letter, width in zip("ABCD", (34, 40, 100, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    warning = Font(bold=True, color="FFFFFFFF", size=14)
    _merged_text(sheet, 1, WARNING, font=warning, fill=PatternFill("solid", fgColor="FFC00000"))
    _text(sheet, 2, 1, KEEP_SAFE)
    row = 4
    for label, value in rows:
        _text(sheet, row, 1, label, bold=True)
        _text(sheet, row, 2, value)
        row += 1
    row += 1
    for column, title in enumerate(("Sheet", "List", "Rule", "Rows"), start=1):
        _header(sheet, row, column, title)
    for worklist in worklists:
        row += 1
        _text(sheet, row, 1, worklist.key, bold=True, wrap=True)
        _text(sheet, row, 2, worklist.title, wrap=True)
        _text(sheet, row, 3, worklist.rule, wrap=True)
        sheet.cell(row=row, column=4, value=lists[worklist.key].height)
    row += 1
    for note in NOTES:
        row += 1
        _merged_text(sheet, row, note, alignment=_WRAP)
        sheet.row_dimensions[row].height = 30


def _list_sheet(sheet: Worksheet, frame: pl.DataFrame) -> None:
    for column, name in enumerate(frame.columns, start=1):
        _header(sheet, 1, column, name)
        dtype = frame.schema[name]
        values = frame.get_column(name).to_list()
        for row, value in enumerate(values, start=2):
            if value is None:
                continue
            if dtype == pl.Date:
                sheet.cell(row=row, column=column, value=value).number_format = DATE_FORMAT
            elif dtype.is_numeric():
                sheet.cell(row=row, column=column, value=value)
            else:
                cells.openpyxl_cell(sheet, row, column, str(value))
        longest = max((len(str(v)) for v in values if v is not None), default=0)
        width = 12 if dtype == pl.Date else min(max(len(name), longest) + 2, 60)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    if frame.width:
        last = f"{get_column_letter(frame.width)}{max(frame.height, 1) + 1}"
        sheet.auto_filter.ref = f"A1:{last}"


def write_workbook(
    path: Path,
    worklists: Sequence[Worklist],
    lists: dict[str, pl.DataFrame],
    *,
    la_label: str,
    team_label: str,
    extract_date: dt.date,
) -> None:
    """Write ``lists`` (keyed as ``worklists``) to ``path``: the cover, then a sheet per list."""
    book = Workbook()
    cover = book.active
    assert cover is not None  # a new workbook has one sheet
    cover.title = "Cover"
    _cover(
        cover,
        worklists,
        lists,
        [
            ("Local authority", la_label),
            ("Team", team_label),
            ("Extract date (lists are as at the end of this day)", f"{extract_date:%d %B %Y}"),
            ("Produced", f"{dt.datetime.now():%d %B %Y %H:%M}"),
        ],
    )
    for worklist in worklists:
        _list_sheet(book.create_sheet(worklist.key), lists[worklist.key])
    book.save(path)
