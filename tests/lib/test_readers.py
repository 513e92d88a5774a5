"""Reading files as text with spreadsheet row numbers; file-level problems name the file."""

import datetime as dt
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from pipelines.lib.readers import FileLevelError, read_table_file


def test_csv_with_bom_and_header_row_one(tmp_path: Path) -> None:
    path = tmp_path / "ssd_person.csv"
    path.write_bytes("\ufeffPERS_PERSON_ID , pers_dob\nC1,2015-03-01\n ,\nC2,\n".encode())
    raw = read_table_file(path, "ssd_person")
    assert raw.columns == ("pers_person_id", "pers_dob")
    assert raw.frame.rows() == [(2, "C1", "2015-03-01"), (4, "C2", None)]  # row 3 is blank


def test_csv_leading_blank_lines_shift_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "ssd_person.csv"
    path.write_text("\n,,\npers_person_id,pers_dob\nC1,2015-03-01\n")
    assert read_table_file(path, "ssd_person").frame["source_row"].to_list() == [4]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"pers_person_id;pers_dob\nC1;2015-03-01\n", "not comma-separated"),
        (b"pers_person_id,pers_dob,pers_dob\nC1,x,y\n", "appears twice"),
        (b"pers_person_id,pers_dob\nC1,2015-03-01\n\xe9\xff,\n", "not UTF-8"),
        (b"pers_person_id,pers_dob\nC1,2015-03-01,extra,fields\n", "row 2 has 4 fields"),
    ],
)
def test_csv_file_level_problems(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "ssd_person.csv"
    path.write_bytes(content)
    with pytest.raises(FileLevelError) as caught:
        read_table_file(path, "ssd_person")
    assert fragment in str(caught.value)
    assert str(path) in str(caught.value)


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "ssd_person.csv"
    path.write_bytes("pers_person_id\nC1\nCaf\xe9\n".encode("latin-1"))
    with pytest.raises(FileLevelError, match="on line 3"):
        read_table_file(path, "ssd_person")


def test_xlsx_with_leading_blank_rows_keeps_sheet_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "ext_vacancies.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "ext_vacancies"
    for _ in range(3):
        sheet.append([])
    sheet.append(["team_id", "as_at_date", "vacant_fte"])
    sheet.append(["T1", dt.datetime(2023, 1, 31), 2.0])
    sheet.append([None, None, None])
    sheet.append(["T2", "31/01/2023", 1.5])
    workbook.save(path)
    raw = read_table_file(path, "ext_vacancies")
    assert raw.columns == ("team_id", "as_at_date", "vacant_fte")
    assert raw.frame.rows() == [(5, "T1", "2023-01-31", "2"), (7, "T2", "31/01/2023", "1.5")]


def test_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "ext_vacancies.xlsx"
    # A password-protected workbook is an OLE container, not a zip: the same failure.
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(FileLevelError, match="password-protected"):
        read_table_file(path, "ext_vacancies")


def test_parquet_typed_columns_become_text(tmp_path: Path) -> None:
    path = tmp_path / "ssd_contacts.parquet"
    pl.DataFrame(
        {
            "cont_contact_id": ["K1", "K2"],
            "cont_contact_date": [dt.datetime(2023, 1, 5, 9, 30), None],
            "n": [1, 2],
        }
    ).write_parquet(path)
    raw = read_table_file(path, "ssd_contacts")
    assert raw.frame.rows() == [(2, "K1", "2023-01-05 09:30:00", "1"), (3, "K2", None, "2")]


def test_csv_blank_lines_between_rows_are_not_rows(tmp_path: Path) -> None:
    path = tmp_path / "ssd_person.csv"
    path.write_text("pers_person_id,pers_dob\nC1,2015-03-01\n\n,\nC2,2016-01-01\n")
    assert read_table_file(path, "ssd_person").frame.rows() == [
        (2, "C1", "2015-03-01"),
        (5, "C2", "2016-01-01"),
    ]


def test_non_utf8_after_a_byte_order_mark_names_the_right_byte_and_line(tmp_path: Path) -> None:
    path = tmp_path / "ssd_person.csv"
    path.write_bytes(b"\xef\xbb\xbfpers_person_id\nC1\n\xff\n")
    with pytest.raises(FileLevelError, match="invalid byte 0xff on line 3"):
        read_table_file(path, "ssd_person")


def test_csv_line_ends_of_any_kind_read_alike(tmp_path: Path) -> None:
    rows = []
    for name, end in (("unix.csv", b"\n"), ("windows.csv", b"\r\n"), ("mac.csv", b"\r")):
        path = tmp_path / name
        path.write_bytes(end.join([b"pers_person_id,pers_dob", b'C1,"2015-03-01"', b"", b"C2,"]))
        rows.append(read_table_file(path, "ssd_person").frame.rows())
    assert rows == [[(2, "C1", "2015-03-01"), (4, "C2", None)]] * 3
