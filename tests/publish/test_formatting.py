"""One formatting rule for every output (pipelines/lib/formatting.py), worked by hand."""

import datetime as dt

import pytest

from pipelines.lib import formatting as f
from pipelines.lib.publish import clinic
from pipelines.lib.publish.board import tables as board


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (81.25, "percent", "81.3%"),  # half up, not to even
        (12.345, "rate_per_10k", "12.3 per 10,000"),
        (1234.5, "count", "1,235"),
        (45.25, "weeks", "45.3 weeks"),
        (9.95, "days", "10.0 days"),  # as written, although 9.95 is 9.9499... in binary
        (1.05, "ratio", "1.1"),
        (-2.5, "count", "−3"),
    ],
)
def test_values_carry_their_unit_everywhere(value: float, unit: str, expected: str) -> None:
    assert f.value_text(value, unit) == expected
    assert board.format_value(value, unit) == expected
    assert clinic.fmt_value(value, unit) == expected


@pytest.mark.parametrize(
    ("change", "unit", "expected"),
    [
        (0.0, "percent", "no change"),
        (0.04, "percent", "no change"),  # rounds to 0.0: never "+0.0 points"
        (-0.04, "percent", "no change"),  # never "−0.0 points"
        (0.05, "percent", "+0.1 points"),
        (-5.0, "percent", "−5.0 points"),
        (3.0, "count", "+3"),
        (-0.4, "count", "no change"),
        (1.25, "rate_per_10k", "+1.3 per 10,000"),
    ],
)
def test_changes_are_signed_and_zero_is_no_change(change: float, unit: str, expected: str) -> None:
    assert f.change_text(change, unit) == expected
    assert clinic.fmt_change(change, unit) == expected


def test_a_miss_never_reads_as_the_target() -> None:
    # 7.04 and 7.0 both read 7.0 at one place; at two they differ: 7.04 vs 7.00.
    assert f.distinguishing_places(7.04, 7.0, "percent") == 2
    assert f.against_target(7.04, 7.0, "percent", "at_most") == (
        "7.04%, just above the 7.0% maximum"
    )
    assert f.against_target(75.0, 70.0, "percent", "at_least") == "75.0%, above the 70.0% minimum"
    assert f.against_target(7.0, 7.0, "percent", "at_most") == "7.0%, equal to the 7.0% maximum"
    assert f.margin_text(7.04, 7.0, "percent", "at_most") == "missed by 0.04 points"
    assert f.margin_text(74.375, 75.0, "percent", "at_least") == "missed by 0.6 points"
    assert f.margin_text(9.440964, 10.0, "days", "at_most") == "met by 0.6 days"
    assert f.margin_text(7.0, 7.0, "percent", "at_most") == "met exactly"
    # Beyond three extra places the gap is said to be smaller than the last place shown.
    assert f.margin_text(7.00001, 7.0, "percent", "at_most") == "missed by less than 0.0001 points"


def test_stored_figures_have_no_binary_noise() -> None:
    assert f.stored(3.299999999999999) == 3.3
    assert f.stored(None) is None


def test_spreadsheet_formats_follow_the_same_places() -> None:
    assert f.xlsx_format("percent") == '0.0"%"'
    assert f.xlsx_format("percent", 2) == '0.00"%"'
    assert f.xlsx_format("count") == "#,##0"
    assert f.xlsx_format("count", 1) == "0.0"
    assert f.xlsx_format("days", 3) == "0.000"
    assert f.xlsx_format("rate_per_10k") == "0.0"
    assert f.xlsx_format("weeks") == "0.0"


def test_csv_and_published_numbers_use_the_same_rounding() -> None:
    # CSV cells: half up at fixed places, no thousands separator (1234.5 -> "1234.5").
    assert f.csv_number(1234.5, 1) == "1234.5"
    assert f.csv_number(81.25, 1) == "81.3"
    assert f.csv_number(2.5, 0) == "3"
    # A figure someone else published keeps its own places, without trailing zeros.
    assert f.published_number(8.55) == "8.55"
    assert f.published_number(3.0) == "3"
    assert f.published_number(56.25) == "56.25"
    assert f.published_number(0.1234567) == "0.123457"  # six places at most, half up


def test_a_csv_number_that_rounds_to_zero_is_never_minus_zero() -> None:
    assert f.csv_number(-0.01, 1) == "0.0"
    assert f.csv_number(-0.4, 0) == "0"
    assert f.csv_number(-1234.56, 0) == "-1235"


def test_a_value_against_its_target_and_its_spreadsheet_format() -> None:
    assert f.against_text(84.96, 85.0, "percent") == "84.96%"
    assert f.against_text(91.4, 90.0, "percent") == "91.4%"
    assert f.against_text(None, 90.0, "percent") == ""
    assert f.xlsx_format_against(84.96, 85.0, "percent") == '0.00"%"'
    assert f.xlsx_format_against(None, 85.0, "percent") == '0.0"%"'
    # The scrutiny workbook's plain numbers (its Unit column names the unit).
    assert f.xlsx_number_format(0) == "#,##0"
    assert f.xlsx_number_format(2) == "#,##0.00"


def test_dates_as_the_papers_write_them() -> None:
    assert f.month_text(dt.date(2024, 3, 31)) == "Mar 2024"
    assert f.month_text(None) == ""
    assert f.long_date(dt.date(2024, 3, 7)) == "7 March 2024"
