"""An Annex A workbook's list sheets as rows of field values, with notes on its columns.

A sheet is a list when its name says so (``List 3``, ``List_3 - Referrals``) or, failing that,
when its title row or headers do; its header row is the first of its first 30 rows with a child
id column and another (or an adopter id, List 11). Each column is placed on the field its
header names; the rest are noted (unknown, repeated, or naming a person) unless the list is
empty or not used. A formula cell's saved value is read, and the formula kept where Excel saved
none, for the converter to note.
"""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.lib.adapters.annex_a.cells import cell_text
from pipelines.lib.adapters.annex_a.headers import (
    list_from_headers,
    list_number,
    match_header,
    normalise_header,
)
from pipelines.lib.adapters.annex_a.spec import (
    ADOPTER_ID,
    IDENTIFIERS,
    IGNORED,
    KEY_FIELDS,
    LIST_TITLES,
    NOT_USED_LISTS,
)
from pipelines.lib.adapters.base import NOT_MAPPED, NOT_USED, AdapterNote
from pipelines.lib.readers import WORKBOOK_ERRORS, FileLevelError

_HEADER_SCAN_ROWS = 30


@dataclass
class Row:
    number: int  # the Excel row
    values: dict[str, object]  # field -> cell value (cached value of a formula)
    formulas: dict[str, str]  # field -> formula, for a formula cell with no saved value


@dataclass
class ListSheet:
    list_no: int
    sheet: str
    header_row: int
    fields: dict[str, int]  # field -> column index
    headers: dict[str, str]  # field -> the header as written
    rows: list[Row] = field(default_factory=list)

    @property
    def location(self) -> str:
        return f"{LIST_TITLES[self.list_no]}, sheet '{self.sheet}'"


@dataclass
class Workbook:
    path: Path
    epoch: dt.datetime
    lists: list[ListSheet]


def _rows(sheet: Any) -> Iterator[tuple[object, ...]]:
    return iter(sheet.iter_rows(values_only=True))


def _find_header(rows: list[tuple[object, ...]]) -> tuple[int, str | None] | None:
    """(index of the header row, the title above it) among the first rows of a sheet: the first
    row with a child id column and at least one more column, or an adopter id (List 11)."""
    title: str | None = None
    for index, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        names = [n for n in (normalise_header(v) for v in row) if n]
        is_child_list = len(names) >= 2 and any(match_header(0, n) == "child_id" for n in names)
        if is_child_list or any(re.search(ADOPTER_ID, n) for n in names):
            return index, title
        texts = [t for t in (cell_text(v) for v in row) if t]
        if texts and title is None:
            title = texts[0]
    return None


