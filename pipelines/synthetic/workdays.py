"""Day numbers and working days for the simulation, vectorised with numpy.

Dates are int64 day numbers (days since 1970-01-01), datetimes int64 minutes since 1970-01-01;
``NA`` marks a missing value in both. Working days are Monday to Friday less England and Wales
bank holidays, as the KPI catalogue defines them.
"""

import datetime as dt

import numpy as np

from pipelines.lib.calendar import bank_holidays

NA = np.iinfo(np.int64).min
EPOCH = dt.date(1970, 1, 1)
MINUTES_A_DAY = 1440


def day_number(d: dt.date) -> int:
    return (d - EPOCH).days


def to_date(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


def weekday(days: np.ndarray) -> np.ndarray:
    """0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday)."""
    return (np.asarray(days) + 3) % 7


def add_months(days: np.ndarray, months: int | np.ndarray) -> np.ndarray:
    """Calendar-month arithmetic clipped to the month end, as SQL INTERVAL does."""
    d = np.asarray(days).astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    offset = (d - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(months, dtype=np.int64)
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    out = target.astype("datetime64[D]").astype(np.int64) + np.minimum(offset, length - 1)
    return out.astype(np.int64)


def years_later(days: np.ndarray, years: int) -> np.ndarray:
    return add_months(days, 12 * years)


class WorkCalendar:
    """England and Wales working days for a range of years, vectorised; the bank holidays come
    from the project's one calendar (``pipelines.lib.calendar``)."""

    def __init__(self, first_year: int, last_year: int) -> None:
        names = bank_holidays(first_year, last_year)
        self.holidays = np.array(sorted(names), dtype="datetime64[D]")
        self._cal = np.busdaycalendar(holidays=self.holidays)

    def is_working_day(self, days: np.ndarray) -> np.ndarray:
        return np.is_busday(np.asarray(days).astype("datetime64[D]"), busdaycal=self._cal)

    def add(self, days: np.ndarray, n: np.ndarray | int) -> np.ndarray:
        """The day d with wd(day, d) == n that is a working day (n >= 1); n == 0 keeps the day."""
        days = np.asarray(days, dtype=np.int64)
        n = np.broadcast_to(np.asarray(n, dtype=np.int64), days.shape)
        moved = np.busday_offset(
            days.astype("datetime64[D]"), n, roll="backward", busdaycal=self._cal
        ).astype(np.int64)
        return np.where(n == 0, days, moved)

    def between(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """wd(a, b): working days d with a < d <= b."""
        a = np.asarray(a, dtype=np.int64) + 1
        b = np.asarray(b, dtype=np.int64) + 1
        return np.busday_count(
            a.astype("datetime64[D]"), b.astype("datetime64[D]"), busdaycal=self._cal
        )
