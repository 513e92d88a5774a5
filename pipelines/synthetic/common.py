"""Small vectorised helpers shared by the simulation modules."""

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from pipelines.synthetic.profiles import Curve, Profile, curve_at
from pipelines.synthetic.workdays import WorkCalendar, day_number

YEAR = 365.25
# Relative contact volume by calendar month (fewer in August and December, a rise in September
# and January), then by weekday (Monday to Sunday).
MONTH_FACTOR = np.array([1.08, 1.03, 1.05, 0.95, 1.02, 1.03, 0.97, 0.76, 1.13, 1.08, 1.06, 0.9])
WEEKDAY_FACTOR = np.array([1.28, 1.22, 1.2, 1.18, 1.14, 0.3, 0.25])

Table = dict[str, np.ndarray]


@dataclass
class Persons:
    """Every child or young person the simulation creates; ids are assigned in creation order."""

    first_id: int = 100_001
    dob: list[np.ndarray] = field(default_factory=list)
    count: int = 0

    def add(self, dob: np.ndarray) -> np.ndarray:
        dob = np.asarray(dob, dtype=np.int64)
        ids = np.arange(self.count, self.count + len(dob), dtype=np.int64) + self.first_id
        self.dob.append(dob)
        self.count += len(dob)
        return ids

    def all_dob(self) -> np.ndarray:
        return np.concatenate(self.dob) if self.dob else np.zeros(0, dtype=np.int64)


@dataclass
class Team:
    team_id: str
    name: str
    area: str  # service area, as la.yaml service_areas
    service_id: str
    service_name: str
    establishment_fte: float


@dataclass
class Context:
    profile: Profile
    rng: np.random.Generator
    cal: WorkCalendar
    d0: int  # first day of the history window
    d1: int  # last day
    scale: float
    teams: list[Team]
    persons: Persons = field(default_factory=Persons)

    @property
    def notice_day(self) -> int:
        return day_number(self.profile.notice_date)

    def curve(self, c: Curve, days: np.ndarray) -> np.ndarray:
        return curve_at(c, days, self.notice_day)

    def pct(self, c: Curve, days: np.ndarray) -> np.ndarray:
        return curve_at(c, days, self.notice_day) / 100.0

    def per10k(self, days: np.ndarray) -> np.ndarray:
        """Children aged 0-17 / 10,000 on each day (at this scale)."""
        years = (np.asarray(days, dtype=np.float64) - self.d0) / YEAR
        growth = (1 + self.profile.population_growth_pct / 100.0) ** years
        return self.profile.population_0_17 * self.scale * growth / 10_000.0

    def team_ids(self, area: str) -> np.ndarray:
        return np.array([i for i, t in enumerate(self.teams) if t.area == area], dtype=np.int64)

    def pick_team(self, area: str, n: int) -> np.ndarray:
        ids = self.team_ids(area)
        return ids[self.rng.integers(0, len(ids), n)]


def seasonal_weight(days: np.ndarray, cal: WorkCalendar) -> np.ndarray:
    d = np.asarray(days).astype("datetime64[D]")
    month_start = d.astype("datetime64[M]")
    month = month_start.astype(np.int64) % 12
    dom = (d - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    w = MONTH_FACTOR[month] * WEEKDAY_FACTOR[(np.asarray(days) + 3) % 7]
    w = np.where((month == 11) & (dom >= 21), w * 0.55, w)
    w = np.where((month == 0) & (dom <= 3), w * 0.8, w)
    holiday = ~cal.is_working_day(days) & ((np.asarray(days) + 3) % 7 < 5)
    return np.where(holiday, w * 0.25, w)


def poisson_days(rng: np.random.Generator, first: int, last: int, rate_fn) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Event days in [first, last] with the expected count per day ``rate_fn(days)``."""
    if last < first:
        return np.zeros(0, dtype=np.int64)
    days = np.arange(first, last + 1, dtype=np.int64)
    return np.repeat(days, rng.poisson(np.maximum(rate_fn(days), 0.0)))


def ragged(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups of the given sizes: each element's group index and its index within the group."""
    counts = np.asarray(counts, dtype=np.int64)
    parent = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    offsets = np.cumsum(counts) - counts
    within = np.arange(len(parent), dtype=np.int64) - offsets[parent]
    return parent, within


def periodic(
    rng: np.random.Generator,
    starts: np.ndarray,
    ends: np.ndarray,
    gap_mean: float | np.ndarray,
    gap_sd: float,
    gap_min: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Recurring events (visits, supervisions) in each interval [start, end).

    Returns (interval index, day) for every event; the first event falls within one gap of the
    start.
    """
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    gap_mean = np.broadcast_to(np.asarray(gap_mean, dtype=np.float64), starts.shape)
    length = np.maximum(ends - starts, 0)
    max_n = np.ceil(length / np.maximum(gap_min, gap_mean * 0.45)).astype(np.int64) + 1
    max_n = np.where(length > 0, max_n, 0)
    parent, within = ragged(max_n)
    gaps = np.maximum(rng.normal(gap_mean[parent], gap_sd), gap_min).round().astype(np.int64)
    first = within == 0
    gaps[first] = (rng.random(first.sum()) * gap_mean[parent[first]]).astype(np.int64)
    cum = np.cumsum(gaps)
    offsets = np.cumsum(max_n) - max_n
    base = np.concatenate([[0], cum])[offsets]  # cumulative total before each group
    day = starts[parent] + cum - base[parent]
    keep = day < ends[parent]
    return parent[keep], day[keep]


def choice(
    rng: np.random.Generator, values: Sequence[str], probs: Sequence[float], n: int
) -> np.ndarray:
    p = np.asarray(probs, dtype=np.float64)
    return np.asarray(values)[rng.choice(len(values), size=n, p=p / p.sum())]


def pick_at(rng: np.random.Generator, days: np.ndarray, target: np.ndarray) -> np.ndarray:
    """For each target day, a random index among the (sorted) days equal to it, else the first
    index after it (clipped to the last index)."""
    lo = np.searchsorted(days, target, "left")
    hi = np.searchsorted(days, target, "right")
    j = lo + (rng.random(len(target)) * (hi - lo)).astype(np.int64)
    return np.clip(j, 0, len(days) - 1)


def age_days(
    rng: np.random.Generator, bands: Sequence[tuple[float, float, float]], n: int
) -> np.ndarray:
    """Ages in days drawn from (from_years, to_years, weight) bands."""
    w = np.array([b[2] for b in bands], dtype=np.float64)
    k = rng.choice(len(bands), size=n, p=w / w.sum())
    lo = np.array([b[0] for b in bands])[k]
    hi = np.array([b[1] for b in bands])[k]
    return ((lo + (hi - lo) * rng.random(n)) * YEAR).astype(np.int64)


def next_in_group(groups: np.ndarray, values: np.ndarray, last: np.ndarray) -> np.ndarray:
    """For rows sorted by (group, value): the next row's value in the same group, else ``last``."""
    out = np.empty_like(values)
    if len(values) == 0:
        return out
    same = np.concatenate([groups[1:] == groups[:-1], [False]])
    out[:-1] = values[1:]
    return np.where(same, out, last)
