"""Workbooks an analyst can filter, chart and print (pipelines/lib/publish/xlsx_tables.py, the
board and scrutiny workbooks): numbers as numbers, RAG in its own column, print set-up."""

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from pipelines.lib.publish import xlsx_tables
from pipelines.lib.publish.xlsx_tables import Formatted, add_table_sheet, wrapped_lines
from tests.test_publishing import NEWEST

# A figure written as text, as the board workbook once stored it: "38.0% (Amber)", "1,203",
# "12.5 per 10,000", "−3".
FIGURE_AS_TEXT = re.compile(r"^[−+-]?\d[\d,]*(\.\d+)?\s*(%|per 10,000|weeks|days)?(\s*\(.*\))?$")
RAG_WORDS = {"Green", "Amber", "Red"}


def test_wrapped_lines_by_hand() -> None:
    # A column 21 digits wide holds (21 - 1) * 1.1 = 22 letters a line.
    # "Children in care with three or more placements" (46 letters): "Children in care with"
    # (21), "three or more" (13; + "placements" would be 24 > 22), "placements": 3 lines.
    assert wrapped_lines("Children in care with three or more placements", 21) == 3
    assert wrapped_lines("Contacts", 21) == 1
    assert wrapped_lines("", 21) == 1
    # A word longer than the line (30 letters in 22) breaks inside it: 2 lines.
    assert wrapped_lines("x" * 30, 21) == 2
    # A header in bold, 1 letter a digit: a column 12 wide holds 11. "Nov 2023 RAG" (12) takes
    # 2 lines in bold, 1 in regular letters (12.1 a line).
    assert wrapped_lines("Nov 2023 RAG", 12, bold=True) == 2
    assert wrapped_lines("Nov 2023 RAG", 12) == 1


def test_add_table_sheet_writes_typed_cells_and_prints_one_page_wide(tmp_path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    add_table_sheet(
        book,
        "Agency share by service: a long title cut at 31 characters",
        ("Service area", "Agency share", "Caseload", "Month", "RAG", "Note"),
        [
            ["Fieldwork", 32.04, 22.8, dt.date(2024, 3, 31), "red", "Above the 20% ceiling"],
            ["Children in care", Formatted(11.0, '0.0"%"'), 16.5, dt.date(2024, 3, 31), None, ""],
        ],
        ("label", "percent", "ratio", "month", "rag", "note"),
        intro=["March 2024"],
    )
    book.save(tmp_path / "t.xlsx")
    # 31 characters at most, the colon (refused by Excel) a space.
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["Agency share by service  a long"]
    # Title, intro line, a blank row, then the header on row 4.
    assert [c.value for c in sheet[4]] == [
        "Service area", "Agency share", "Caseload", "Month", "RAG", "Note"
    ]  # fmt: skip
    fieldwork = sheet[5]
    assert (fieldwork[1].value, fieldwork[1].number_format) == (32.04, '0.0"%"')
    assert (fieldwork[2].value, fieldwork[2].number_format) == (22.8, "0.0")
    assert fieldwork[3].is_date and fieldwork[3].number_format == "mmm yyyy"
    assert [sheet["E5"].value, sheet["E6"].value] == ["Red", "No status"]
    rules = {
        rule.formula[0]: str(r.sqref) for r in sheet.conditional_formatting for rule in r.rules
    }
    assert rules == {'"Green"': "E5:E6", '"Amber"': "E5:E6", '"Red"': "E5:E6"}
    assert sheet.freeze_panes == "B5"
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.auto_filter.ref == "A4:F6"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    # "Children in care" fits its 30-digit column: no height set; the title row is merged
    # across the table and given a height.
    assert sheet.row_dimensions[6].height is None
    assert "A1:F1" in {str(m) for m in sheet.merged_cells.ranges}


def test_a_figure_as_text_in_a_number_column_is_refused() -> None:
    with pytest.raises(TypeError, match=re.escape("38.0% (Amber)")):
        add_table_sheet(Workbook(), "T", ("KPI", "Value"), [["A", "38.0% (Amber)"]],
                        ("label", "percent"))  # fmt: skip


def test_a_row_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="has not 2 cells"):
        add_table_sheet(Workbook(), "T", ("KPI", "Value"), [["A"]], ("label", "percent"))


def _workbooks(demo: Path) -> list[Path]:
    found = []
    for la, extract in NEWEST.items():
        published = demo / "published" / la
        found += sorted((published / "internal" / "board").glob("*/*/*.xlsx"))
        found.append(
            published / "public" / "scrutiny" / extract.isoformat() / "scrutiny-figures.xlsx"
        )
    return found


def test_every_figure_in_the_demo_workbooks_is_a_number(demo_data: Path) -> None:
    """No figure stored as text ("38.0% (Amber)") in the board, adviser or scrutiny workbook of
    either demo LA; a RAG word only in a RAG column."""
    paths = _workbooks(demo_data)
    assert len(paths) == 6 and all(p.exists() for p in paths), paths
    numbers = 0
    for path in paths:
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            headers: dict[int, str] = {}
            for row in sheet.iter_rows():
                if row[0].value in ("KPI", "Area", "Notice area"):
                    headers = {c.column: str(c.value or "") for c in row}
                    continue
                for cell in row:
                    where = f"{path.name} {sheet.title}!{cell.coordinate}"
                    if isinstance(cell.value, int | float):
                        numbers += 1
                        assert cell.number_format != "General", where
                    elif isinstance(cell.value, str):
                        assert not FIGURE_AS_TEXT.match(cell.value.strip()), (where, cell.value)
                        assert not re.search(r"\((Green|Amber|Red)\)", cell.value), where
                        if cell.value in RAG_WORDS:
                            assert headers.get(cell.column, "").endswith("RAG"), where
    assert numbers > 1000  # the demo's figures are there, as numbers


def test_the_rag_palette_is_the_one_palette() -> None:
    book = Workbook()
    sheet = add_table_sheet(book, "T", ("KPI", "RAG"), [["A", "amber"]], ("label", "rag"))
    fills = {
        rule.formula[0]: rule.dxf.fill.fgColor.rgb
        for r in sheet.conditional_formatting
        for rule in r.rules
    }
    assert fills == {'"Green"': "00CCE5D3", '"Amber"': "00FFE5B3", '"Red"': "00F6C6C6"}
    assert xlsx_tables.rag_word("amber") == "Amber"
