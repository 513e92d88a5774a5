"""The openpyxl sheet helpers every workbook shares (pipelines/lib/publish/cells.py)."""

from pathlib import Path

import openpyxl

from pipelines.lib.publish import cells


def test_excel_width_adds_the_cells_padding() -> None:
    # Worked by hand: 18 characters of 7 pixels plus 5 pixels of padding is 131 pixels, 131/7 =
    # 18.714 characters, stored in 1/256ths: floor(18.714 * 256) = 4790 -> 4790/256 = 18.7109375.
    assert cells.excel_width(18) == 18.7109375
    assert cells.excel_width(36) == 36.7109375


def test_widths_and_print_set_up_survive_a_save(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    cells.column_widths(sheet, {1: 12.5, 3: 40})
    cells.print_landscape_a4(sheet, fit_width=True)
    cells.openpyxl_cell(sheet, 1, 1, "=1+1")
    book.save(tmp_path / "b.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "b.xlsx").active
    assert sheet.column_dimensions["A"].width == 12.5
    assert sheet.column_dimensions["C"].width == 40
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) in ((None, 0), (1, 0))
    assert sheet["A1"].value == "=1+1" and sheet["A1"].data_type == "s"
