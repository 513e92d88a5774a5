"""A statutory return's own date against its extract folder's date.

Every return describes the council at a date of its own: 31 March for the CIN census and the
SSDA903 (the end of the collection year), 30 September for the workforce census, the date an
Annex A was run when its file name says so. The folder a council drops it in is named by the
extract date, which the pipeline treats as "now": every date after it is an error, and every KPI
is computed as at that date. A workforce census at 30 September 2022 in a folder dated
2022-06-01 would fail every worker period that starts in the summer and publish figures dated
three months before the census; one clear line saying what to rename the folder to is what the
analyst needs instead.

Such a delivery is rejected as a whole (a file-level problem, nothing of it staged or published)
rather than loaded with a warning: loaded under the wrong date, its KPIs would be published as at
the folder's date and kept in the history under it, and the fix is a rename that takes a moment.
The message is given only when the file has rows dated between the folder's date and its own: a
return taken in-year, before its period ends, has none and is loaded as usual. A date genuinely
after the extract date (a mistyped 2029) is not this: it stays an error for the rows that have
it. So a date inferred from a return's newest row (the 903 has no header date) is trusted only
when it is within a year after the folder's date.
"""

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import polars as pl

from pipelines.lib.adapters.base import AdaptedTable, ReferenceDate
from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.readers import ROW_COLUMN, FileLevelError

# An inferred date further than this after the folder's is taken for a mistyped row date.
INFERRED_WINDOW = dt.timedelta(days=366)

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_NAME_DATES = (
    # 2024-01-31, 2024_01_31, 20240131
    (
        re.compile(r"(?<!\d)(20\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)"),
        (0, 1, 2),
    ),
    # 31-01-2024, 31.01.2024, 31_01_2024
    (
        re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])[-_.](0[1-9]|1[0-2])[-_.](20\d{2})(?!\d)"),
        (2, 1, 0),
    ),
)


def long_date(day: dt.date) -> str:
    """``30 September 2022``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def date_in_name(path: Path) -> dt.date | None:
    """A whole date in a file name (``Annex_A_2024-01-31.xlsx``); a month alone does not say
    the day, so ``Annex_A_2024_Jan.xlsx`` gives None."""
    for pattern, (y, m, d) in _NAME_DATES:
        found = pattern.search(path.stem)
        if found:
            parts = found.groups()
            try:
                return dt.date(int(parts[y]), int(parts[m]), int(parts[d]))
            except ValueError:
                continue
    return None


def annex_a_dates(paths: Iterable[Path]) -> list[ReferenceDate]:
    """The Annex A workbooks whose name carries the date they were run."""
    out = []
    for path in paths:
        day = date_in_name(path)
        if day is not None:
            what = f"an Annex A run on {long_date(day)}"
            out.append(ReferenceDate(path.name, day, what, "the date in its file name"))
    return out


def rows_dated_between(
    pieces: Iterable[AdaptedTable], source_file: str, after: dt.date, until: dt.date
) -> int:
    """How many rows (or XML elements) of one file give a contract date in ``(after, until]``."""
    lo, hi = pl.lit(after.isoformat()), pl.lit(until.isoformat())
    rows: set[int] = set()
    for piece in pieces:
        if piece.source_file.name != source_file:
            continue
        dates = [
            c.name
            for c in TABLES_BY_NAME[piece.table].columns
            if c.kind in ("date", "datetime") and c.name in piece.frame.columns
        ]
        if dates:
            inside = pl.any_horizontal(
                [pl.col(c).str.slice(0, 10).is_between(lo, hi, closed="right") for c in dates]
            )
            rows.update(piece.frame.filter(inside.fill_null(False))[ROW_COLUMN].to_list())
    return len(rows)


def folder_date_problems(
    refs: Sequence[ReferenceDate], pieces: Sequence[AdaptedTable], extract_date: dt.date
) -> list[FileLevelError]:
    """One file-level problem per file whose own date is after the folder's and that has rows
    dated in between (an in-year extract of a return, taken before its period ends, has none and
    is fine); each says what to rename the folder to (the latest such date, which suits every
    file of the folder)."""
    late = []
    for ref in refs:
        if ref.date <= extract_date:
            continue
        if not ref.explicit and ref.date - extract_date > INFERRED_WINDOW:
            continue
        between = rows_dated_between(pieces, ref.source_file, extract_date, ref.date)
        if between:
            late.append((ref, between))
    if not late:
        return []
    target = max(r.date for r, _ in late).isoformat()
    return [
        FileLevelError(
            ref.source_file,
            f"this is {ref.what} ({ref.told_by}), but its folder is dated "
            f"{extract_date.isoformat()}, so {between:,} of its rows dated after that would be "
            f"errors: rename the folder to {target}",
        )
        for ref, between in sorted(late, key=lambda x: (x[0].date, x[0].source_file))
    ]


def ssda903_reference(
    path: Path, year: int, newest_start: dt.date | None, from_year_column: bool
) -> ReferenceDate:
    """An SSDA903 episodes file's collection year end (31 March), and what says so: its
    ``YEAR`` column (LIIA's files) or, inferred, its newest DECOM."""
    end = dt.date(year, 3, 31)
    what = f"the SSDA903 return for the year to {long_date(end)}"
    if from_year_column:
        return ReferenceDate(path.name, end, what, "its YEAR column")
    told = (
        f"its newest episode starts on {newest_start.isoformat()}" if newest_start else "its name"
    )
    return ReferenceDate(path.name, end, what, told, explicit=False)
