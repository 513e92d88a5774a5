"""The monthly charts of the board and adviser reports: one per KPI with a target, in the
clinic's style (``charts.xmr``: the monthly values, the target steps and trajectory, the SPC
mean and limits of each segment, England and statistical neighbours as at the reported month).

- read (:func:`read_charts`): SPC is read from ``kpi.kpi_spc`` (the monthly series of the
  report's extract, which ends at the reported month: never recomputed here), targets as the
  clinic draws them (``clinic_read.target_steps``), trajectories from ``kpi.kpi_status``,
  benchmarks as at the reported month (``publish.benchmarks``);
- draw (:func:`draw_charts`): every chart of a report in helper processes, one per core
  (``charts.render.ChartRenderer``), as SVG and PNG in ``charts/`` beside the report, for
  officers to paste into papers; each image carries its caption and the marking;
- lay out: the HTML page holds each SVG inline as a data URI, so the page stays one file that
  can be e-mailed or copied alone (as the rest of the page, it links to nothing); the Word
  document holds each PNG with the caption as a paragraph below it.
"""

import base64
import dataclasses
import hashlib
import html
import io
import json
from collections.abc import Sequence
from pathlib import Path

import duckdb
import polars as pl
from docx.document import Document as DocxDocument
from docx.shared import Mm

from pipelines.lib import formatting
from pipelines.lib.charts.caption import captioned, chart_caption
from pipelines.lib.charts.render import HELPERS, ChartRenderer
from pipelines.lib.charts.xmr import Benchmark, TargetStep, xmr_spec
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.outputs import la_targets
from pipelines.lib.kpi.targets import Plan
from pipelines.lib.publish import benchmarks, marking
from pipelines.lib.publish.board.chart_content import BoardChart
from pipelines.lib.publish.board.content import AreaPage, BoardContent
from pipelines.lib.publish.clinic_read import read_trajectories, target_steps
from pipelines.lib.publish.figures import Provenance

HEADING = "Monthly charts"
CHART_CSS = """
figure.chart { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart img { max-width: 100%; height: auto; }
figure.chart figcaption { font-size: .85rem; color: #444; }
"""
# Wide enough to read in an A4 landscape page of 273 mm between margins, short enough for the
# caption to stay on the chart's page.
DOCX_WIDTH = Mm(200)


def _alt(
    label: str,
    unit: str,
    series: pl.DataFrame,
    steps: Sequence[TargetStep],
    trajectory: pl.DataFrame,
    benches: Sequence[Benchmark],
) -> str:
    """What the chart shows, in words, for a reader who cannot see it."""
    first, last = series["period_end"][0], series["period_end"][-1]
    latest = formatting.value_text(series["value"][-1], unit)
    shown = ["the mean and process limits"] if series["chart_type"][-1] == "xmr" else []
    shown += ["the target"] * bool(steps) + ["the trajectory"] * bool(trajectory.height)
    shown += [
        f"{b.name} ({b.period_end:%b %Y}: {formatting.value_text(b.value, unit)})" for b in benches
    ]
    text = f"Chart of {label} by month, {first:%B %Y} to {last:%B %Y}: latest {latest} in "
    text += f"{last:%B %Y}"
    if shown:
        text += ", with " + (", ".join(shown[:-1]) + " and " if len(shown) > 1 else "") + shown[-1]
    return text + "."


def read_charts(
    con: duckdb.DuckDBPyConnection,
    content: BoardContent,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
    provenance: Provenance,
) -> tuple[BoardChart, ...]:
    """One chart (or why none) per KPI with a target in the report, in the report's order."""
    la_code, extract, period_end = content.la_code, content.extract_date, content.period_end
    kpi_ids = list(dict.fromkeys(t.kpi_id for area in content.areas for t in area.targets))
    by_id = {k.id: k for k in definitions}
    la_plan_targets, parameters = la_targets(con, la_code, plans)
    values = con.execute(
        "select * from kpi.kpi_values where la_code = ? and extract_date = ?", [la_code, extract]
    ).pl()
    spc = con.execute(
        """select * exclude (la_code, grain, extract_date) from kpi.kpi_spc
           where la_code = ? and grain = 'month' and extract_date = ? and period_end <= ?
           order by kpi_id, period_end""",
        [la_code, extract, period_end],
    ).pl()
    trajectories = read_trajectories(con, la_code, extract, period_end)
    charts = []
    for kpi_id in kpi_ids:
        kpi = by_id.get(kpi_id)
        label = kpi.label if kpi else kpi_id
        series = spc.filter(pl.col("kpi_id") == kpi_id)
        if kpi is None or not series.height or series["chart_type"][-1] == "values_only":
            why = (
                "the KPI is not defined"
                if kpi is None
                else f"no monthly values to {period_end:%B %Y} in the extract of "
                f"{formatting.long_date(extract)}"
                if not series.height
                else series["chart_reason"][-1]
            )
            charts.append(BoardChart(kpi_id, label, "", "", None, f"No chart of {label}: {why}."))
            continue
        steps = target_steps(
            [t for t in la_plan_targets if t.kpi_id == kpi_id], plans, values, parameters, kpi.unit
        )
        trajectory = trajectories.filter(pl.col("kpi_id") == kpi_id)
        benches = [
            Benchmark(b.name, b.value, b.period_end)
            for b in benchmarks.benchmark_as_at(con, la_code, kpi_id, period_end)
        ]
        alt = _alt(label, kpi.unit, series, steps, trajectory, benches)
        caption = chart_caption(
            provenance.la_name, la_code, label, "month", series["period_end"][0],
            series["period_end"][-1], extract, provenance.generated_at.date(),
        )  # fmt: skip
        spec = xmr_spec(
            series, f"{label} (monthly)", kpi.unit, targets=steps, trajectory=trajectory,
            benchmarks=benches, description=alt, period="Month",
        )  # fmt: skip
        paper = marking.mark_chart_spec(captioned(spec, caption))
        charts.append(BoardChart(kpi_id, label, caption, alt, paper))
    return tuple(charts)


