""" "From X (date) to Y (date)": a KPI's change between two months, in a sentence ready to paste
into a committee paper.

Each figure is the one ``csc-kpis export kpis`` gives for that month (the month's own value; for a
KPI or target counted over the 12 months to the month end, or the year to date, that grain's
value at the month end), written by ``pipelines/lib/formatting.py`` in the council's rounding. The
change is the difference of the two figures as printed, so a reader who subtracts one from the
other gets the change the sentence states. A baseline given in the notice or plan (the 2010
notice's "provisional 2009-10 baseline of 54%") is quoted as the notice gives it, with its label
and date; a baseline given as a date only is the LA's own figure then.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from pipelines.lib.formatting import CHANGE_SUFFIX, number, places, round_half_up, value_text
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.outputs import newest_extract
from pipelines.lib.kpi.targets import Target

# The grain whose value at a month end a target's measure reads (other measures: the month's).
MEASURE_GRAINS = {"rolling_12m": "rolling_12m", "ytd": "ytd"}
WHEN = {
    "month": "in {month}",
    "rolling_12m": "in the 12 months to {month}",
    "ytd": "in the year to {month}",
}


@dataclass(frozen=True)
class Figure:
    """One KPI figure at a month end, and how a sentence names it."""

    day: dt.date
    value: float | None
    when: str  # "in March 2011", "at the end of March 2011", "(provisional 2009-10 baseline, ...)"


def month_name(day: dt.date) -> str:
    return f"{day:%B %Y}"


def grain_for(kpi: KpiDefinition, measure: str | None = None) -> str:
    """The grain a KPI's monthly figure is read from: a target's rolling or year-to-date
    measure reads that grain; a rolling KPI's month value already covers 12 months."""
    return MEASURE_GRAINS.get(measure or "", "month")


def when_text(kpi: KpiDefinition, grain: str, day: dt.date) -> str:
    """How a figure's period is named: a snapshot is a count at the month end; a flow, the
    month's events; a rolling KPI or grain, the 12 months to the month end."""
    if kpi.kind == "snapshot":
        return f"at the end of {month_name(day)}"
    if kpi.kind == "rolling" and grain == "month":
        grain = "rolling_12m"
    return WHEN[grain].format(month=month_name(day))


def month_figure(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiDefinition,
    la_code: str,
    month_end: dt.date,
    grain: str = "month",
    extract: dt.date | None = None,
) -> Figure:
    """The KPI's value for the month ending ``month_end`` from ``extract`` (default the LA's
    newest, as ``csc-kpis export kpis`` gives it)."""
    row = con.execute(
        """select value from kpi.kpi_values where la_code = ? and kpi_id = ? and grain = ?
           and period_end = ? and extract_date = ?""",
        [la_code, kpi.id, grain, month_end, extract or newest_extract(con, la_code)],
    ).fetchone()
    return Figure(month_end, row[0] if row else None, when_text(kpi, grain, month_end))


def baseline_figure(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiDefinition,
    la_code: str,
    targets: Sequence[Target],
    extract: dt.date | None = None,
) -> Figure | None:
    """The baseline of the KPI's targets (the first that gives one), or None."""
    target = next((t for t in sorted(targets, key=lambda t: t.due) if t.baseline_date), None)
    if target is None or target.baseline_date is None:
        return None
    day = target.baseline_date
    if target.baseline_value is None:
        figure = month_figure(con, kpi, la_code, day, grain_for(kpi, target.measure), extract)
        return Figure(day, figure.value, f"{figure.when} (the baseline)")
    label = target.baseline_label or "the baseline"
    return Figure(day, target.baseline_value, f"({label}, {day:%-d %B %Y})")


def change_sentence(kpi: KpiDefinition, start: Figure, end: Figure) -> str:
    """``Initial assessments within 7 working days: from 54.0% (provisional 2009-10 baseline,
    31 March 2010) to 71.3% in March 2011, up 17.3 points, an improvement.``"""
    if start.value is None or end.value is None:
        missing = [f for f in (start, end) if f.value is None]
        gaps = " or ".join(f"{month_name(f.day)}" for f in missing)
        return f"{kpi.label}: no figure for {gaps}, so no change can be given."
    d = places(kpi.unit)
    first, last = round_half_up(start.value, d), round_half_up(end.value, d)
    text = (
        f"{kpi.label}: from {value_text(start.value, kpi.unit)} {start.when} "
        f"to {value_text(end.value, kpi.unit)} {end.when}"
    )
    if first == last:
        return f"{text}, no change."
    rose = last > first
    size = number(abs(last - first), kpi.unit)
    text += f", {'up' if rose else 'down'} {size}{CHANGE_SUFFIX.get(kpi.unit, '')}"
    if kpi.polarity == "neutral":
        return f"{text}."
    better = rose == (kpi.polarity == "up")
    return f"{text}, {'an improvement' if better else 'a deterioration'}."


def month_change(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiDefinition,
    la_code: str,
    first: dt.date,
    last: dt.date,
    measure: str | None = None,
    extract: dt.date | None = None,
) -> str:
    """The sentence for any two month ends an analyst chooses."""
    grain = grain_for(kpi, measure)
    return change_sentence(
        kpi,
        month_figure(con, kpi, la_code, first, grain, extract),
        month_figure(con, kpi, la_code, last, grain, extract),
    )


def baseline_change(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiDefinition,
    la_code: str,
    targets: Sequence[Target],
    latest: dt.date,
    extract: dt.date | None = None,
) -> str | None:
    """From the targets' baseline to the month ending ``latest``, by the measure of the target
    in force then; None when no target gives a baseline."""
    start = baseline_figure(con, kpi, la_code, targets, extract)
    if start is None:
        return None
    current = next((t for t in sorted(targets, key=lambda t: t.due) if t.due >= latest), None)
    measure = (current or max(targets, key=lambda t: t.due)).measure
    end = month_figure(con, kpi, la_code, latest, grain_for(kpi, measure), extract)
    return change_sentence(kpi, start, end)


def kpi_change(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiDefinition,
    la_code: str,
    targets: Sequence[Target],
    latest: dt.date,
    extract: dt.date | None = None,
) -> str:
    """A KPI with targets: from its baseline to the month ending ``latest``; when its targets give
    no baseline, from the same month a year before."""
    text = baseline_change(con, kpi, la_code, targets, latest, extract)
    if text is not None:
        return text
    measure = min(targets, key=lambda t: t.due).measure
    year_before = last_day_of_month(latest.replace(day=1) - dt.timedelta(days=365))
    return month_change(con, kpi, la_code, year_before, latest, measure, extract)


def target_changes(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    definitions: Sequence[KpiDefinition],
    targets: Sequence[Target],
    latest: dt.date,
) -> list[tuple[KpiDefinition, str]]:
    """``kpi_change`` for each KPI with a target, in definition order."""
    return [
        (kpi, kpi_change(con, kpi, la_code, own, latest))
        for kpi in definitions
        if (own := [t for t in targets if t.kpi_id == kpi.id])
    ]


def last_day_of_month(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)
