"""The milestone table of the board and adviser reports: every target of the LA's notices and
plans with its due date, its measure, the value by that measure on the due date, met or not and
by how much (``kpi.milestones``). HTML and DOCX lay out the text cells, XLSX the typed ones."""

from typing import Any

from pipelines.lib import formatting
from pipelines.lib.kpi.milestones import Milestone
from pipelines.lib.publish.board.tables import RAG_TEXT

HEADER = ("KPI", "Target", "Due", "Measure", "Value at the due date", "Met", "By how much",
          "RAG", "Target as set", "Reading")  # fmt: skip
XLSX_HEADER = ("KPI", "Direction", "Target", "Due", "Measure", "Value at the due date", "Met",
               "By how much", "RAG", "Target as set", "Reading")  # fmt: skip
CAPTION = (
    "Milestones: each target by its own measure on its own due date (a month between two "
    "milestones is judged against the next one due, by that milestone's measure)"
)


def _met(m: Milestone) -> str:
    return {"met": "met", "not met": "not met"}.get(m.state, m.state)


def rows(milestones: tuple[Milestone, ...]) -> list[list[tuple[str, str | None]]]:
    return [
        [
            (m.label, None),
            (m.target_text, None),
            (formatting.long_date(m.target.due), None),
            (m.measure_text, None),
            (m.value_text, None),
            (_met(m), None),
            (m.margin, None),
            (RAG_TEXT.get(m.rag or "", ""), m.rag),
            (m.target.quote, None),
            (m.target.note or "", None),
        ]
        for m in milestones
    ]


def xlsx_rows(milestones: tuple[Milestone, ...]) -> list[list[tuple[Any, str | None, str | None]]]:
    """Numbers as numbers with the unit's format; RAG in its own column."""
    return [
        [
            (m.label, None, None),
            (formatting.bound_word(m.target.direction), None, None),
            (m.target_value, None, formatting.xlsx_format(m.unit)),
            (m.target.due, None, "dd mmm yyyy"),
            (m.measure_text, None, None),
            (m.value, None, formatting.xlsx_format_against(m.value, m.target_value, m.unit)),
            (_met(m), None, None),
            (m.margin, None, None),
            (RAG_TEXT.get(m.rag or "", ""), m.rag, None),
            (m.target.quote, None, None),
            (m.target.note or "", None, None),
        ]
        for m in milestones
    ]
