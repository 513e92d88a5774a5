"""What the list mappers share for one workbook: its sheets, the rows made so far, and the
helpers that read a row's child and optional columns and build the ids.

Annex A has no ids for events, so ids are built from the child and the event's date (dates in
``YYYY-MM-DD``): the same event gives the same id in every monthly workbook.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.lib.adapters.annex_a.cells import ISO_DATE
from pipelines.lib.adapters.annex_a.converter import Converter
from pipelines.lib.adapters.annex_a.reading import ListSheet, Row, Workbook, WorkbookReader
from pipelines.lib.adapters.annex_a.spec import SOURCE_LABELS
from pipelines.lib.readers import ROW_COLUMN


@dataclass
class Output:
    """Rows for one contract table from one sheet of one workbook."""

    table: str
    path: Path
    sheet: str
    rows: list[dict[str, object]] = field(default_factory=list)

    def add(self, row: Row, values: dict[str, object]) -> dict[str, object]:
        """Add a contract row made from the sheet's ``row``; returns it, for later links."""
        record: dict[str, object] = {ROW_COLUMN: row.number, **values}
        self.rows.append(record)
        return record


class WorkbookMapper:
    """One workbook's lists, and the contract rows made from them so far."""

    def __init__(self, reader: WorkbookReader, workbook: Workbook, file_order: int) -> None:
        self.reader = reader
        self.workbook = workbook
        self.convert = Converter(reader, workbook)
        self.file_order = file_order
        self.outputs: dict[tuple[str, str], Output] = {}
        self.icpc_by_plan: dict[str, str] = {}  # CP plan id -> the ICPC that began it

    def output(self, table: str, sheet: ListSheet) -> Output:
        place = (table, sheet.sheet)
        if place not in self.outputs:
            self.outputs[place] = Output(table, self.workbook.path, sheet.sheet)
        return self.outputs[place]

    def sheets(self, list_no: int) -> list[ListSheet]:
        return [s for s in self.workbook.lists if s.list_no == list_no]

    def list_rows(
        self, list_no: int, *tables: str
    ) -> Iterator[tuple[ListSheet, Row, str | None, list[Output]]]:
        """Every row of the list's sheets with its child, and the sheet's outputs for
        ``tables`` (made at the sheet's start, so the tables keep the sheets' order)."""
        for sheet in self.sheets(list_no):
            outputs = [self.output(table, sheet) for table in tables]
            for row in sheet.rows:
                yield sheet, row, self.child(sheet, row), outputs

    def child(self, sheet: ListSheet, row: Row) -> str | None:
        return self.convert.text(sheet, row, "child_id")

    def optional(
        self, sheet: ListSheet, row: Row, field_name: str, get: Callable[..., str | None]
    ) -> str | None:
        """``get`` of a column the sheet may not have (older layouts lack some): blank if absent."""
        return get(sheet, row, field_name) if field_name in sheet.fields else None

    def source(self, sheet: ListSheet, row: Row, field_name: str) -> str | None:
        """A referral or contact source as a CIN code, from its code or its label."""
        if field_name not in sheet.fields:
            return None
        return self.convert.code(sheet, row, field_name, SOURCE_LABELS)


def key(*parts: str | None) -> str:
    """An id built from its parts (``CPP:<child>:<start>``); a blank part stays empty."""
    return ":".join(part or "" for part in parts)


def latest_on_or_before(
    index: dict[str, list[tuple[str, str]]], child: str | None, day: str | None
) -> str | None:
    """The id of the child's latest dated item on or before ``day`` (ISO text compares as
    dates), or None."""
    if child is None or day is None or not ISO_DATE.match(day):
        return None
    best: str | None = None
    for start, item_id in sorted(index.get(child, [])):
        if start <= day[:10]:
            best = item_id
    return best
