"""What the board and adviser reports say, as plain data: ``read.py`` builds it from the
warehouse, the renderers only lay it out, so the HTML, XLSX and DOCX cannot disagree."""

import datetime as dt
from dataclasses import dataclass

from pipelines.lib import formatting
from pipelines.lib.kpi.milestones import MEASURE_WORDS, Milestone
from pipelines.lib.publish.board.chart_content import BoardChart
from pipelines.lib.publish.board.service_tables import ServiceTables

HISTORY_MONTHS = 6
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
    change: str | None = None  # "from X (baseline date) to Y (month)" (board/sentences.py)
    standing: str | None = None  # quartile band and neighbour rank (board/sentences.py)

    @property
    def target_text(self) -> str:
        bound = formatting.bound_word(self.direction)
        value = formatting.value_text(self.target_value, self.unit, empty="(value not set)")
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
    standing: str | None = None  # quartile band and neighbour rank (board/sentences.py)


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
    charts: tuple[BoardChart, ...] = ()  # one per KPI with a target (``charts.py``)
    service: ServiceTables | None = None  # workforce by service, KPIs by team (service_tables)

    @property
    def slow(self) -> list[TargetRow]:
        """Objectives slow to progress, in area order."""
        return [t for area in self.areas for t in area.targets if t.slow_to_progress]

    @property
    def heading(self) -> str:
        return f"{self.title}: {self.la_name}"
