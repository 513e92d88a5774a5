"""The board report's tables as text, shared by the HTML page and the Word document: each is a
header and rows of cells ``(text, rag or None)``. The workbook lays out its own typed rows
(``render_xlsx``) from the same content."""

import datetime as dt

from pipelines.lib import formatting
from pipelines.lib.kpi import eras
from pipelines.lib.kpi.targets import ILLUSTRATIVE_NOTE
from pipelines.lib.publish import style
from pipelines.lib.publish.board.content import AreaPage, BoardContent, EvidenceRow, TargetRow

HISTORY_CAPTION = (
    "The last six month ends, each against the milestone then in force (the next one due), by "
    "that milestone's measure, with the RAG then"
)
RAG_TEXT = {"green": "Green", "amber": "Amber", "red": "Red"}
NO_STATUS = "No status"
# The one RAG palette (publish/style.py) as a workbook or document fills a cell: light fills
# with dark text, readable in print and for colour-blind readers, who also get the word.
RAG_COLOURS = {
    rag: (fill.lstrip("#").upper(), text.lstrip("#").upper())
    for rag, (fill, text) in style.RAG_PALETTE.items()
}


# Every figure is written by the one formatting rule (``pipelines/lib/formatting.py``).
format_value = formatting.value_text
against = formatting.against_text  # the places that tell a value from its target


def rag_text(rag: str | None) -> str:
    return RAG_TEXT.get(rag or "", NO_STATUS)


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


def _latest(row: TargetRow | EvidenceRow, on: dt.date) -> str:
    text = format_value(row.value, row.unit)
    if text and row.period_end and row.period_end != on:
        return f"{text} ({formatting.month_text(row.period_end)})"
    missing = "not applicable" if eras.is_not_applicable(row.unavailable_reason) else ""
    return text or missing or "not available"


def _bench(value: float | None, unit: str, period: dt.date | None) -> str:
    text = format_value(value, unit)
    return f"{text} ({formatting.month_text(period)})" if text else ""


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
    return ("KPI", *(formatting.month_text(d) for d in content.history_months))


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


SENTENCES_HEADING = "Since the baseline, and against England and statistical neighbours"


def sentence_lines(area: AreaPage) -> list[str]:
    """The sentences a paper can quote for the area: each target KPI's change since its baseline
    and where the council stands nationally, then the other KPIs' standing."""
    lines = []
    for t in area.targets:
        lines += [t.change] if t.change else []
        lines += [f"{t.label}: {t.standing}"] if t.standing else []
    for e in area.evidence:
        if e.standing:
            lines.append(f"{e.label}: {e.standing}")
    return lines


def plan_lines(content: BoardContent) -> list[str]:
    return [
        f"{p.title} (issued {formatting.long_date(p.issued)}). Targets set by: {p.set_by}"
        + (f" {ILLUSTRATIVE_NOTE}" if p.illustrative else "")
        for p in content.plans
    ] or ["The LA's la.yaml names no notice or plan: there are no targets to report against."]
