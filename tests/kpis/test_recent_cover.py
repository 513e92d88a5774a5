"""The engine's ``recent_cover(events, n)`` macro ("the latest event within n days to D"), on
literal events worked out by hand, as ``case_oversight_pct`` and ``supervision_timely_pct`` read
it. Spans are stretches of days [from_date, to_date): a unit counts at D when
from_date <= D < to_date, i.e. when an event is dated in (D - n days, D]."""

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


def test_recent_cover(con: duckdb.DuckDBPyConnection) -> None:
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
