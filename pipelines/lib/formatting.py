"""One rule for writing a figure, used by every output (clinic pack, board and adviser reports,
scrutiny export, status reasons), so a number reads the same wherever it appears.

- Rounding: half up, as Excel and the DfE tables (81.25 -> 81.3), never Python's half to even.
- Decimals: counts whole; every other unit one decimal place; more places only where one place
  would make a value that misses a target read as the target (7.04% against "at most 7.0%").
- Units: percent ``%``; rate ``per 10,000``; weeks and days by name; ratios and counts bare.
- Changes: signed with ``+`` and the minus sign ``−``; a change that rounds to zero is
  "no change" (never "+0.0" or "−0.0"); a change of a percentage is in "points".
- Spreadsheets: numbers are stored as numbers with the unit's number format (``xlsx_format``):
  the same places and the ``%`` sign.
- CSV cells: the same rounding at fixed places, without thousands separators (``csv_number``).
- Dates: a month as ``Mar 2024``, a day as ``7 March 2024``.

Every digit an output shows comes from ``number`` (or a number format here).
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"
UNIT_SUFFIX = {"percent": "%", "rate_per_10k": " per 10,000", "weeks": " weeks", "days": " days"}
# Units a change is written in when it differs from the value's own (a percentage changes in
# percentage points).
CHANGE_SUFFIX = {**UNIT_SUFFIX, "percent": " points"}
# Digits kept when a figure is stored (trajectories, forecasts): enough for any output, and no
# binary noise such as 3.299999999999999.
STORED_PLACES = 6
MAX_EXTRA_PLACES = 3


def xlsx_format(unit: str, decimals: int | None = None) -> str:
    """The spreadsheet number format of a unit, with ``decimals`` places when given."""
    d = places(unit) if decimals is None else decimals
    if unit == "count" and d == 0:
        return "#,##0"
    pattern = "0." + "0" * d if d else "0"
    return f'{pattern}"%"' if unit == "percent" else pattern


def round_half_up(value: float, places: int) -> float:
    """Round as Excel and the DfE tables do (81.25 -> 81.3), not to even as Python does."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def stored(value: float | None) -> float | None:
    """A derived figure as it is stored: rounded half up to ``STORED_PLACES``."""
    return None if value is None else round_half_up(value, STORED_PLACES)


def places(unit: str) -> int:
    return 0 if unit == "count" else 1


def xlsx_number_format(decimals: int) -> str:
    """A plain number format with thousands separators, for a table whose unit is in a column
    of its own (the scrutiny workbook): ``#,##0.0``."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def xlsx_format_against(value: float | None, target: float | None, unit: str) -> str:
    """The unit's number format with the places that tell ``value`` from ``target`` (as
    ``against_text``)."""
    if value is None or target is None:
        return xlsx_format(unit)
    return xlsx_format(unit, distinguishing_places(value, target, unit))


def number(value: float, unit: str, decimals: int | None = None, *, thousands: bool = True) -> str:
    """The magnitude only, rounded half up, with thousands separators unless ``thousands`` is
    false."""
    d = places(unit) if decimals is None else decimals
    separator = "," if thousands else ""
    return f"{round_half_up(value, d):{separator}.{d}f}"


def csv_number(value: float, decimals: int) -> str:
    """A number as printed in a CSV: fixed decimals rounded half up, no thousands separator,
    never ``-0`` (a value that rounds to zero is ``0``)."""
    return number(round_half_up(value, decimals) + 0.0, "", decimals, thousands=False)


def published_number(value: float) -> str:
    """A figure someone else published, as published: up to ``STORED_PLACES`` decimals with no
    trailing zeros (8.55 stays 8.55, 3.0 becomes 3)."""
    return csv_number(value, STORED_PLACES).rstrip("0").rstrip(".")


def value_text(value: float | None, unit: str, decimals: int | None = None, empty: str = "") -> str:
    """A KPI value with its unit: ``75.0%``, ``12.3 per 10,000``, ``18.0 weeks``, ``1,234``."""
    if value is None:
        return empty
    text = number(value, unit, decimals)
    if text.startswith("-"):
        text = MINUS + text[1:]
    return text + UNIT_SUFFIX.get(unit, "")


def change_text(change: float | None, unit: str, empty: str = "") -> str:
    """A signed change: ``+1.2 points``, ``−3``, ``no change`` when it rounds to zero."""
    if change is None:
        return empty
    magnitude = number(abs(change), unit)
    if round_half_up(abs(change), places(unit)) == 0:
        return "no change"
    sign = "+" if change > 0 else MINUS
    return f"{sign}{magnitude}{CHANGE_SUFFIX.get(unit, '')}"


def distinguishing_places(value: float, target: float, unit: str) -> int:
    """The fewest decimals (from the unit's own) at which ``value`` and ``target`` read
    differently; the unit's own when they are equal."""
    base = places(unit)
    if value == target:
        return base
    for extra in range(MAX_EXTRA_PLACES + 1):
        if round_half_up(value, base + extra) != round_half_up(target, base + extra):
            return base + extra
    return base + MAX_EXTRA_PLACES


def against_text(value: float | None, target: float | None, unit: str) -> str:
    """A value beside its target, with the decimals that tell them apart: 7.04% against "at
    most 7.0%" is "7.04%", never "7.0%"."""
    if value is None or target is None:
        return value_text(value, unit)
    return value_text(value, unit, distinguishing_places(value, target, unit))


def month_text(day: dt.date | None) -> str:
    """``Mar 2024``; empty for no date."""
    return f"{day:%b %Y}" if day else ""


def long_date(day: dt.date) -> str:
    """``7 March 2024``."""
    return f"{day.day} {day:%B %Y}"


def bound_word(direction: str) -> str:
    return "at least" if direction == "at_least" else "at most"


def target_text(target: float | None, unit: str, direction: str, due: dt.date | None = None) -> str:
    """``at least 75.0% by 30 Jun 2011``."""
    if target is None:
        return "(value not set)"
    text = f"{bound_word(direction)} {value_text(target, unit)}"
    return f"{text} by {due:%d %b %Y}" if due else text


def against_target(value: float, target: float, unit: str, direction: str) -> str:
    """The value beside its target, with enough decimals that a miss never reads as the target:
    ``7.04%, just above the 7.0% maximum``; ``75.0%, above the 70.0% minimum``."""
    d = distinguishing_places(value, target, unit)
    shown = value_text(value, unit, d)
    limit = "minimum" if direction == "at_least" else "maximum"
    if value == target:
        return f"{shown}, equal to the {value_text(target, unit)} {limit}"
    side = "above" if value > target else "below"
    just = "just " if d > places(unit) else ""
    return f"{shown}, {just}{side} the {value_text(target, unit)} {limit}"


def margin_text(value: float, target: float, unit: str, direction: str) -> str:
    """By how much a target was met or missed: ``met by 5.0 points``, ``missed by 0.04
    points``, ``met exactly``."""
    met = value >= target if direction == "at_least" else value <= target
    if value == target:
        return "met exactly"
    d = distinguishing_places(value, target, unit)
    gap = abs(value - target)
    verb = "met" if met else "missed"
    if round_half_up(gap, d) == 0:
        return f"{verb} by less than {number(10.0**-d, unit, d)}{CHANGE_SUFFIX.get(unit, '')}"
    return f"{verb} by {number(gap, unit, d)}{CHANGE_SUFFIX.get(unit, '')}"
