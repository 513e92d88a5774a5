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


def test_recent_cover(con: duckdb.DuckDBPyConnection) -> None:
    # "The latest event within n days to D", (D - n days, D], as case_oversight_pct and
    # supervision_timely_pct read it: a unit counts at D when from_date <= D < to_date.
    # n = 30. Unit 1: events 1 Jan, 10 Jan (twice: counts once), 1 Apr.
    #   1 Jan is the latest until 10 Jan (sooner than 1 Jan + 30 = 31 Jan): [1 Jan, 10 Jan).
    #   10 Jan: until 10 Jan + 30 = 9 Feb (the next event is in April): [10 Jan, 9 Feb); on
    #   8 Feb it is 29 days old (in), on 9 Feb 30 days (out: "(D - 30, D]").
    #   1 Apr: no later event, so [1 Apr, 1 May).
    # Unit 2: one event on 29 Feb 2024 and one with no date (left out): [29 Feb, 30 Mar).
    rows = con.execute(
        """with events as (select * from (values
               (1, date '2024-01-01'), (1, date '2024-01-10'), (1, date '2024-01-10'),
               (1, date '2024-04-01'), (2, date '2024-02-29'), (2, null)
           ) t(unit_id, event_date))
           select unit_id, from_date, to_date from recent_cover(events, 30) order by all"""
    ).fetchall()
    assert rows == [
        (1, D(2024, 1, 1), D(2024, 1, 10)),
        (1, D(2024, 1, 10), D(2024, 2, 9)),
        (1, D(2024, 4, 1), D(2024, 5, 1)),
        (2, D(2024, 2, 29), D(2024, 3, 30)),
    ]


def test_recent_cover_counts_a_unit_once_at_any_date(con: duckdb.DuckDBPyConnection) -> None:
    # Events 7 days apart with n = 28 (case_oversight_pct's 4 weeks): each span stops at the
    # next event, so at every date at most one span of the unit is in force.
    rows = con.execute(
        """with events as (select 1 as unit_id, d::date as event_date
                           from range(date '2024-01-01', date '2024-02-01', interval 7 day) t(d))
           select count(*) from range(date '2023-12-25', date '2024-03-15', interval 1 day) t(d)
           join recent_cover(events, 28) c on c.from_date <= d and d < c.to_date
           group by d having count(*) > 1"""
    ).fetchall()
    assert rows == []
