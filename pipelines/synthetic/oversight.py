"""Case-level management oversight (issue 18; the 2022 notice's management oversight area).

A manager records oversight on an open case (a referral episode that was not NFA) now and then,
at a rate that sets the share of open cases with a recent oversight: about 55% within four
weeks before the notice, rising to about 85% two years after it (the story the charts show). The
dates are a Poisson process over each episode's open days in the window (thinned from the
highest rate), so a long case has many, a short one few or none. Drawn from the random stream the
caller passes, so the other tables of a seed are unchanged.
"""

import numpy as np

from pipelines.synthetic.common import Context, Table
from pipelines.synthetic.profiles import Curve
from pipelines.synthetic.workdays import NA

# Percentage of open cases with an oversight in the last 28 days, by months from the notice.
COVERED_28_DAYS: Curve = ((-24.0, 52.0), (0.0, 55.0), (12.0, 72.0), (24.0, 85.0))
WINDOW_DAYS = 28
LOOK_BACK_DAYS = 60  # oversights before the window, so the first weeks have their history


def case_oversights(ctx: Context, episodes: Table, rng: np.random.Generator) -> Table:
    """``ext_case_oversight`` rows for the ``ssd_cin_episodes`` columns ``episodes``."""
    open_case = episodes["cine_referral_nfa"] != "Y"
    close = episodes["cine_close_date"]
    first = np.maximum(episodes["cine_referral_date"], ctx.d0 - LOOK_BACK_DAYS)[open_case]
    last = np.where(close == NA, ctx.d1, np.minimum(close - 1, ctx.d1))[open_case]
    person = episodes["cine_person_id"][open_case]
    days_open = np.maximum(last - first + 1, 0)
    # P(at least one in 28 days) = 1 - exp(-28 rate): the rate for each target share.
    top = -np.log(1 - max(v for _, v in COVERED_28_DAYS) / 100) / WINDOW_DAYS
    n = rng.poisson(top * days_open)
    which = np.repeat(np.arange(len(first)), n)
    day = first[which] + (rng.random(len(which)) * days_open[which]).astype(np.int64)
    rate = -np.log(1 - ctx.pct(COVERED_28_DAYS, day)) / WINDOW_DAYS
    keep = rng.random(len(day)) < rate / top
    person, day = person[which[keep]], day[keep]
    order = np.lexsort((person, day))
    return {
        "oversight_id": np.arange(len(order)) + 3_300_001,
        "person_id": person[order],
        "oversight_date": day[order],
    }
