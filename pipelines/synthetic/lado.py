"""When LADO referrals are resolved (issue 18: Keeping children safe in education 2023 - 80% of
cases resolved within one month, 90% within three months).

A referral given initial consideration is resolved within a month, within three months, within
the year, or (one in a hundred) not yet; the shares within one and three months improve after
the notice, from below the guidance's 80% and 90% to about it (the story the charts show). A
resolution is never before the initial consideration. Drawn from the random stream the caller
passes (``model.simulate``'s own stream), so the other tables of a seed are unchanged.
"""

import numpy as np

from pipelines.synthetic.common import Context, Table
from pipelines.synthetic.profiles import Curve
from pipelines.synthetic.workdays import NA, add_months

# Percentage resolved within one month and within three months, by months from the notice date.
WITHIN_ONE_MONTH: Curve = ((-24.0, 58.0), (0.0, 60.0), (12.0, 72.0), (24.0, 81.0))
WITHIN_THREE_MONTHS: Curve = ((-24.0, 80.0), (0.0, 82.0), (12.0, 88.0), (24.0, 91.0))
NEVER = 0.01


def add_resolution(ctx: Context, lado: Table, rng: np.random.Generator) -> None:
    """Add ``resolved_date`` to the ``ext_lado_referrals`` columns ``lado``."""
    received, considered = lado["received_date"], lado["initial_consideration_date"]
    n = len(received)
    u = rng.random(n)
    one, three = add_months(received, 1), add_months(received, 3)
    p1, p3 = ctx.pct(WITHIN_ONE_MONTH, received), ctx.pct(WITHIN_THREE_MONTHS, received)
    resolved = np.where(
        u < p1,
        received + rng.integers(1, 1 + one - received),
        np.where(
            u < p3,
            one + rng.integers(1, 1 + three - one),
            np.where(u < 1 - NEVER, three + rng.integers(1, 270, n), NA),
        ),
    )
    unresolved = (considered == NA) | (resolved == NA)
    lado["resolved_date"] = np.where(unresolved, NA, np.maximum(resolved, considered))
