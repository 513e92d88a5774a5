"""One rounding rule in every output: half up, as Excel and the DfE's tables round.

81.25% is exactly representable in binary, so Python's round() and format() give 81.2 (half to
even); a committee paper pasted from the scrutiny export, the board report and the clinic pack
must all show 81.3, as the DfE's published tables would. Worked by hand: 13 of 16 = 81.25% ->
81.3; 2.5 contacts -> 3; 0.125 (three decimals) -> 0.13 at two.
"""

from pipelines.lib.formatting import csv_number as format_number
from pipelines.lib.formatting import round_half_up
from pipelines.lib.publish import clinic
from pipelines.lib.publish.board.tables import format_value


def test_a_value_on_a_half_rounds_up_everywhere() -> None:
    value = 100 * 13 / 16
    assert value == 81.25
    assert round(value, 1) == 81.2  # Python's own rule, which the outputs must not use
    assert round_half_up(value, 1) == 81.3
    assert clinic.fmt_value(value, "percent") == "81.3%"
    assert format_value(value, "percent") == "81.3%"
    assert format_number(value, 1) == "81.3"


def test_counts_and_other_places() -> None:
    assert clinic.fmt_value(2.5, "count") == "3"
    assert format_value(2.5, "count") == "3"
    assert format_number(2.5, 0) == "3"
    assert format_number(0.125, 2) == "0.13"
    assert format_value(45.25, "weeks") == "45.3 weeks"
