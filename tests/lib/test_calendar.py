"""working_days_between: dates checked by hand against a paper calendar.

Convention: wd(a, b) counts working days d with a < d <= b; same day = 0.
"""

import datetime as dt

import duckdb
import pytest

from pipelines.lib.calendar import (
    add_working_days,
    bank_holidays,
    install_calendar,
    working_days_between,
)

D = dt.date

# (a, b, expected, why): each worked out by hand.
CASES = [
    (D(2023, 1, 6), D(2023, 1, 6), 0, "same day is day 0"),
    (D(2023, 1, 6), D(2023, 1, 9), 1, "Fri -> Mon: Sat, Sun do not count, Mon does"),
    (D(2023, 1, 7), D(2023, 1, 9), 1, "Sat -> Mon: an event on a Saturday has Monday as day 1"),
    (D(2023, 1, 7), D(2023, 1, 8), 0, "Sat -> Sun: no working day"),
    (D(2023, 1, 9), D(2023, 1, 13), 4, "Mon -> Fri of an ordinary week"),
    (
        D(2022, 6, 1),
        D(2022, 6, 6),
        1,
        "Wed -> Mon over the Jubilee: 2 and 3 June 2022 are holidays",
    ),
    (D(2022, 9, 16), D(2022, 9, 20), 1, "Fri -> Tue over the State funeral, Mon 19 Sep 2022"),
    (D(2023, 5, 5), D(2023, 5, 10), 2, "Fri -> Wed over the Coronation, Mon 8 May 2023"),
    (
        D(2023, 4, 6),
        D(2023, 4, 11),
        1,
        "Thu -> Tue over Easter 2023 (Good Friday 7, Easter Monday 10)",
    ),
    (D(2024, 3, 28), D(2024, 4, 2), 1, "Thu -> Tue over Easter 2024 (29 Mar, 1 Apr)"),
    (
        D(2022, 12, 23),
        D(2022, 12, 28),
        1,
        "Christmas 2022: 26 Dec and substitute 27 Dec are holidays",
    ),
    (
        D(2023, 4, 3),
        D(2023, 4, 26),
        15,
        "ICPC deadline: Mon 3 Apr 2023 + 15 working days = Wed 26 Apr",
    ),
    (D(2023, 4, 3), D(2023, 4, 27), 16, "one day past that deadline"),
    (
        D(2022, 12, 31),
        D(2023, 12, 31),
        251,
        "working days in 2023: 365 - 105 weekend days - 9 holidays",
    ),
    (D(2023, 12, 31), D(2024, 12, 31), 254, "working days in leap 2024: 366 - 104 - 8 holidays"),
    (D(2023, 1, 9), D(2023, 1, 6), -1, "reversed dates give a negative count"),
]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    install_calendar(connection)
    return connection


@pytest.mark.parametrize(("a", "b", "expected", "why"), CASES, ids=[c[3] for c in CASES])
def test_working_days_between_python(a: dt.date, b: dt.date, expected: int, why: str) -> None:
    assert working_days_between(a, b) == expected, why


@pytest.mark.parametrize(("a", "b", "expected", "why"), CASES, ids=[c[3] for c in CASES])
def test_working_days_between_sql_macro(
    con: duckdb.DuckDBPyConnection, a: dt.date, b: dt.date, expected: int, why: str
) -> None:
    got = con.execute("select working_days_between(?::date, ?::date)", [a, b]).fetchone()[0]  # type: ignore[index]
    assert got == expected, why


def test_datetimes_use_their_dates(con: duckdb.DuckDBPyConnection) -> None:
    # Friday 23:59 to Monday 00:01 is one working day, whatever the clock says.
    got = con.execute(
        "select working_days_between(timestamp '2023-01-06 23:59', timestamp '2023-01-09 00:01')"
    ).fetchone()[0]  # type: ignore[index]
    assert got == 1
    assert working_days_between(dt.datetime(2023, 1, 6, 23, 59), dt.datetime(2023, 1, 9, 0, 1)) == 1


def test_dates_outside_the_calendar_are_null_not_wrong(con: duckdb.DuckDBPyConnection) -> None:
    got = con.execute(
        "select working_days_between(date '1990-01-01', date '2023-01-01')"
    ).fetchone()[0]  # type: ignore[index]
    assert got is None


def test_macro_runs_as_a_join_over_many_rows(con: duckdb.DuckDBPyConnection) -> None:
    # 7 consecutive days from a Monday hold 5 working days, for 1,000 non-holiday weeks at once.
    total = con.execute(
        """select sum(working_days_between(d, d + 7)) from (
               select date '2019-01-06' + 7 * i::int as d from range(1000) t(i))
           where not exists (select 1 from ref.calendar c
                             where c.is_bank_holiday and c.date > d and c.date <= d + 7)"""
    ).fetchone()[0]  # type: ignore[index]
    weeks = con.execute(
        """select count(*) from (select date '2019-01-06' + 7 * i::int as d from range(1000) t(i))
           where not exists (select 1 from ref.calendar c
                             where c.is_bank_holiday and c.date > d and c.date <= d + 7)"""
    ).fetchone()[0]  # type: ignore[index]
    assert total == 5 * weeks and weeks > 800


# England and Wales bank holidays falling on weekdays, 2022-2027 (gov.uk feed, as listed in
# domain-notes.md section 6).
EXPECTED_HOLIDAYS = {
    2022: [
        "01-03",
        "04-15",
        "04-18",
        "05-02",
        "06-02",
        "06-03",
        "08-29",
        "09-19",
        "12-26",
        "12-27",
    ],
    2023: ["01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"],
    2024: ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"],
    2025: ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
    2026: ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
    2027: ["01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"],
}


@pytest.mark.parametrize("year", sorted(EXPECTED_HOLIDAYS))
def test_bank_holidays_match_the_published_list(year: int) -> None:
    weekday_holidays = sorted(
        d.strftime("%m-%d") for d in bank_holidays() if d.year == year and d.weekday() < 5
    )
    assert weekday_holidays == EXPECTED_HOLIDAYS[year]


def test_calendar_table_flags(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute(
        "select is_working_day, is_bank_holiday, bank_holiday_name from ref.calendar where date = '2023-05-08'"
    ).fetchone()
    assert row is not None and row[0] is False and row[1] is True and "Coronation" in row[2]


def test_add_working_days_is_the_inverse() -> None:
    assert add_working_days(D(2023, 4, 3), 15) == D(2023, 4, 26)
    assert working_days_between(D(2023, 4, 3), add_working_days(D(2023, 4, 3), 15)) == 15
