"""Placement moves of children who have been in care for more than a year (issue 18: long-term
placement stability, LAIT 393).

``care.placements_and_episodes`` draws each child's moves evenly over the whole time in care, at
one rate, so a child in care for years moved as often in the fourth year as in the first:
long-term placement stability (under 16, in care 2.5 years or more, in the same placement for 2
years or more) came out near 40%, where England's is about 70%. Most children settle after their
first year in care: a move drawn after it is kept with a probability that falls after the notice
(more long-term matches with foster carers), the story the chart shows: long-term stability from
about 60% before the notice to about 70% two years after it. Moves in the first year are all
kept, so the short-term measures (3 or more placements in the year) barely change.
"""

import numpy as np

from pipelines.synthetic.common import YEAR, Context
from pipelines.synthetic.profiles import Curve

# Percentage of the moves drawn after a child's first year in care that happen, by months from
# the notice date.
LATER_MOVE_KEPT: Curve = ((-24.0, 50.0), (0.0, 50.0), (12.0, 40.0), (24.0, 30.0))


def settled_moves(
    ctx: Context, entry: np.ndarray, period: np.ndarray, move_day: np.ndarray
) -> np.ndarray:
    """Which of the drawn moves (``period``: the period of care of each, ``move_day``: its day)
    happen: every move in the first year in care, and a falling share of the later ones."""
    later = move_day - entry[period] > YEAR
    kept = ctx.rng.random(len(move_day)) < ctx.pct(LATER_MOVE_KEPT, move_day)
    return ~later | kept
