"""The improvement board report (monthly) and the progress report to the DfE adviser (six-weekly).

Both say the same thing: where each objective of the LA's notice or plan stands at the end of the
latest complete month, the objectives that are slow to progress first (with the reason), then one
page per notice area. ``board_content`` builds that content once; the HTML, XLSX and DOCX
renderers only lay it out, so the three files cannot disagree.

The figures are aggregate and not suppressed: the report is for the board and the adviser.
Public papers take their figures from the scrutiny export, which applies disclosure control.
"""

import calendar
import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.lib import formatting
from pipelines.lib.kpi import eras
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.milestones import MEASURE_WORDS, Milestone, milestones
from pipelines.lib.kpi.targets import ILLUSTRATIVE_NOTE, Plan, Target
from pipelines.lib.paths import internal_outputs
from pipelines.lib.publish import cells, figures, folders, marking, milestone_table
from pipelines.lib.publish.figures import Provenance

FILE_STEM = "board-report"
HISTORY_MONTHS = 6
HISTORY_CAPTION = (
    "The last six month ends, each against the milestone then in force (the next one due), by "
    "that milestone's measure, with the RAG then"
)
CADENCES = {
    # cadence: (title, how the period is described)
    "monthly": ("Improvement board report", "Monthly report"),
    "adviser": ("Progress report to the DfE adviser", "Six-weekly progress report"),
}
AUDIENCE_NOTE = (
    "For the improvement board and the DfE adviser. The figures are aggregate and are not "
    "suppressed for small numbers: public papers should take their figures from the scrutiny "
    "export, which applies disclosure control."
)
RAG_TEXT = {"green": "Green", "amber": "Amber", "red": "Red"}
NO_STATUS = "No status"
# Light fills with dark text (the spreadsheet conditional-format palette): readable in print and
# for colour-blind readers, who also get the word.
RAG_COLOURS = {
    "green": ("C6EFCE", "006100"),
    "amber": ("FFEB9C", "7A4500"),
    "red": ("FFC7CE", "9C0006"),
}


# --- dates and formatting -------------------------------------------------------------------


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def report_month_end(extract_date: dt.date) -> dt.date:
    """The latest complete month of an extract: its own month when it is dated on the month end,
    else the month before (the figures' latest month value ends on or before the extract)."""
    if extract_date == month_end(extract_date):
        return extract_date
    return extract_date.replace(day=1) - dt.timedelta(days=1)


def month_ends_back(end: dt.date, count: int) -> list[dt.date]:
    """``count`` month ends up to ``end``, oldest first."""
    found = [end]
    while len(found) < count:
        found.append(found[-1].replace(day=1) - dt.timedelta(days=1))
    return found[::-1]


# Every figure is written by the one formatting rule (``pipelines/lib/formatting.py``).
format_value = formatting.value_text


def against(value: float | None, target: float | None, unit: str) -> str:
    """A value beside its target, with the decimals that tell them apart: 7.04% against "at
    most 7.0%" is "7.04%" (Amber), never "7.0% (Amber)"."""
    if value is None or target is None:
        return format_value(value, unit)
    return format_value(value, unit, formatting.distinguishing_places(value, target, unit))


def rag_text(rag: str | None) -> str:
    return RAG_TEXT.get(rag or "", NO_STATUS)


def _month(day: dt.date | None) -> str:
    return f"{day:%b %Y}" if day else ""


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- the content ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryPoint:
    """The value by the target's measure at one month end, and its RAG then."""

    as_at_date: dt.date
    value: float | None
    rag: str | None
    target_value: float | None = None


@dataclass(frozen=True)
class Benchmarks:
    last_year_period_end: dt.date | None
    last_year_value: float | None
    england_value: float | None
    england_period_end: dt.date | None
    sn_value: float | None
    sn_period_end: dt.date | None


@dataclass(frozen=True)
class TargetRow:
    """A KPI with a target in a notice area: where it stands at the end of the reported month."""

    kpi_id: str
    label: str
    unit: str
    plan_id: str
    area_id: str
    area_title: str
    available: bool
    unavailable_reason: str | None
    period_end: dt.date | None  # the month of the latest value
    value: float | None  # the latest month's value
    target_value: float | None
    direction: str
    due_date: dt.date
    measure: str
    quote: str
    measure_value: float | None  # the value by the target's measure
    met: bool | None
    rag: str | None
    trajectory_value: float | None
    slow_to_progress: bool
    reason: str
    benchmarks: Benchmarks
    history: tuple[HistoryPoint, ...]

    @property
    def target_text(self) -> str:
        bound = "at least" if self.direction == "at_least" else "at most"
        value = format_value(self.target_value, self.unit) or "(value not set)"
        return f"{bound} {value} by {self.due_date:%d %b %Y}, {MEASURE_WORDS[self.measure]}"

    @property
    def met_text(self) -> str:
        return "" if self.met is None else "met" if self.met else "not met"


