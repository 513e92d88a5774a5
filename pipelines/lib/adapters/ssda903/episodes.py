"""A 903 episode as read, and how one child's episodes make periods of care, placements and
legal statuses."""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Episode:
    """One 903 episode row, with the fields the fixes and the periods of care turn on parsed."""

    child: str | None
    la: str
    year: int
    path: Path
    row: int
    values: dict[str, str | None]
    decom: dt.date | None
    dec: dt.date | None
    rec: str | None
    rpc: str | None
    rules: list[str] = field(default_factory=list)

    def get(self, column: str) -> str | None:
        return self.values.get(column)


@dataclass
class Period:
    """A continuous period of care: episodes with no gap, none ending other than X1."""

    cla_id: str
    start: dt.date
    end: dt.date | None  # None = still open
    episodes: list[Episode]


def periods_of_care(episodes: list[Episode]) -> list[Period]:
    """Split one child's episodes (sorted by DECOM) into continuous periods of care."""
    periods: list[Period] = []
    prev: Episode | None = None
    for ep in episodes:
        assert ep.decom is not None
        new = (
            prev is None
            or ep.get("RNE") == "S"
            or (prev.rec is not None and prev.rec != "X1")
            or (prev.dec is not None and ep.decom > prev.dec)
        )
        if new:
            periods.append(Period(f"{ep.child}_{ep.decom.isoformat()}", ep.decom, ep.dec, [ep]))
        else:
            periods[-1].episodes.append(ep)
            periods[-1].end = ep.dec
        prev = ep
    return periods


def episode_runs(
    episodes: list[Episode], starts: frozenset[str], keys: tuple[str, ...]
) -> list[list[Episode]]:
    """Consecutive episodes of one period grouped where RNE or a change of ``keys`` starts a run."""
    runs: list[list[Episode]] = []
    for ep in episodes:
        prev = runs[-1][-1] if runs else None
        if prev is None or ep.get("RNE") in starts or any(ep.get(k) != prev.get(k) for k in keys):
            runs.append([ep])
        else:
            runs[-1].append(ep)
    return runs


def period_at(periods: list[Period], day: dt.date | None) -> str | None:
    """The period of care a date falls in; else the latest one begun before it; else the first."""
    if not periods:
        return None
    if day is None:
        return periods[-1].cla_id
    before = [p for p in periods if p.start <= day]
    # Latest first: on the day one period ends and the next begins, the review is the new one's.
    for p in reversed(before):
        if p.end is None or day <= p.end:
            return p.cla_id
    return before[-1].cla_id if before else periods[0].cla_id