class WorkbookReader:
    """Reads one workbook's list sheets and collects notes on what it could not use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notes: list[AdapterNote] = []
        self._noted: set[tuple[object, ...]] = set()

    def note(self, rule: str, message: str, action: str, **where: Any) -> None:
        """Record a note once (a cell read for two tables is noted once)."""
        place = (rule, where.get("source_row"), where.get("location"), where.get("column"))
        if place not in self._noted:
            self._noted.add(place)
            self.notes.append(AdapterNote(str(self.path), rule, message, action, **where))

    def read(self) -> Workbook:
        import openpyxl  # imported here: only workbooks pay for it

        if self.path.suffix.lower() == ".xls":
            raise FileLevelError(
                self.path,
                "is a legacy Excel .xls workbook; open it in Excel and save it as .xlsx",
            )
        try:
            values = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            formulas = openpyxl.load_workbook(self.path, read_only=True, data_only=False)
        except WORKBOOK_ERRORS as exc:
            raise FileLevelError(
                self.path,
                "cannot be opened as an .xlsx workbook (password-protected, corrupt or another "
                "format); remove any password and save as .xlsx",
            ) from exc
        try:
            epoch = values.epoch
            lists = []
            for name in values.sheetnames:
                found = self._read_sheet(name, list(_rows(values[name])), _rows(formulas[name]))
                if found is not None:
                    lists.append(found)
        except FileLevelError:
            raise
        except WORKBOOK_ERRORS as exc:
            raise FileLevelError(
                self.path,
                f"cannot be read: the workbook is damaged ({exc}); open it in Excel and save "
                "it again as .xlsx",
            ) from exc
        finally:
            values.close()
            formulas.close()
        if not lists:
            raise FileLevelError(
                self.path, "has no sheet that looks like an Annex A list (List 1 ... List 11)"
            )
        return Workbook(self.path, epoch, lists)

    def _read_sheet(
        self, name: str, rows: list[tuple[object, ...]], formula_rows: Iterator[tuple[object, ...]]
    ) -> ListSheet | None:
        named = list_number(name)
        header = _find_header(rows)
        if header is None:
            if named is not None and any(any(cell_text(v) for v in row) for row in rows):
                raise FileLevelError(
                    self.path,
                    f"sheet '{name}' has no header row with a 'Child Unique ID' column in its "
                    f"first {_HEADER_SCAN_ROWS} rows",
                )
            return None
        header_index, title = header
        names = [normalise_header(v) for v in rows[header_index]]
        list_no = named or list_number("", title) or list_from_headers(names)
        if list_no is None:
            return None
        sheet = ListSheet(list_no, name, header_index + 1, {}, {})
        header_notes: list[tuple[str, str, str, str]] = []
        for column, header_value in enumerate(rows[header_index]):
            header_notes.extend(self._place_column(sheet, column, header_value))
        formula_list = list(formula_rows)
        for index in range(header_index + 1, len(rows)):
            cells = rows[index]
            if not any(cell_text(v) for v in cells):
                continue
            written = formula_list[index] if index < len(formula_list) else ()
            row = Row(index + 1, {}, {})
            for field_name, column in sheet.fields.items():
                value = cells[column] if column < len(cells) else None
                formula = written[column] if column < len(written) else None
                row.values[field_name] = value
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    row.formulas[field_name] = formula
            sheet.rows.append(row)
        # The columns of an empty or unused list do not matter: no notes about them.
        if sheet.rows and list_no not in NOT_USED_LISTS:
            for rule, message, action, header_text in header_notes:
                self.note(
                    rule,
                    message,
                    action,
                    source_row=sheet.header_row,
                    location=sheet.location,
                    column=header_text,
                )
        self._check_columns(sheet)
        return sheet

    def _place_column(
        self, sheet: ListSheet, column: int, header_value: object
    ) -> list[tuple[str, str, str, str]]:
        """Assign a column to the field its header names; returns notes (rule, message,
        action, header) on a column that is not used."""
        header_text = cell_text(header_value)
        if header_text is None:
            return []
        field_name = match_header(sheet.list_no, header_value)
        normalised = normalise_header(header_value)
        if field_name is None and IDENTIFIERS.search(normalised):
            message = (
                f"column '{header_text}' identifies a person or place; it is never carried, "
                "so its values are not checked"
            )
            return [("identifier_not_carried", message, NOT_USED, header_text)]
        if field_name is None and not IGNORED.search(normalised):
            message = (
                f"column '{header_text}' is not an Annex A column this adapter reads; its "
                "values are not used"
            )
            return [("unknown_header", message, NOT_MAPPED, header_text)]
        if field_name is None:
            return []
        if field_name in sheet.fields:
            message = (
                f"column '{header_text}' repeats column '{sheet.headers[field_name]}'; the "
                "first one is used"
            )
            return [("duplicate_header", message, NOT_USED, header_text)]
        sheet.fields[field_name] = column
        sheet.headers[field_name] = header_text
        return []

    def _check_columns(self, sheet: ListSheet) -> None:
        if not sheet.rows or sheet.list_no in NOT_USED_LISTS:
            return
        for required in ("child_id", KEY_FIELDS.get(sheet.list_no)):
            if required is not None and required not in sheet.fields:
                raise FileLevelError(
                    self.path,
                    f"sheet '{sheet.sheet}' ({LIST_TITLES[sheet.list_no]}) has rows but no "
                    f"column for {required.replace('_', ' ')}",
                    column=required,
                )