@dataclass(frozen=True)
class EvidenceRow:
    """A KPI that evidences a notice area without a target of its own there."""

    kpi_id: str
    label: str
    unit: str
    available: bool
    unavailable_reason: str | None
    period_end: dt.date | None
    value: float | None
    benchmarks: Benchmarks


@dataclass(frozen=True)
class AreaPage:
    plan_id: str
    area_id: str
    title: str
    targets: tuple[TargetRow, ...]  # slow to progress first
    evidence: tuple[EvidenceRow, ...]

    def count(self, rag: str | None) -> int:
        return sum(1 for t in self.targets if t.rag == rag)

    @property
    def slow(self) -> int:
        return sum(1 for t in self.targets if t.slow_to_progress)


@dataclass(frozen=True)
class PlanNote:
    title: str
    issued: dt.date
    set_by: str
    illustrative: bool = False


@dataclass(frozen=True)
class BoardContent:
    """Everything the report says, in reading order."""

    la_code: str
    la_name: str
    cadence: str
    title: str
    period_text: str
    period_end: dt.date
    extract_date: dt.date
    plans: tuple[PlanNote, ...]
    areas: tuple[AreaPage, ...]
    history_months: tuple[dt.date, ...]
    footer: str
    audience_note: str = AUDIENCE_NOTE
    milestones: tuple[Milestone, ...] = ()

    @property
    def slow(self) -> list[TargetRow]:
        """Objectives slow to progress, in area order."""
        return [t for area in self.areas for t in area.targets if t.slow_to_progress]

    @property
    def heading(self) -> str:
        return f"{self.title}: {self.la_name}"


def _benchmarks(row: dict[str, Any]) -> Benchmarks:
    return Benchmarks(
        last_year_period_end=row.get("last_year_period_end"),
        last_year_value=row.get("last_year_value"),
        england_value=row.get("england_value"),
        england_period_end=row.get("england_period_end"),
        sn_value=row.get("sn_value"),
        sn_period_end=row.get("sn_period_end"),
    )


def _current_status(
    status: pl.DataFrame, targets: Sequence[Target], on: dt.date
) -> tuple[Target, dict[str, Any] | None]:
    """The area's target of a KPI in force at the end of the reported month, with its latest
    status row. ``is_current_target`` decides, as in the shared figures; when the LA's plans
    give the KPI targets elsewhere too, the next due of this area's targets (else its last)."""
    ids = {t.target_id: t for t in targets}
    rows = (
        status.filter(pl.col("target_id").is_in(list(ids)) & (pl.col("as_at_date") <= on))
        .sort(["as_at_date", "due_date"], descending=[True, False])
        .to_dicts()
    )
    current = next((r for r in rows if r["is_current_target"]), None)
    if current is not None:
        return ids[current["target_id"]], current
    ordered = sorted(targets, key=lambda t: t.due)
    target = next((t for t in ordered if t.due >= on), ordered[-1])
    return target, next((r for r in rows if r["target_id"] == target.target_id), None)


