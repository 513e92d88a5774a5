"""When the unattended outputs are due (no Dagster here: the schedules ask these)."""

import datetime as dt

from pipelines.lib.calendar import is_working_day

# The 2022 notice (a Monday) starts the six-weekly cycle of reports to the DfE adviser unless
# CSC_ADVISER_ANCHOR names another Monday.
ADVISER_ANCHOR = dt.date(2022, 10, 24)
ADVISER_EVERY_WEEKS = 6


def first_working_day(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def is_first_working_day(day: dt.date) -> bool:
    """The improvement board's report is due on the month's first working day (a bank holiday
    on the 1st moves it, as New Year's Day does every January)."""
    return day == first_working_day(day.year, day.month)


def is_adviser_week(day: dt.date, anchor: dt.date = ADVISER_ANCHOR) -> bool:
    """Every sixth week from the anchor: the six-weekly progress report to the DfE adviser."""
    weeks = (day - anchor).days // 7
    return weeks >= 0 and weeks % ADVISER_EVERY_WEEKS == 0
