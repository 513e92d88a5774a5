"""The engine's span macros (``extract_views.MACROS``), on literal spans worked out by hand.

Spans are stretches of days [from_date, to_date): counted on from_date, not on to_date; a blank
to_date is still going."""

import datetime as dt

import duckdb
import pytest

from pipelines.lib.kpi.extract_views import MACROS

D = dt.date


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    for macro in MACROS:
        connection.execute(macro)
    return connection


def test_overlap_counts(con: duckdb.DuckDBPyConnection) -> None:
    # Unit 1: A 1 Jan - 1 Mar, B 1 Feb onward, C 1 Feb - 1 Feb (ends the day it starts: left
    # out). 1 Jan - 1 Feb: A only (1); 1 Feb - 1 Mar: A and B (2); from 1 Mar: B (1, open).
    # Unit 2: 10 - 20 Jan (1), then none (0, open).
    rows = con.execute(
        """with spans as (select * from (values
               (1, date '2024-01-01', date '2024-03-01'),
               (1, date '2024-02-01', null),
               (1, date '2024-02-01', date '2024-02-01'),
               (2, date '2024-01-10', date '2024-01-20')
           ) t(unit_id, from_date, to_date))
           select unit_id, from_date, to_date, spans from overlap_counts(spans) order by all"""
    ).fetchall()
    assert rows == [
        (1, D(2024, 1, 1), D(2024, 2, 1), 1),
        (1, D(2024, 2, 1), D(2024, 3, 1), 2),
        (1, D(2024, 3, 1), None, 1),
        (2, D(2024, 1, 10), D(2024, 1, 20), 1),
        (2, D(2024, 1, 20), None, 0),
    ]


def test_months_window_end(con: duckdb.DuckDBPyConnection) -> None:
    # 29 Feb 2024 + 12 months = 28 Feb 2025, whose 12 months (28 Feb 2024, 28 Feb 2025] still
    # hold 29 Feb: the first day without it is 1 March. 31 March + 1 month = 30 April, whose
    # month (30 March, 30 April] holds 31 March: out from 1 May. 15 January: exactly a year.
    rows = con.execute(
        """select months_window_end(date '2024-02-29', 12), months_window_end(date '2023-03-31', 1),
                  months_window_end(date '2023-01-15', 12), months_window_end(null::date, 12)"""
    ).fetchone()
    assert rows == (D(2025, 3, 1), D(2023, 5, 1), D(2024, 1, 15), None)


def test_overlapping(con: duckdb.DuckDBPyConnection) -> None:
    # Unit 1's span 1 Jan - 1 Mar (x = 'a') within 1 Feb onward: 1 Feb - 1 Mar; within 1 Mar -
    # 1 Apr: touching only, nothing. Unit 2's open span within 15 Jan - 20 Jan: that stretch.
    # Unit 3 has no span within.
    rows = con.execute(
        """with spans as (select * from (values
               (1, date '2024-01-01', date '2024-03-01', 'a'),
               (2, date '2024-01-01', null, 'b'),
               (3, date '2024-01-01', null, 'c')
           ) t(unit_id, from_date, to_date, x)),
           within as (select * from (values
               (1, date '2024-02-01', null::date),
               (1, date '2024-03-01', date '2024-04-01'),
               (2, date '2024-01-15', date '2024-01-20')
           ) t(unit_id, from_date, to_date))
           select unit_id, from_date, to_date, x from overlapping(spans, within) order by all"""
    ).fetchall()
    assert rows == [
        (1, D(2024, 2, 1), D(2024, 3, 1), "a"),
        (2, D(2024, 1, 15), D(2024, 1, 20), "b"),
    ]


def test_reviews_on_time(con: duckdb.DuckDBPyConnection) -> None:
    # Unit u, first review due by 31 Jan 2024, then 3 months, then 6 months:
    #   31 Jan (on its last day): on time until the next review (30 Apr) - before 1 May, the day
    #     after 31 Jan + 3 months;
    #   30 Apr (due 31 Jan + 3 months = 30 Apr, its last day): on time until 31 Oct, the day
    #     after 30 Apr + 6 months (30 Oct); the next review is later;
    #   1 Nov (due 30 Oct): late, and so nothing after it counts.
    # Unit v: first review due by 10 Jan, held 11 Jan: late, never on time.
    # Unit w: one review on time (5 Jan, due 10 Jan), then none: on time until 6 Apr (5 Jan +
    #   3 months = 5 Apr, the deadline, is not missed).
    rows = con.execute(
        """with reviews as (select * from (values
               ('u', date '2024-01-31', date '2024-01-31'),
               ('u', date '2024-01-31', date '2024-04-30'),
               ('u', date '2024-01-31', date '2024-11-01'),
               ('v', date '2024-01-10', date '2024-01-11'),
               ('w', date '2024-01-10', date '2024-01-05')
           ) t(unit_id, first_due, review_date))
           select unit_id, from_date, to_date from reviews_on_time(reviews, 3, 6) order by all"""
    ).fetchall()
    assert rows == [
        ("u", D(2024, 1, 31), D(2024, 4, 30)),
        ("u", D(2024, 4, 30), D(2024, 10, 31)),
        ("w", D(2024, 1, 5), D(2024, 4, 6)),
    ]
