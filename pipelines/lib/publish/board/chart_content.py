"""A monthly chart of the board and adviser reports, as content (``charts`` reads and draws it)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class BoardChart:
    """One KPI's monthly chart: the spec drawn (captioned and marked, as the PNG for papers
    shows it), its caption and alt text; or, when it cannot be drawn, why (``no_chart``).
    ``svg`` and ``png`` are filled once drawn."""

    kpi_id: str
    label: str
    caption: str
    alt: str
    spec: dict[str, object] | None
    no_chart: str | None = None
    svg: str = ""
    png: bytes = b""
