"""Each milestone of a notice or plan as it fell due: its own measure, on its own due date.

A notice can set several milestones for one KPI with different measures (the 2010 notice: an
in-month figure for September 2010 and March 2011, a cumulative first-quarter figure for June
2011). The status rows (``kpi.kpi_status``) score every target at every month end by the
target's measure; a milestone's result is its own row on its due date.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from pipelines.lib import formatting
from pipelines.lib.kpi.targets import Target

MEASURE_WORDS = {
    "in_month": "in the month",
    "in_quarter": "in the latest complete quarter",
    "cumulative_quarter": "cumulative over the quarter",
    "ytd": "year to date",
    "rolling_12m": "over the 12 months to the month end",
    "snapshot": "at the month end",
}


@dataclass(frozen=True)
class Milestone:
    target: Target
    unit: str
    label: str
    target_value: float | None
    value: float | None  # by the target's measure, on the due date
    met: bool | None
    rag: str | None
    state: str  # met, not met, not yet due, no value, no target value

    @property
    def margin(self) -> str:
        """By how much it was met or missed, in words ("" when there is no result)."""
        if self.met is None or self.value is None or self.target_value is None:
            return ""
        return formatting.margin_text(
            self.value, self.target_value, self.unit, self.target.direction
        )

    @property
    def target_text(self) -> str:
        return formatting.target_text(self.target_value, self.unit, self.target.direction)

    @property
    def measure_text(self) -> str:
        return MEASURE_WORDS[self.target.measure]

    @property
    def value_text(self) -> str:
        if self.value is None:
            return ""
        if self.target_value is None:
            return formatting.value_text(self.value, self.unit)
        d = formatting.distinguishing_places(self.value, self.target_value, self.unit)
        return formatting.value_text(self.value, self.unit, d)


def milestones(
    status: pl.DataFrame,
    targets: Sequence[Target],
    units: dict[str, str],
    labels: dict[str, str],
    on: dt.date,
) -> list[Milestone]:
    """Every target in due-date order (then plan order) with its result on its due date, as
    known at ``on`` (the end of the reported month): a milestone due later is "not yet due"."""
    rows = {
        (r["target_id"], r["as_at_date"]): r
        for r in status.select("target_id", "as_at_date", "value", "target_value", "met", "rag")
        .unique(subset=["target_id", "as_at_date"], keep="first")
        .iter_rows(named=True)
    }
    found = []
    for target in sorted(targets, key=lambda t: t.due):
        row = rows.get((target.target_id, target.due)) or {}
        target_value = row.get("target_value", target.value)
        value = row.get("value")
        if target.due > on:
            state, value = "not yet due", None
        elif target_value is None:
            state = "no target value"
        elif value is None:
            state = "no value"
        else:
            state = "met" if row.get("met") else "not met"
        found.append(
            Milestone(
                target=target,
                unit=units.get(target.kpi_id, "ratio"),
                label=labels.get(target.kpi_id, target.kpi_id),
                target_value=target_value,
                value=value,
                met=row.get("met") if state in ("met", "not met") else None,
                rag=row.get("rag") if state in ("met", "not met") else None,
                state=state,
            )
        )
    return found
