"""The working-day calendar: England and Wales bank holidays, and ``working_days_between``.

Convention (kpi-catalogue.md): ``wd(a, b)`` is the number of working days ``d`` with
``a < d <= b`` (the start day is day 0, the same day is 0). Working days are Monday to Friday
except England and Wales bank holidays, including the one-off days (2022-06-03 Platinum
Jubilee, 2022-09-19 State funeral, 2023-05-08 Coronation).

In DuckDB the calendar is a table with a cumulative working-day index, so
``wd(a, b) = index(b) - index(a)``: one join per date, fast for millions of rows.
"""

import datetime as dt
from functools import cache

import duckdb
import holidays
import numpy as np
import polars as pl

CALENDAR_START = dt.date(2000, 1, 1)
CALENDAR_END = dt.date(2040, 12, 31)
CALENDAR_TABLE = "ref.calendar"


@cache
def bank_holidays(
    start_year: int = CALENDAR_START.year, end_year: int = CALENDAR_END.year
) -> dict[dt.date, str]:
    """England and Wales bank holidays from the ``holidays`` package (one source of truth)."""
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(start_year, end_year + 1))
    return {day: str(name) for day, name in sorted(days.items())}


def _holiday_array() -> np.ndarray:
    return np.array(sorted(bank_holidays()), dtype="datetime64[D]")


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


def working_days_between(a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> int:
    """Working days d with a < d <= b (negative when b is before a). Datetimes use their date."""
    start = a.date() if isinstance(a, dt.datetime) else a
    end = b.date() if isinstance(b, dt.datetime) else b
    if end >= start:
        return int(
            np.busday_count(
                start + dt.timedelta(days=1), end + dt.timedelta(days=1), holidays=_holiday_array()
            )
        )
    return -working_days_between(end, start)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date that is ``n`` working days after ``start`` (wd(start, result) == n, n >= 1)."""
    return np.busday_offset(start, n, roll="forward", holidays=_holiday_array()).astype(dt.date)  # type: ignore[no-any-return]


def calendar_frame(start: dt.date = CALENDAR_START, end: dt.date = CALENDAR_END) -> pl.DataFrame:
    """One row per date with its working-day flags and cumulative working-day index."""
    hols = bank_holidays(start.year, end.year)
    holiday_frame = pl.DataFrame(
        {"date": list(hols), "bank_holiday_name": list(hols.values())},
        schema={"date": pl.Date, "bank_holiday_name": pl.String},
    )
    return (
        pl.DataFrame({"date": pl.date_range(start, end, interval="1d", eager=True)})
        .join(holiday_frame, on="date", how="left")
        .with_columns(
            is_weekend=pl.col("date").dt.weekday() >= 6,
            is_bank_holiday=pl.col("bank_holiday_name").is_not_null(),
        )
        .with_columns(is_working_day=~pl.col("is_weekend") & ~pl.col("is_bank_holiday"))
        .with_columns(working_day_index=pl.col("is_working_day").cast(pl.Int32).cum_sum())
        .select(
            "date",
            "is_working_day",
            "is_weekend",
            "is_bank_holiday",
            "bank_holiday_name",
            "working_day_index",
        )
    )


# Dates outside the calendar give NULL rather than a wrong count.
_MACRO_SQL = f"""
create or replace macro working_days_between(a, b) as (
    (select working_day_index from {CALENDAR_TABLE} where date = cast(b as date))
    - (select working_day_index from {CALENDAR_TABLE} where date = cast(a as date))
)
"""


def install_calendar(con: duckdb.DuckDBPyConnection) -> int:
    """Create or replace ``ref.calendar`` and the ``working_days_between`` macro; returns rows."""
    frame = calendar_frame()
    con.execute("create schema if not exists ref")
    con.register("calendar_frame", frame.to_arrow())
    try:
        con.execute(f"create or replace table {CALENDAR_TABLE} as select * from calendar_frame")
    finally:
        con.unregister("calendar_frame")
    con.execute(_MACRO_SQL)
    return frame.height
