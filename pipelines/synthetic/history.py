"""What ``model.simulate`` returns: one LA's whole simulated history.

Every history table is held as numpy columns (ids as int64 with -1 for blank, dates as day
numbers and datetimes as minutes with ``NA`` for blank, codes and text as strings with "" for
blank), beside the registers from which the current-state tables (``ssd_care_leavers``,
``ssd_professionals``) are derived at each extract date (``snapshot``).
"""

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from pipelines.synthetic.common import Table, Team
from pipelines.synthetic.profiles import Profile


@dataclass
class History:
    la_code: str
    profile: Profile
    start: dt.date
    end: dt.date
    tables: dict[str, Table]
    teams: list[Team]
    population: dict[int, int]
    care_periods: Table  # periods of care (not short breaks): person, entry, end, dob
    care_register: Table  # historic care leavers: person, dob, left, qualifying
    workforce: Table  # worker periods (period_*) and vacancies, as simulated
    leaver_draws: Table = field(default_factory=dict)  # "person" (sorted) and "u" (uniforms)
    pa_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
