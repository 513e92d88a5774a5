"""Cell values of one workbook's rows as contract text, noting what had to be left blank: a
formula Excel saved no value for, an Excel error value, an answer that is not yes or no."""

from pipelines.lib.adapters.annex_a.cells import (
    EXCEL_ERRORS,
    cell_text,
    code_of,
    date_text,
    strip_prefix,
    yes_no,
)
from pipelines.lib.adapters.annex_a.reading import ListSheet, Row, Workbook, WorkbookReader
from pipelines.lib.adapters.base import NOT_MAPPED, REPAIRED


class Converter:
    """Cell values of one workbook's rows as contract text, with notes."""

    def __init__(self, reader: WorkbookReader, workbook: Workbook) -> None:
        self.reader = reader
        self.workbook = workbook

    def value(self, sheet: ListSheet, row: Row, field_name: str) -> object:
        """The cell's value, or None for a formula without a saved value or an Excel error."""
        if field_name in row.formulas:
            formula = row.formulas[field_name]
            message = (
                f"the formula {formula} has no saved value (the workbook was not recalculated "
                "and saved in Excel); left blank"
            )
            self._note(
                "excel_formula_no_value", message, NOT_MAPPED, sheet, row, field_name, formula
            )
            return None
        value = row.values.get(field_name)
        if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
            error = value.strip()
            message = f"Excel error value {error} left blank"
            self._note("excel_error", message, REPAIRED, sheet, row, field_name, error)
            return None
        return value

    def _note(
        self,
        rule: str,
        message: str,
        action: str,
        sheet: ListSheet,
        row: Row,
        field_name: str,
        value: str | None,
    ) -> None:
        """A note on one cell: its row, list and sheet, and the column as headed."""
        self.reader.note(
            rule,
            message,
            action,
            source_row=row.number,
            location=sheet.location,
            column=sheet.headers[field_name],
            value=value,
        )

    def text(self, sheet: ListSheet, row: Row, field_name: str) -> str | None:
        return cell_text(self.value(sheet, row, field_name))

    def date(
        self, sheet: ListSheet, row: Row, field_name: str, keep_time: bool = False
    ) -> str | None:
        return date_text(self.value(sheet, row, field_name), self.workbook.epoch, keep_time)

    def code(
        self,
        sheet: ListSheet,
        row: Row,
        field_name: str,
        labels: dict[str, str] | None = None,
    ) -> str | None:
        text = self.text(sheet, row, field_name)
        if text is None:
            return None
        label = strip_prefix(text)
        if labels and label.lower() in labels:
            return labels[label.lower()]
        return code_of(text)

    def label(self, sheet: ListSheet, row: Row, field_name: str) -> str | None:
        text = self.text(sheet, row, field_name)
        return strip_prefix(text) if text is not None else None

    def flag(self, sheet: ListSheet, row: Row, field_name: str, invert: bool = False) -> str | None:
        """Y/N from a yes/no cell. Staging would blank any other answer without a word, so
        the adapter blanks it and notes it."""
        text = self.text(sheet, row, field_name)
        answer = yes_no(text)
        if answer not in (None, "Y", "N"):
            message = f"'{text}' is not a yes/no answer; left blank (unknown)"
            self._note("not_yes_no", message, NOT_MAPPED, sheet, row, field_name, text)
            return None
        if invert and answer is not None:
            return "N" if answer == "Y" else "Y"
        return answer