# Drawn charts by their spec, for the run's process: the monthly board report and the adviser
# report of one extract show the same charts, and drawing is most of what a report costs.
_DRAWN: dict[str, tuple[str, bytes]] = {}
_DRAWN_MAX = 256


def _spec_key(spec: object) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()


def draw_charts(content: BoardContent, folder: Path) -> BoardContent:
    """``content`` with its charts drawn, as ``<kpi_id>.svg`` and ``.png`` in ``folder``, by a
    helper process per core (the report waits for them, so on two cores two helpers halve the
    wait; a helper's start costs about what drawing a chart does); a chart this process drew
    before from the same spec is written again, not redrawn."""
    todo = [c for c in content.charts if c.spec is not None]
    if not todo:
        return content
    folder.mkdir(parents=True, exist_ok=True)
    fresh = [c for c in todo if _spec_key(c.spec) not in _DRAWN]
    if fresh:
        with ChartRenderer(helpers=min(HELPERS, len(fresh))) as renderer:
            for chart in fresh:
                assert chart.spec is not None
                svg, png = folder / f"{chart.kpi_id}.svg", folder / f"{chart.kpi_id}.png"
                renderer.submit(chart.spec, svg, png)
        if len(_DRAWN) + len(fresh) > _DRAWN_MAX:
            _DRAWN.clear()
        for chart in fresh:
            svg_text = (folder / f"{chart.kpi_id}.svg").read_text(encoding="utf-8")
            _DRAWN[_spec_key(chart.spec)] = (
                svg_text,
                (folder / f"{chart.kpi_id}.png").read_bytes(),
            )
    drawn = []
    for c in content.charts:
        if c.spec is None:
            drawn.append(c)
            continue
        svg_text, png_bytes = _DRAWN[_spec_key(c.spec)]
        (folder / f"{c.kpi_id}.svg").write_text(svg_text, encoding="utf-8")
        (folder / f"{c.kpi_id}.png").write_bytes(png_bytes)
        drawn.append(dataclasses.replace(c, svg=svg_text, png=png_bytes))
    return dataclasses.replace(content, charts=tuple(drawn))


def _area_charts(content: BoardContent, area: AreaPage) -> list[BoardChart]:
    by_id = {c.kpi_id: c for c in content.charts}
    return [by_id[t.kpi_id] for t in area.targets if t.kpi_id in by_id]


def html_figures(content: BoardContent, area: AreaPage) -> list[str]:
    """The area's charts as figures (the SVG inline, with alt text and its caption), or why a
    KPI has none."""
    e = html.escape
    out = []
    for chart in _area_charts(content, area):
        if chart.svg:
            data = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
            out.append(
                f'<figure class="chart"><img src="data:image/svg+xml;base64,{data}" '
                f'alt="{e(chart.alt)}"><figcaption>{e(chart.caption)}</figcaption></figure>'
            )
        elif chart.no_chart:
            out.append(f"<p>{e(chart.no_chart)}</p>")
    return [f"<h3>{HEADING}</h3>", *out] if out else []


def add_docx_figures(doc: DocxDocument, content: BoardContent, area: AreaPage) -> None:
    """The area's charts as pictures (with alt text), each with its caption below it, or why a
    KPI has none."""
    charts = [c for c in _area_charts(content, area) if c.png or c.no_chart]
    if not charts:
        return
    doc.add_heading(HEADING, level=2)
    for chart in charts:
        if not chart.png:
            doc.add_paragraph(chart.no_chart or "")
            continue
        picture = doc.add_picture(io.BytesIO(chart.png), width=DOCX_WIDTH)
        picture._inline.docPr.set("descr", chart.alt)  # the alt text Word shows and reads out
        doc.add_paragraph(chart.caption, style="Caption")