def _target_row(
    plan: Plan,
    area_id: str,
    targets: Sequence[Target],
    figure: dict[str, Any] | None,
    status: pl.DataFrame,
    period_end: dt.date,
    months: Sequence[dt.date],
    definition: KpiDefinition | None,
) -> TargetRow:
    target, row = _current_status(status, targets, period_end)
    # Each month as it was judged then: by the milestone in force at that month end (the next
    # one due), with that milestone's measure, not by the one in force now.
    in_force = status.filter(
        pl.col("target_id").is_in([t.target_id for t in targets]) & pl.col("is_current_target")
    )
    history_rows = {r["as_at_date"]: r for r in in_force.to_dicts()}
    history = tuple(
        HistoryPoint(
            day,
            (history_rows.get(day) or {}).get("value"),
            (history_rows.get(day) or {}).get("rag"),
            (history_rows.get(day) or {}).get("target_value"),
        )
        for day in months
    )
    figure = figure or {}
    available = bool(figure.get("available"))
    if row is not None:
        reason = row["reason"] or ""
    elif not available:
        reason = eras.availability_text(figure.get("unavailable_reason") or "KPI not defined")
    else:
        reason = "no status for this month"
    return TargetRow(
        kpi_id=target.kpi_id,
        label=definition.label if definition else target.kpi_id,
        unit=definition.unit if definition else "ratio",
        plan_id=plan.id,
        area_id=area_id,
        area_title=plan.areas[area_id],
        available=available,
        unavailable_reason=figure.get("unavailable_reason"),
        period_end=figure.get("period_end"),
        value=figure.get("value"),
        target_value=row["target_value"] if row else target.value,
        direction=target.direction,
        due_date=target.due,
        measure=target.measure,
        quote=target.quote,
        measure_value=row["value"] if row else None,
        met=row["met"] if row else None,
        rag=row["rag"] if row else None,
        trajectory_value=row["trajectory_value"] if row else None,
        slow_to_progress=bool(row and row["slow_to_progress"]),
        reason=reason,
        benchmarks=_benchmarks(figure),
        history=history,
    )


def board_content(
    kpi_figures: pl.DataFrame,
    status: pl.DataFrame,
    plans: Sequence[Plan],
    definitions: Sequence[KpiDefinition],
    provenance: Provenance,
    cadence: str = "monthly",
) -> BoardContent:
    """The report's content from the shared figures (``figures.kpi_figures``) and the LA's
    ``kpi.kpi_status`` rows of the same extract, for the LA's plans in their la.yaml order."""
    if cadence not in CADENCES:
        raise ValueError(f"cadence must be one of {', '.join(CADENCES)}, not {cadence!r}")
    extract_date = provenance.extract_date
    period_end = report_month_end(extract_date)
    months = tuple(month_ends_back(period_end, HISTORY_MONTHS))
    by_id = {k.id: k for k in definitions}
    figure_of = {r["kpi_id"]: r for r in kpi_figures.to_dicts()}
    areas = []
    for plan in plans:
        for area_id, area_title in plan.areas.items():
            in_area = [t for t in plan.targets if t.area == area_id]
            kpi_ids = list(dict.fromkeys(t.kpi_id for t in in_area))
            rows = [
                _target_row(
                    plan,
                    area_id,
                    [t for t in in_area if t.kpi_id == kpi_id],
                    figure_of.get(kpi_id),
                    status,
                    period_end,
                    months,
                    by_id.get(kpi_id),
                )
                for kpi_id in kpi_ids
            ]
            evidence = tuple(
                EvidenceRow(
                    kpi_id=k.id,
                    label=k.label,
                    unit=k.unit,
                    available=bool(figure_of.get(k.id, {}).get("available")),
                    unavailable_reason=figure_of.get(k.id, {}).get("unavailable_reason"),
                    period_end=figure_of.get(k.id, {}).get("period_end"),
                    value=figure_of.get(k.id, {}).get("value"),
                    benchmarks=_benchmarks(figure_of.get(k.id, {})),
                )
                for k in definitions
                if area_id in k.notice_areas and k.id not in kpi_ids
            )
            areas.append(
                AreaPage(
                    plan_id=plan.id,
                    area_id=area_id,
                    title=area_title,
                    # sorted() is stable: within each group the plan's order stays.
                    targets=tuple(sorted(rows, key=lambda r: not r.slow_to_progress)),
                    evidence=evidence,
                )
            )
    title, period_word = CADENCES[cadence]
    period_text = (
        f"{period_word} for {period_end:%B %Y} (the latest complete month)"
        if cadence == "monthly"
        else f"{period_word} on the extract of {_long_date(extract_date)}: figures to the end "
        f"of {period_end:%B %Y} (the latest complete month)"
    )
    return BoardContent(
        la_code=provenance.la_code,
        la_name=provenance.la_name,
        cadence=cadence,
        title=title,
        period_text=period_text,
        period_end=period_end,
        extract_date=extract_date,
        plans=tuple(PlanNote(p.title, p.issued, p.set_by, p.illustrative) for p in plans),
        areas=tuple(areas),
        history_months=months,
        footer=provenance.footer(),
        milestones=tuple(
            m
            for plan in plans
            for m in milestones(
                status,
                plan.targets,
                {k.id: k.unit for k in definitions},
                {k.id: k.label for k in definitions},
                period_end,
            )
        ),
    )


