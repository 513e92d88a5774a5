"""What the six-weekly adviser report says before the board report's figures: progress or concern
in each notice area since the last report, the objectives slow to progress, the contributions to
strengthen, and the analyst's commentary and actions (2022 notice, paragraphs 12 and 5d).

Read here (``adviser_section``) from ``adviser_progress`` (the figures and the rules) and
``commentary`` (the analyst's file, kept between runs); written as text rows here, for the page,
the document and the workbook (``adviser_render``), so the three cannot disagree.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from pipelines.lib import formatting
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.targets import Plan
from pipelines.lib.paths import internal_outputs
from pipelines.lib.publish.adviser_progress import (
    SIX_WEEKS,
    AdviserProgress,
    AreaProgress,
    adviser_progress,
)
from pipelines.lib.publish.board.tables import Cell, rag_text
from pipelines.lib.publish.commentary import (
    AreaNotes,
    Commentary,
    commentary_file,
    load_commentary,
)

VERDICT_TEXT = {
    "concern": "Concern",
    "progress": "Progress",
    "steady": "Steady",
    "not comparable": "Not comparable",
    "no measure": "No measure with a target",
}
NO_MEASURE = "No KPI has a target in this area: the analyst's commentary is its evidence."


@dataclass(frozen=True)
class AdviserSection:
    report_date: dt.date
    last_report: dt.date
    last_report_published: bool  # False: six weeks before (no earlier report was published)
    plans: tuple[AdviserProgress, ...]  # one per plan of the LA, in la.yaml order
    commentary: Commentary | None  # None: the LA names no plan, so no area to comment on

    @property
    def areas(self) -> list[AreaProgress]:
        return [a for p in self.plans for a in p.areas]

    @property
    def month_then(self) -> dt.date:
        return self.plans[0].month_then if self.plans else self.last_report

    @property
    def month_now(self) -> dt.date:
        return self.plans[0].month_now if self.plans else self.report_date


def adviser_folder(published_dir: Path, la_code: str) -> Path:
    """Where the LA's adviser reports are filed, one folder per report date."""
    return internal_outputs(published_dir, la_code) / "board" / "adviser"


def last_report_date(published_dir: Path, la_code: str, report_date: dt.date) -> dt.date | None:
    """The date of the newest adviser report published for the LA before ``report_date`` (its
    folder's name), or None when there is none."""
    folder = adviser_folder(published_dir, la_code)
    earlier = []
    for path in folder.iterdir() if folder.is_dir() else ():
        try:
            day = dt.date.fromisoformat(path.name)
        except ValueError:
            continue  # a half-written hidden folder, or anything else that is not a report
        if day < report_date and path.is_dir() and any(path.iterdir()):
            earlier.append(day)
    return max(earlier, default=None)


def commentary_plan(plans: Sequence[Plan]) -> Plan:
    """The plan whose areas the commentary file lists: the LA's one plan, or all its plans'
    areas together (la.yaml order) when it names several."""
    if len(plans) == 1:
        return plans[0]
    areas: dict[str, str] = {}
    for plan in plans:
        areas.update({k: v for k, v in plan.areas.items() if k not in areas})
    return replace(
        plans[0],
        id=" and ".join(p.id for p in plans),
        title=" and ".join(p.title for p in plans),
        areas=areas,
    )


def adviser_section(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    report_date: dt.date,
    plans: Sequence[Plan],
    definitions: Sequence[KpiDefinition],
    data_dir: Path,
    published_dir: Path,
) -> AdviserSection:
    """The since-last-report part of the adviser report of ``report_date`` (the extract date).
    Creates the commentary template on the report's first run; never writes over it."""
    published_last = last_report_date(published_dir, la_code, report_date)
    last = published_last or report_date - SIX_WEEKS
    progress = tuple(
        adviser_progress(con, la_code, plan, definitions, report_date, last, report_date)
        for plan in plans
    )
    commentary = (
        load_commentary(
            commentary_file(data_dir, la_code, report_date),
            commentary_plan(plans),
            la_code,
            report_date,
        )
        if plans
        else None
    )
    return AdviserSection(report_date, last, published_last is not None, progress, commentary)


# Text, shared by the page, the document and the workbook.


def heading(section: AdviserSection) -> str:
    return f"Since the last report ({formatting.long_date(section.last_report)})"


