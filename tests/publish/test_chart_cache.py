"""The board and adviser reports of one extract show the same charts: a chart this process drew
from the same spec is written again, not drawn again (drawing is most of a report's cost)."""

import dataclasses
from pathlib import Path
from types import TracebackType
from typing import ClassVar

import pytest

from pipelines.lib.publish.board import charts
from pipelines.lib.publish.board.chart_content import BoardChart


@dataclasses.dataclass(frozen=True)
class Content:
    charts: tuple[BoardChart, ...]


class CountingRenderer:
    drawn: ClassVar[list[str]] = []

    def __init__(self, helpers: int) -> None:
        pass

    def __enter__(self) -> "CountingRenderer":
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        pass

    def submit(self, spec: dict[str, object], svg: Path, png: Path) -> None:
        self.drawn.append(str(spec["title"]))
        svg.write_text(f"<svg>{spec['title']}</svg>", encoding="utf-8")
        png.write_bytes(b"\x89PNG" + str(spec["title"]).encode())


def test_a_chart_drawn_once_is_written_again_not_redrawn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts, "ChartRenderer", CountingRenderer)
    monkeypatch.setattr(charts, "_DRAWN", {})
    CountingRenderer.drawn = []
    one = BoardChart("a", "A", "caption", "alt", {"title": "A chart"})
    other = BoardChart("b", "B", "caption", "alt", {"title": "B chart"})
    none = BoardChart("c", "C", "", "", None, "No chart of C: too few points.")
    monthly = charts.draw_charts(Content((one, none)), tmp_path / "monthly")  # type: ignore[arg-type]
    adviser = charts.draw_charts(Content((one, other)), tmp_path / "adviser")  # type: ignore[arg-type]
    assert CountingRenderer.drawn == ["A chart", "B chart"]  # "A chart" drawn once
    assert monthly.charts[0].svg == adviser.charts[0].svg == "<svg>A chart</svg>"
    assert (tmp_path / "adviser" / "a.png").read_bytes() == b"\x89PNGA chart"
    assert monthly.charts[1] == none  # nothing to draw