def read_status(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> pl.DataFrame:
    """The LA's status rows of one extract (every target, every month end)."""
    return con.execute(
        """select plan_id, target_id, kpi_id, as_at_date, due_date, is_current_target, value,
                  target_value, met, rag, trajectory_value, slow_to_progress, reason
           from kpi.kpi_status where la_code = ? and extract_date = ?""",
        [la_code, extract_date],
    ).pl()


# --- tables shared by the renderers ---------------------------------------------------------
# Each renderer lays out the same rows: (header, cells) where a cell is (text, rag or None).

Cell = tuple[str, str | None]

SUMMARY_HEADER = ("Notice area", "Targets", "Green", "Amber", "Red", NO_STATUS,
                  "Slow to progress")  # fmt: skip
SLOW_HEADER = ("Notice area", "KPI", "Latest value", "Target", "By the target's measure", "RAG",
               "Reason")  # fmt: skip
TARGET_HEADER = ("KPI", "Latest value", "Target", "By the target's measure", "RAG", "Met",
                 "Trajectory now", "Same month last year", "England", "Statistical neighbours",
                 "Reason")  # fmt: skip
EVIDENCE_HEADER = ("KPI", "Latest value", "Same month last year", "England",
                   "Statistical neighbours", "Note")  # fmt: skip


def _latest(row: "TargetRow | EvidenceRow", on: dt.date) -> str:
    text = format_value(row.value, row.unit)
    if text and row.period_end and row.period_end != on:
        return f"{text} ({_month(row.period_end)})"
    missing = "not applicable" if eras.is_not_applicable(row.unavailable_reason) else ""
    return text or missing or "not available"


def _bench(value: float | None, unit: str, period: dt.date | None) -> str:
    text = format_value(value, unit)
    return f"{text} ({_month(period)})" if text else ""


def summary_rows(content: BoardContent) -> list[list[Cell]]:
    counts = [
        (a.title, [len(a.targets), a.count("green"), a.count("amber"), a.count("red"),
                   a.count(None), a.slow])
        for a in content.areas
    ]  # fmt: skip
    totals = [sum(column) for column in zip(*(n for _, n in counts), strict=True)] or [0] * 6
    return [_plain(title, *numbers) for title, numbers in [*counts, ("All areas", totals)]]


def _plain(*texts: object) -> list[Cell]:
    return [(str(text), None) for text in texts]


def slow_rows(content: BoardContent) -> list[list[Cell]]:
    return [
        [
            (t.area_title, None),
            (t.label, None),
            (_latest(t, content.period_end), None),
            (t.target_text, None),
            (against(t.measure_value, t.target_value, t.unit), None),
            (rag_text(t.rag), t.rag),
            (t.reason, None),
        ]
        for t in content.slow
    ]


def target_rows(content: BoardContent, area: AreaPage) -> list[list[Cell]]:
    rows = []
    for t in area.targets:
        b = t.benchmarks
        label = f"{t.label} (slow to progress)" if t.slow_to_progress else t.label
        rows.append(
            [
                (label, None),
                (_latest(t, content.period_end), None),
                (t.target_text, None),
                (against(t.measure_value, t.target_value, t.unit), None),
                (rag_text(t.rag), t.rag),
                (t.met_text, None),
                (format_value(t.trajectory_value, t.unit), None),
                (_bench(b.last_year_value, t.unit, b.last_year_period_end), None),
                (_bench(b.england_value, t.unit, b.england_period_end), None),
                (_bench(b.sn_value, t.unit, b.sn_period_end), None),
                (t.reason, None),
            ]
        )
    return rows


def history_header(content: BoardContent) -> tuple[str, ...]:
    return ("KPI", *(_month(d) for d in content.history_months))


def history_rows(area: AreaPage) -> list[list[Cell]]:
    return [
        [(t.label, None)]
        + [
            (
                f"{against(p.value, p.target_value, t.unit)} ({rag_text(p.rag)})"
                if p.value is not None
                else "",
                p.rag,
            )
            for p in t.history
        ]
        for t in area.targets
    ]


def evidence_rows(content: BoardContent, area: AreaPage) -> list[list[Cell]]:
    return [
        [
            (e.label, None),
            (_latest(e, content.period_end), None),
            (_bench(e.benchmarks.last_year_value, e.unit, e.benchmarks.last_year_period_end), None),
            (_bench(e.benchmarks.england_value, e.unit, e.benchmarks.england_period_end), None),
            (_bench(e.benchmarks.sn_value, e.unit, e.benchmarks.sn_period_end), None),
            ("" if e.available else eras.availability_text(e.unavailable_reason), None),
        ]
        for e in area.evidence
    ]


def plan_lines(content: BoardContent) -> list[str]:
    return [
        f"{p.title} (issued {_long_date(p.issued)}). Targets set by: {p.set_by}"
        + (f" {ILLUSTRATIVE_NOTE}" if p.illustrative else "")
        for p in content.plans
    ] or ["The LA's la.yaml names no notice or plan: there are no targets to report against."]


# --- HTML -----------------------------------------------------------------------------------

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; max-width: 90rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2rem; } h3 { font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.25rem; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #bbb; padding: .3rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #eee; }
tbody th { font-weight: 600; background: #fafafa; }
.rag { font-weight: 600; }
.rag-green { background: #c6efce; color: #006100; }
.rag-amber { background: #ffeb9c; color: #7a4500; }
.rag-red { background: #ffc7ce; color: #9c0006; }
.notice { border-left: 4px solid #1d70b8; background: #f3f7fb; padding: .5rem 1rem; }
.provenance { font-size: .85rem; color: #444; }
footer { margin-top: 2rem; border-top: 1px solid #bbb; font-size: .85rem; color: #444; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 9pt; }
  section.area, section.slow { break-before: page; page-break-before: always; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; }
  nav { display: none; }
}
"""


def _html_table(caption: str, header: Sequence[str], rows: list[list[Cell]]) -> str:
    out = [f"<table><caption>{html.escape(caption)}</caption><thead><tr>"]
    out += [f'<th scope="col">{html.escape(h)}</th>' for h in header]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for i, (text, rag) in enumerate(row):
            cls = f' class="rag rag-{rag}"' if rag in RAG_COLOURS else ""
            if i == 0:
                out.append(f'<th scope="row"{cls}>{html.escape(text)}</th>')
            else:
                out.append(f"<td{cls}>{html.escape(text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def render_html(content: BoardContent) -> str:
    """A static page: inline CSS, no scripts, no external resources; one printed page per area."""
    e = html.escape
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(content.heading)}, {content.period_end:%B %Y}</title>",
        f"<style>{STYLE}</style></head><body>",
        "<header>",
        f"<h1>{e(content.heading)}</h1>",
        f"<p><strong>{e(content.period_text)}.</strong></p>",
        *[f"<p>{e(line)}</p>" for line in plan_lines(content)],
        f'<p class="notice">{e(content.audience_note)}</p>',
        f'<p class="provenance">{e(content.footer)}</p>',
        "</header>",
        '<nav aria-label="Notice areas"><h2>Contents</h2><ol>',
        '<li><a href="#milestones">Milestones</a></li>',
        '<li><a href="#slow">Objectives slow to progress</a></li>',
        *[
            f'<li><a href="#area-{e(a.plan_id)}-{e(a.area_id)}">{e(a.title)}</a></li>'
            for a in content.areas
        ],
        "</ol></nav>",
        "<section><h2>Summary</h2>",
        _html_table(
            f"Targets by RAG at the end of {content.period_end:%B %Y}",
            SUMMARY_HEADER,
            summary_rows(content),
        ),
        "</section>",
        '<section id="milestones"><h2>Milestones</h2>',
        _html_table(
            milestone_table.CAPTION,
            milestone_table.HEADER,
            milestone_table.rows(content.milestones),
        ),
        "</section>",
        '<section class="slow" id="slow"><h2>Objectives slow to progress</h2>',
    ]
    if content.slow:
        out.append(
            _html_table(
                "Slow to progress: behind the trajectory, trending to miss the target, or past "
                "the due date and not met",
                SLOW_HEADER,
                slow_rows(content),
            )
        )
    else:
        out.append("<p>No objective is slow to progress.</p>")
    out.append("</section>")
    for area in content.areas:
        out.append(
            f'<section class="area" id="area-{e(area.plan_id)}-{e(area.area_id)}">'
            f"<h2>{e(area.title)}</h2>"
        )
        if area.targets:
            out.append(
                _html_table(
                    f"KPIs with a target, at the end of {content.period_end:%B %Y} "
                    "(slow to progress first)",
                    TARGET_HEADER,
                    target_rows(content, area),
                )
            )
            out.append(
                _html_table(
                    HISTORY_CAPTION,
                    history_header(content),
                    history_rows(area),
                )
            )
            out.append("<h3>Targets as set</h3><ul>")
            out += [f"<li>{e(t.label)}: {e(t.quote)}</li>" for t in area.targets]
            out.append("</ul>")
        else:
            out.append("<p>No target in this area.</p>")
        if area.evidence:
            out.append(
                _html_table(
                    "Other KPIs evidencing this area", EVIDENCE_HEADER, evidence_rows(content, area)
                )
            )
        out.append("</section>")
    out += [f"<footer><p>{e(content.footer)}</p></footer>", "</body></html>"]
    return "\n".join(out)


# --- XLSX -----------------------------------------------------------------------------------

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill(fill_type="solid", fgColor="EEEEEE")


def sheet_name(number: int, title: str) -> str:
    """An area's sheet: numbered (titles are long and may share their first words), at most 31
    characters and none of the characters Excel refuses."""
    clean = "".join(" " if c in "[]:*?/\\" else c for c in title)
    return f"{number}. {clean}"[:31].rstrip()


def _xlsx_rag(cell: Any, rag: str | None) -> None:
    if rag in RAG_COLOURS:
        fill, text = RAG_COLOURS[rag]
        cell.fill = PatternFill(fill_type="solid", fgColor=fill)
        cell.font = Font(bold=True, color=text)


def _xlsx_lines(ws: Worksheet, lines: Sequence[str], title: str) -> int:
    cells.openpyxl_cell(ws, 1, 1, title).font = TITLE
    for i, line in enumerate(lines, start=2):
        cells.openpyxl_cell(ws, i, 1, line)
    return len(lines) + 3  # a blank row before the first table


def _xlsx_table(
    ws: Worksheet,
    top: int,
    header: Sequence[str],
    rows: Sequence[Sequence[tuple[Any, str | None, str | None]]],
) -> int:
    """Write a header and rows of (value, rag, number format); returns the next free row."""
    for col, text in enumerate(header, start=1):
        cell = cells.openpyxl_cell(ws, top, col, text)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
    for r, row in enumerate(rows, start=top + 1):
        for col, (value, rag, number_format) in enumerate(row, start=1):
            cell = cells.openpyxl_cell(ws, r, col, value)
            cell.alignment = WRAP
            if number_format:
                cell.number_format = number_format
            _xlsx_rag(cell, rag)
    return top + len(rows) + 2


def _widths(ws: Worksheet, widths: Sequence[int]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _text(cells: list[Cell]) -> list[tuple[Any, str | None, str | None]]:
    return [(text, rag, None) for text, rag in cells]


def _number(
    value: float | None, unit: str, target: float | None = None
) -> tuple[Any, str | None, str | None]:
    """A number cell; beside a target, with the places that tell them apart (as ``against``)."""
    if value is None or target is None:
        return (value, None, formatting.xlsx_format(unit))
    places = formatting.distinguishing_places(value, target, unit)
    return (value, None, formatting.xlsx_format(unit, places))


XLSX_TARGET_HEADER = ("KPI", "Slow to progress", "Latest value", "Month", "Target", "Direction",
                      "Due", "Measure", "By the target's measure", "RAG", "Met", "Trajectory now",
                      "Same month last year", "England", "England period", "Statistical neighbours",
                      "Statistical neighbours period", "Reason", "Target as set")  # fmt: skip
XLSX_EVIDENCE_HEADER = ("KPI", "Latest value", "Month", "Same month last year", "England",
                        "England period", "Statistical neighbours",
                        "Statistical neighbours period", "Note")  # fmt: skip


XLSX_SLOW_HEADER = ("Notice area", "KPI", "Latest value", "Month", "Target", "By the target's "
                    "measure", "RAG", "Reason")  # fmt: skip


def _xlsx_slow_row(t: TargetRow) -> list[tuple[Any, str | None, str | None]]:
    """The slow objectives as numbers (the HTML and DOCX show the same as text)."""
    return [
        (t.area_title, None, None),
        (t.label, None, None),
        _number(t.value, t.unit),
        (_month(t.period_end), None, None),
        (t.target_text, None, None),
        _number(t.measure_value, t.unit, t.target_value),
        (rag_text(t.rag), t.rag, None),
        (t.reason, None, None),
    ]


def _xlsx_target_row(t: TargetRow) -> list[tuple[Any, str | None, str | None]]:
    b = t.benchmarks
    return [
        (t.label, None, None),
        ("yes" if t.slow_to_progress else "no", None, None),
        _number(t.value, t.unit),
        (_month(t.period_end), None, None),
        _number(t.target_value, t.unit),
        (t.direction.replace("_", " "), None, None),
        (t.due_date, None, "dd mmm yyyy"),
        (MEASURE_WORDS[t.measure], None, None),
        _number(t.measure_value, t.unit, t.target_value),
        (rag_text(t.rag), t.rag, None),
        (t.met_text, None, None),
        _number(t.trajectory_value, t.unit),
        _number(b.last_year_value, t.unit),
        _number(b.england_value, t.unit),
        (_month(b.england_period_end), None, None),
        _number(b.sn_value, t.unit),
        (_month(b.sn_period_end), None, None),
        (t.reason, None, None),
        (t.quote, None, None),
    ]


def _xlsx_history(
    content: BoardContent, area: AreaPage
) -> tuple[tuple[str, ...], list[list[tuple[Any, str | None, str | None]]]]:
    """The history as numbers, each month's RAG in a column of its own."""
    header = ["KPI"]
    for day in content.history_months:
        header += [_month(day), f"{_month(day)} RAG"]
    rows = []
    for t in area.targets:
        row: list[tuple[Any, str | None, str | None]] = [(t.label, None, None)]
        for p in t.history:
            row += [
                _number(p.value, t.unit, p.target_value),
                (rag_text(p.rag) if p.value is not None else "", p.rag, None),
            ]
        rows.append(row)
    return tuple(header), rows


def write_xlsx(content: BoardContent, path: Path) -> None:
    """Summary, Slow to progress, then one sheet per notice area."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    lines = [content.period_text, *plan_lines(content), content.audience_note, content.footer]
    top = _xlsx_lines(ws, lines, content.heading)
    _xlsx_table(
        ws,
        top,
        SUMMARY_HEADER,
        [[(title, None, None), *((int(n), None, "0") for n, _ in numbers)]
         for (title, _), *numbers in summary_rows(content)],
    )  # fmt: skip
    ws.freeze_panes = ws.cell(row=top + 1, column=2)
    _widths(ws, (60, 10, 10, 10, 10, 12, 16))

    ws = wb.create_sheet("Milestones")
    top = _xlsx_lines(ws, [milestone_table.CAPTION], "Milestones")
    _xlsx_table(ws, top, milestone_table.XLSX_HEADER, milestone_table.xlsx_rows(content.milestones))
    _widths(ws, (40, 10, 10, 14, 24, 14, 10, 22, 10, 60, 60))

    ws = wb.create_sheet("Slow to progress")
    top = _xlsx_lines(ws, [content.period_text], "Objectives slow to progress")
    if content.slow:
        _xlsx_table(ws, top, XLSX_SLOW_HEADER, [_xlsx_slow_row(t) for t in content.slow])
    else:
        ws.cell(row=top, column=1, value="No objective is slow to progress.")
    ws.freeze_panes = ws.cell(row=top + 1, column=3)
    _widths(ws, (40, 36, 14, 10, 36, 16, 10, 70))

    for number, area in enumerate(content.areas, start=1):
        ws = wb.create_sheet(sheet_name(number, area.title))
        top = _xlsx_lines(ws, [content.period_text], area.title)
        if area.targets:
            after = _xlsx_table(
                ws, top, XLSX_TARGET_HEADER, [_xlsx_target_row(t) for t in area.targets]
            )
            ws.freeze_panes = ws.cell(row=top + 1, column=2)
            after = _xlsx_table(ws, after, *_xlsx_history(content, area))
        else:
            ws.cell(row=top, column=1, value="No target in this area.")
            after = top + 2
        if area.evidence:
            ws.cell(row=after, column=1, value="Other KPIs evidencing this area").font = BOLD
            _xlsx_table(
                ws,
                after + 1,
                XLSX_EVIDENCE_HEADER,
                [
                    [
                        (e.label, None, None),
                        _number(e.value, e.unit),
                        (_month(e.period_end), None, None),
                        _number(e.benchmarks.last_year_value, e.unit),
                        _number(e.benchmarks.england_value, e.unit),
                        (_month(e.benchmarks.england_period_end), None, None),
                        _number(e.benchmarks.sn_value, e.unit),
                        (_month(e.benchmarks.sn_period_end), None, None),
                        (
                            "" if e.available else eras.availability_text(e.unavailable_reason),
                            None,
                            None,
                        ),
                    ]
                    for e in area.evidence
                ],
            )
        _widths(ws, (40, 14, 14, 14, 14, 12, 12, 24, 14, 10, 10, 14, 14, 12, 12, 14, 14, 60, 60))
    marking.mark_workbook(wb)
    wb.save(path)


# --- DOCX -----------------------------------------------------------------------------------


def _docx_table(doc: Any, header: Sequence[str], rows: list[list[Cell]]) -> DocxTable:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    # Repeat the header row on each printed page, which also marks it as a header for
    # screen readers.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        _docx_fill(cell, "EEEEEE")
    for row in rows:
        cells = table.add_row().cells
        for cell, (text, rag) in zip(cells, row, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            if rag in RAG_COLOURS:
                run.bold = True
                _docx_fill(cell, RAG_COLOURS[rag][0])
    return table


def _docx_fill(cell: Any, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def write_docx(content: BoardContent, path: Path) -> None:
    """The Word version for committee papers: A4 landscape, a page per notice area."""
    doc = Document()
    doc.styles["Normal"].font.size = Pt(9)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))
    section.footer.paragraphs[0].text = content.footer
    doc.core_properties.title = content.heading
    doc.add_heading(content.heading, level=0)
    doc.add_paragraph().add_run(content.period_text + ".").bold = True
    for line in plan_lines(content):
        doc.add_paragraph(line)
    doc.add_paragraph(content.audience_note).runs[0].italic = True
    doc.add_heading("Summary", level=1)
    _docx_table(doc, SUMMARY_HEADER, summary_rows(content))
    doc.add_heading("Milestones", level=1)
    doc.add_paragraph(milestone_table.CAPTION)
    _docx_table(doc, milestone_table.HEADER, milestone_table.rows(content.milestones))
    doc.add_heading("Objectives slow to progress", level=1)
    if content.slow:
        _docx_table(doc, SLOW_HEADER, slow_rows(content))
    else:
        doc.add_paragraph("No objective is slow to progress.")
    for area in content.areas:
        doc.add_page_break()
        doc.add_heading(area.title, level=1)
        if area.targets:
            doc.add_heading("KPIs with a target (slow to progress first)", level=2)
            _docx_table(doc, TARGET_HEADER, target_rows(content, area))
            doc.add_heading(HISTORY_CAPTION, level=2)
            _docx_table(doc, history_header(content), history_rows(area))
            doc.add_heading("Targets as set", level=2)
            for t in area.targets:
                doc.add_paragraph(f"{t.label}: {t.quote}", style="List Bullet")
        else:
            doc.add_paragraph("No target in this area.")
        if area.evidence:
            doc.add_heading("Other KPIs evidencing this area", level=2)
            _docx_table(doc, EVIDENCE_HEADER, evidence_rows(content, area))
    doc.add_paragraph(content.footer)
    marking.mark_docx(doc)
    doc.save(str(path))


# --- writing --------------------------------------------------------------------------------


def report_folder(published_dir: Path, content: BoardContent) -> Path:
    """``<published>/<la>/internal/board/<cadence>/<period>``: the reported month (``YYYY-MM``)
    for the monthly board, the extract date for the adviser's six-weekly report."""
    period = (
        f"{content.period_end:%Y-%m}"
        if content.cadence == "monthly"
        else content.extract_date.isoformat()
    )
    return internal_outputs(published_dir, content.la_code) / "board" / content.cadence / period


def write_board_report(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
    published_dir: Path,
    provenance: Provenance,
    cadence: str = "monthly",
) -> list[Path]:
    """Write the board (or adviser) report of one extract as HTML, XLSX and DOCX.

    Raises ``figures.NotPublishable`` (and writes nothing) when the extract's blocking checks
    failed; the caller shows the "not published" page and the last good report stays."""
    figures.check_publishable(con, la_code, extract_date)
    if (provenance.la_code, provenance.extract_date) != (la_code, extract_date):
        raise ValueError(f"the provenance given is for another LA or extract: {provenance}")
    own_plans = figures.la_plans(con, la_code, plans)
    content = board_content(
        figures.kpi_figures(con, la_code, extract_date, definitions, own_plans),
        read_status(con, la_code, extract_date),
        own_plans,
        definitions,
        provenance,
        cadence,
    )
    final = report_folder(published_dir, content)
    with folders.replacing(final) as temp:
        (temp / f"{FILE_STEM}.html").write_text(
            marking.mark_html(render_html(content)), encoding="utf-8"
        )
        write_xlsx(content, temp / f"{FILE_STEM}.xlsx")
        write_docx(content, temp / f"{FILE_STEM}.docx")
    return [final / f"{FILE_STEM}.{ext}" for ext in ("html", "xlsx", "docx")]
