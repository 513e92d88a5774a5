"""Moves of children in care for more than a year (pipelines/synthetic/stability.py): every
move in the first year in care is kept, later ones in a share that falls after the notice."""

import numpy as np

from pipelines.synthetic.common import Context
from pipelines.synthetic.profiles import CITY
from pipelines.synthetic.stability import settled_moves
from pipelines.synthetic.workdays import WorkCalendar, day_number

N = 20_000


def _context() -> Context:
    return Context(
        profile=CITY,
        rng=np.random.default_rng(7),
        cal=WorkCalendar(2019, 2026),
        d0=day_number(CITY.notice_date) - 800,
        d1=day_number(CITY.notice_date) + 800,
        scale=1.0,
        teams=[],
    )


def test_first_year_moves_are_all_kept_later_ones_fewer_after_the_notice() -> None:
    ctx = _context()
    notice = day_number(CITY.notice_date)
    entry = np.array([notice - 1000])
    period = np.zeros(N, dtype=np.int64)
    # A year is 365.25 days: day 365 after entry is still in the first year, day 366 is not.
    first_year = settled_moves(ctx, entry, period, np.full(N, entry[0] + 365))
    assert first_year.all()
    # LATER_MOVE_KEPT: 50% up to the notice, 30% from 24 months after it (about 730 days).
    before = settled_moves(ctx, entry, period, np.full(N, notice - 30)).mean()
    after = settled_moves(ctx, entry, period, np.full(N, notice + 800)).mean()
    assert abs(before - 0.50) < 0.02, before
    assert abs(after - 0.30) < 0.02, after