def intro_lines(section: AdviserSection) -> list[str]:
    """What is compared with what, and why that date is the last report's."""
    last = formatting.long_date(section.last_report)
    source = (
        f"The last report is the adviser report of {last}, the newest published for the LA "
        "before this one."
        if section.last_report_published
        else f"No earlier adviser report is published for the LA, so the last report is taken "
        f"to be six weeks before this one ({last})."
    )
    if not section.plans:
        return [
            source,
            "The LA's la.yaml names no notice or plan: there is no area to report progress "
            "against.",
        ]
    if section.month_then == section.month_now:
        return [
            source,
            f"No month has ended since then: both reports read {section.month_now:%B %Y}, so "
            "no measure's change can be judged yet (each is not comparable unless it is red or "
            "slow to progress now).",
        ]
    return [
        source,
        f"Each measure's figure for {section.month_then:%B %Y} (the last whole month at the last "
        f"report) is set against its figure for {section.month_now:%B %Y} (the last whole month "
        "now), with the RAG of the target in force at each month end.",
    ]


def area_title(area: AreaProgress) -> str:
    """``Placement sufficiency for children in care: Progress`` (a title's full stop dropped)."""
    return f"{' '.join(area.title.split()).rstrip('.')}: {VERDICT_TEXT[area.verdict]}"


def measure_caption(section: AdviserSection) -> str:
    then, now = formatting.month_text(section.month_then), formatting.month_text(section.month_now)
    return f"Each KPI with a target, {then} against {now}"


def measure_header(section: AdviserSection) -> tuple[str, ...]:
    then, now = formatting.month_text(section.month_then), formatting.month_text(section.month_now)
    return ("Since the last report", f"RAG {then}", f"RAG {now}", "Progress or concern",
            "Why")  # fmt: skip


def measure_rows(area: AreaProgress) -> list[list[Cell]]:
    """Each measure's sentence (it starts with the KPI's name), its RAG then and now, and the
    verdict with its reason."""
    return [
        [
            (m.sentence, None),
            (rag_text(m.rag_then), m.rag_then),
            (rag_text(m.rag_now), m.rag_now),
            (VERDICT_TEXT[m.verdict], None),
            (m.why, None),
        ]
        for m in area.measures
    ]


SLOW_HEADER = ("Notice area", "KPI", "Current RAG", "Reason")


def slow_rows(section: AdviserSection) -> list[list[Cell]]:
    return [
        [
            (" ".join(area.title.split()), None),
            (m.kpi.label, None),
            (rag_text(m.rag_now), m.rag_now),
            (m.reason_now or "slow to progress", None),
        ]
        for area in section.areas
        for m in area.measures
        if m.slow_now
    ]


CONTRIBUTIONS_HEADER = ("Notice area", "Progress or concern", "Who contributes (the plan)",
                        "Contributions to strengthen (the analyst)")  # fmt: skip


def contribution_rows(section: AdviserSection) -> list[list[Cell]]:
    """Every area giving concern, with who contributes to it as the plan names them; and any
    other area where the analyst wrote a contribution to strengthen."""
    rows: list[list[Cell]] = []
    for area in section.areas:
        written = notes_for(section, area.area_id).contributions
        if area.verdict != "concern" and not written:
            continue
        owners = "; ".join(area.owners) or "the plan names no one for this area"
        rows.append(
            [
                (" ".join(area.title.split()), None),
                (VERDICT_TEXT[area.verdict], None),
                (owners, None),
                (written, None),
            ]
        )
    return rows


def commentary_notice(section: AdviserSection) -> str:
    """Where the analyst writes, and whether this run could read it."""
    notes = section.commentary
    if notes is None:
        return "No commentary file: the LA names no plan with areas to comment on."
    name = str(notes.path)
    if notes.problem:
        return (
            f"The commentary file could not be read, so this report is written without it: "
            f"{notes.problem}. Mend the file and run the report again."
        )
    if notes.created:
        return (
            f"The commentary file {name} was created by this run as a template: write the "
            "commentary and actions there and run the report again to print them here."
        )
    if is_empty(notes):
        return f"Nothing is written yet in the commentary file {name}."
    return f"Commentary and actions from the analyst's file {name}."


def is_empty(notes: Commentary) -> bool:
    return not notes.summary and not any(
        a.commentary or a.actions or a.contributions for a in notes.areas.values()
    )


ACTION_HEADER = ("Action", "Owner", "Due")


def notes_for(section: AdviserSection, area_id: str) -> AreaNotes:
    """What the analyst wrote for an area (nothing when there is no commentary file)."""
    return section.commentary.for_area(area_id) if section.commentary else AreaNotes()


def action_rows(section: AdviserSection, area_id: str) -> list[list[Cell]]:
    return [
        [(a.action, None), (a.owner, None), (formatting.long_date(a.due) if a.due else "", None)]
        for a in notes_for(section, area_id).actions
    ]
