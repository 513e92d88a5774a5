"""Children electively home educated who are known to children's social care (issue 18).

``other_tables.other_tables`` gives every EHE record a child of its own. Here a share of the records
(about one in six, rising to one in five after the notice as more children known to social care
are withdrawn from school) is given instead to a child referred to children's social care before
the record starts, so ``ehe_known_to_csc_pct`` has a story. Drawn from the random stream the
caller passes, so the other tables of a seed are unchanged.
"""

import numpy as np

from pipelines.synthetic.common import Context, Table
from pipelines.synthetic.profiles import Curve

KNOWN_SHARE: Curve = ((-24.0, 15.0), (0.0, 16.0), (24.0, 21.0))


def link_ehe_to_referred(
    ctx: Context, education: Table, referrals: Table, rng: np.random.Generator
) -> None:
    """Give a share of the EHE rows of ``education`` a child from ``referrals`` (in place)."""
    ehe = np.flatnonzero(education["status"] == "EHE")
    start = education["start_date"][ehe]
    chosen = rng.random(len(ehe)) < ctx.pct(KNOWN_SHARE, start)
    order = np.argsort(referrals["cine_referral_date"], kind="stable")
    referred_on = referrals["cine_referral_date"][order]
    person = referrals["cine_person_id"][order]
    # a child referred before the record starts: any of the referrals dated before it
    before = np.searchsorted(referred_on, start, side="left")
    chosen &= before > 0
    pick = (rng.random(len(ehe)) * np.maximum(before, 1)).astype(np.int64)
    education["person_id"][ehe[chosen]] = person[pick[chosen]]
