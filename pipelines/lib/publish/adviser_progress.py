"""The six-weekly report to the DfE adviser: progress or concern against each area of the notice
since the last report, the objectives slow to progress, and the contributions to strengthen.

The 2022 notice: "The Improvement Adviser will provide to the Department 6 weekly reports of
progress or concern against the areas set out in this notice" (paragraph 12), and "the council
should highlight those objectives which are slow to progress and highlight where contributions
need to be strengthened" (paragraph 5d).

For each KPI with a target in an area, the figure of the last whole month at the last report
and of the last whole month now (``changes.month_figure``: the values ``export kpis`` gives) and
the RAG of the target in force at each (``kpi.kpi_status``). A KPI gives **concern** when it is
red now, slow to progress now, or its RAG is worse than at the last report; **progress** when
it gives no concern and its figure improved (as printed, by its polarity) or its RAG is better;
**not comparable** when no month has ended since the last report (both read the same month),
or when it has no figure at one of the two reports and no RAG at one of them (nothing to
compare); otherwise it is **steady**. An area gives concern when any of its KPIs
does, else progress when any does, else steady, else not comparable; an area with no KPI with a
target says so (its evidence is the commentary). The rules are printed with the report.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from pipelines.lib.formatting import places, round_half_up
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.outputs import newest_extract
from pipelines.lib.kpi.status import in_force
from pipelines.lib.kpi.targets import Plan, Target
from pipelines.lib.publish.changes import (
    Figure,
    change_sentence,
    grain_for,
    last_day_of_month,
    month_figure,
)

SIX_WEEKS = dt.timedelta(weeks=6)
RAG_ORDER = {"green": 0, "amber": 1, "red": 2}
RULES = (
    "A measure gives concern when it is red now, slow to progress now, or its RAG is worse than"
    " at the last report; progress when it gives no concern and its figure improved or its RAG "
    "is better; not comparable when no month has ended since the last report, or when it has no"
    " figure at one of the two reports and no RAG at one of them; otherwise it is steady. An "
    "area gives concern when any of its measures does, else progress when any does, else steady"
    " when any is, else it is not comparable."
)


@dataclass(frozen=True)
class MeasureProgress:
    kpi: KpiDefinition
    then: Figure
    now: Figure
    rag_then: str | None
    rag_now: str | None
    slow_now: bool
    reason_now: str | None
    sentence: str
    verdict: str  # concern | progress | steady | not comparable
    why: str


@dataclass(frozen=True)
class AreaProgress:
    area_id: str
    title: str
    measures: tuple[MeasureProgress, ...]
    verdict: str  # concern | progress | steady | not comparable | no measure
    owners: tuple[str, ...]


@dataclass(frozen=True)
class AdviserProgress:
    report_date: dt.date
    last_report: dt.date
    month_then: dt.date
    month_now: dt.date
    areas: tuple[AreaProgress, ...]

    @property
    def slow_to_progress(self) -> list[MeasureProgress]:
        return [m for a in self.areas for m in a.measures if m.slow_now]

    @property
    def contributions(self) -> list[AreaProgress]:
        """Areas giving concern that name who contributes to them."""
        return [a for a in self.areas if a.verdict == "concern" and a.owners]


def whole_month_before(day: dt.date) -> dt.date:
    """The last month end on or before ``day``."""
    end = last_day_of_month(day)
    return end if end <= day else day.replace(day=1) - dt.timedelta(days=1)


def _status(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    plan_id: str,
    kpi_id: str,
    month_end: dt.date,
    extract: dt.date | None,
) -> tuple[str | None, bool, str | None]:
    """RAG, slow to progress and reason of the target in force at a month end, as the report's
    extract judged it."""
    row = con.execute(
        """select rag, coalesce(slow_to_progress, false), reason from kpi.kpi_status
           where la_code = ? and plan_id = ? and kpi_id = ? and as_at_date = ?
             and is_current_target and extract_date = ?
           limit 1""",
        [la_code, plan_id, kpi_id, month_end, extract],
    ).fetchone()
    return (row[0], bool(row[1]), row[2]) if row else (None, False, None)


def judge(
    kpi: KpiDefinition, then: Figure, now: Figure, rag_then: str | None, rag_now: str | None,
    slow_now: bool,
) -> tuple[str, str]:  # fmt: skip
    """(verdict, why) of one measure, by the rules in ``RULES``."""
    worse_rag = (
        rag_then in RAG_ORDER
        and rag_now in RAG_ORDER
        and (
            RAG_ORDER[rag_now] > RAG_ORDER[rag_then]  # type: ignore[index]
        )
    )
    better_rag = (
        rag_then in RAG_ORDER
        and rag_now in RAG_ORDER
        and (
            RAG_ORDER[rag_now] < RAG_ORDER[rag_then]  # type: ignore[index]
        )
    )
    if rag_now == "red":
        return "concern", "red now"
    if slow_now:
        return "concern", "slow to progress"
    if then.day == now.day:
        # A report within a month of the last one: both read the same month end, so any
        # "steady" or "progress" would compare the month with itself.
        return "not comparable", f"no month has ended since {now.day:%B %Y}, the last report's"
    if worse_rag:
        return "concern", f"{rag_then} at the last report, {rag_now} now"
    improved = worse = False
    if then.value is not None and now.value is not None and kpi.polarity != "neutral":
        d = places(kpi.unit)
        first, last = round_half_up(then.value, d), round_half_up(now.value, d)
        improved = last > first if kpi.polarity == "up" else last < first
        worse = last < first if kpi.polarity == "up" else last > first
    if better_rag:
        return "progress", f"{rag_then} at the last report, {rag_now} now"
    if improved:
        return "progress", "improved since the last report"
    if (then.value is None or now.value is None) and not (rag_then and rag_now):
        # Nothing to compare: "no worse and no better" would claim what is not known.
        missing = [f for f in (then, now) if f.value is None]
        months = " or ".join(f"{f.day:%B %Y}" for f in missing)
        return "not comparable", f"no figure for {months} to compare with"
    if worse:
        # Steady by the rules (its RAG is no worse), but the reason must not hide the fall.
        still = f"still {rag_now}" if rag_now == rag_then and rag_now else "no RAG to compare"
        return "steady", f"worse than at the last report, but {still}"
    return "steady", "no worse and no better since the last report"


def adviser_progress(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    plan: Plan,
    definitions: Sequence[KpiDefinition],
    report_date: dt.date,
    last_report: dt.date | None = None,
    extract: dt.date | None = None,
) -> AdviserProgress:
    """Progress or concern in each of the plan's areas between the last report (by default six
    weeks before ``report_date``) and now, from the figures of ``extract`` (default the LA's
    newest): both months as that extract counts them."""
    extract = extract or newest_extract(con, la_code)
    last = last_report or report_date - SIX_WEEKS
    month_then, month_now = whole_month_before(last), whole_month_before(report_date)
    by_id = {k.id: k for k in definitions}
    areas = []
    for area_id, title in plan.areas.items():
        targets: dict[str, list[Target]] = {}
        for target in plan.targets:
            if target.area == area_id and target.kpi_id in by_id:
                targets.setdefault(target.kpi_id, []).append(target)
        measures = []
        for kpi_id, own in targets.items():
            kpi = by_id[kpi_id]
            current = in_force(sorted(own, key=lambda t: t.due), month_now)
            grain = grain_for(kpi, current.measure)
            then = month_figure(con, kpi, la_code, month_then, grain, extract)
            now = month_figure(con, kpi, la_code, month_now, grain, extract)
            rag_then, _, _ = _status(con, la_code, plan.id, kpi_id, month_then, extract)
            rag_now, slow_now, reason = _status(con, la_code, plan.id, kpi_id, month_now, extract)
            verdict, why = judge(kpi, then, now, rag_then, rag_now, slow_now)
            sentence = change_sentence(kpi, then, now)
            measures.append(
                MeasureProgress(
                    kpi, then, now, rag_then, rag_now, slow_now, reason, sentence, verdict, why
                )
            )
        verdicts = {m.verdict for m in measures}
        verdict = next(
            (v for v in ("concern", "progress", "steady", "not comparable") if v in verdicts),
            "no measure",
        )
        owners = plan.owners.get(area_id, ())
        areas.append(AreaProgress(area_id, title, tuple(measures), verdict, owners))
    return AdviserProgress(report_date, last, month_then, month_now, tuple(areas))
