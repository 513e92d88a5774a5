"""The weekly performance-clinic pack: a static site per LA and week that opens from the file
system with no network.

``data/published/<la>/internal/clinic/<week>/`` (``<week>`` = the Monday the week starts) holds
``index.html`` (a summary of every KPI's SPC, then KPIs by notice area), one page per KPI with
its chart (XmR or run chart), its data as a table and a text description, ``all-charts.html``
(every chart on one page, for printing), ``charts/`` (PNG and SVG of every chart for papers),
``validation.html`` (the extract's validation report) and ``assets/`` (one local copy of Vega,
Vega-Lite and vega-embed shared by every page).

The pack for a week uses the first extract (with KPIs computed) dated on or after the week's
Sunday, so the whole week was known; its weekly series stops at that Sunday and SPC limits are
computed from those points only, as the clinic saw them. A past week with no extract of its own
is restated from the next extract (the footer says so).
"""

import contextlib
import datetime as dt
import html
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import vl_convert

from pipelines.lib import formatting
from pipelines.lib.charts.render import ChartRenderer
from pipelines.lib.charts.xmr import Benchmark, TargetStep, xmr_spec
from pipelines.lib.kpi import eras
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.milestones import MEASURE_WORDS
from pipelines.lib.kpi.outputs import la_targets, notice_dates
from pipelines.lib.kpi.status import resolve_target_value
from pipelines.lib.kpi.targets import ILLUSTRATIVE_NOTE, Plan, Target
from pipelines.lib.paths import internal_outputs
from pipelines.lib.publish import benchmarks as published
from pipelines.lib.publish import clinic_index, clinic_spc, figures, folders, marking, site

POLARITY_WORDS = {"up": "higher is better", "down": "lower is better", "neutral": "no polarity"}


def week_start(day: dt.date) -> dt.date:
    """The Monday of the last complete week (Monday to Sunday) ending on or before ``day``."""
    last_sunday = day - dt.timedelta(days=(day.weekday() + 1) % 7)
    return last_sunday - dt.timedelta(days=6)


def extract_for_week(con: duckdb.DuckDBPyConnection, la_code: str, week: dt.date) -> dt.date | None:
    """The first extract with KPIs computed that is dated on or after the week's Sunday."""
    row = con.execute(
        """select min(extract_date) from kpi.kpi_runs where la_code = ? and extract_date >= ?""",
        [la_code, week + dt.timedelta(days=6)],
    ).fetchone()
    return row[0] if row else None


def fmt_value(value: float | None, unit: str) -> str:
    return formatting.value_text(value, unit, empty="–")


def fmt_change(change: float | None, unit: str) -> str:
    return formatting.change_text(change, unit, empty="–")


# The JavaScript bundle of the first pack this process wrote (see ``_write_bundle``).
_bundle: dict[str, str] = {}


def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one classic script that sets window globals (built by
    vl-convert from the versions it renders PNG and SVG with, so pages and images agree)."""
    if "js" not in _bundle:
        _bundle["js"] = vl_convert.javascript_bundle(None)  # type: ignore[arg-type]
    return _bundle["js"]


def _write_bundle(path: Path, renderer: ChartRenderer | None) -> None:
    """The bundle takes vl-convert seconds to build and holds the interpreter meanwhile: the
    first pack has a drawing helper build it (while the pages are built here); later packs of
    the same process copy it (kept after the pack is written, see ``_keep_bundle``)."""
    if "js" in _bundle or renderer is None:
        path.write_text(vega_bundle(), encoding="utf-8")
    else:
        renderer.submit_bundle(path)


def _keep_bundle(path: Path) -> None:
    if "js" not in _bundle and path.is_file():
        _bundle["js"] = path.read_text(encoding="utf-8")


@dataclass
class KpiPage:
    kpi: KpiDefinition
    series: pl.DataFrame  # SPC columns, weekly
    targets: list[TargetStep]
    trajectory: pl.DataFrame
    benchmarks: list[Benchmark]
    status: dict[str, object] | None
    unavailable: str | None

    @property
    def latest(self) -> float | None:
        return float(self.series["value"][-1]) if self.series.height else None

    @property
    def change(self) -> float | None:
        if self.series.height < 2:
            return None
        last, previous = self.series.tail(2)["period_end"].to_list()[::-1]
        if (last - previous).days != 7:
            return None
        return float(self.series["value"][-1] - self.series["value"][-2])

    @property
    def chart_type(self) -> str:
        return clinic_index.latest_verdict(self.series)[0]

    @property
    def rag(self) -> str | None:
        return str(self.status["rag"]) if self.status and self.status.get("rag") else None

    def target_sentence(self) -> str:
        assurance = self.series["assurance"][-1] if self.series.height else None
        return clinic_index.target_sentence(self.rag, assurance)

    def description(self, week_end: dt.date) -> str:
        kpi, unit = self.kpi, self.kpi.unit
        if not self.series.height:
            return f"{kpi.label}: no weekly values up to {week_end:%d %B %Y}."
        s = self.series
        text = [
            f"{kpi.label}, weekly, {s['period_end'][0]:%d %B %Y} to {s['period_end'][-1]:%d %B %Y}"
            f" ({s.height} weeks; {POLARITY_WORDS[kpi.polarity]}).",
            f"Latest week {fmt_value(self.latest, unit)}"
            + (f", {fmt_change(self.change, unit)} on the week before." if self.change is not None
               else "."),
        ]  # fmt: skip
        text += clinic_spc.spc_sentences(s, unit, fmt_value)
        judged = self.target_sentence()
        if self.status:
            text.append(f"Target: {self.status['reason']} (RAG {self.status['rag']}).")
        if judged:
            text.append(f"{judged[0].upper()}{judged[1:]}.")
        for bench in self.benchmarks:
            text.append(f"{bench.name} ({bench.period_end:%b %Y}): {fmt_value(bench.value, unit)}.")
        return " ".join(text)


def _weekly_series(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    kpi: KpiDefinition,
    extract: dt.date,
    week_end: dt.date,
) -> pl.DataFrame:
    if kpi.per_extract:
        # One value per extract: the series is made of successive extracts' values.
        return con.execute(
            """select period_start, period_end, value from kpi.kpi_values
               where la_code = ? and kpi_id = ? and grain = 'week'
                 and extract_date <= ? and period_end <= ?
               qualify row_number() over (partition by period_end
                                          order by extract_date desc) = 1
               order by period_end""",
            [la_code, kpi.id, extract, week_end],
        ).pl()
    return con.execute(
        """select period_start, period_end, value from kpi.kpi_values
           where la_code = ? and kpi_id = ? and grain = 'week' and extract_date = ?
             and period_end <= ?
           order by period_end""",
        [la_code, kpi.id, extract, week_end],
    ).pl()


def _target_steps(
    targets: Sequence[Target], plans: dict[str, Plan], values: pl.DataFrame,
    parameters: dict[str, float],
) -> list[TargetStep]:  # fmt: skip
    ordered = sorted(targets, key=lambda t: t.due)
    steps: list[TargetStep] = []
    for target in ordered:
        value = resolve_target_value(target, values, parameters)
        if value is None:
            continue
        start = steps[-1].due if steps else plans[target.plan_id].issued
        word = "at least" if target.direction == "at_least" else "at most"
        steps.append(
            TargetStep(
                start=start,
                due=target.due,
                value=value,
                label=f"{'illustrative: ' if plans[target.plan_id].illustrative else ''}"
                f"{word} {value:g} by {target.due:%d %b %Y} "
                f"({target.measure.replace('_', ' ')})",
            )
        )
    return steps


def build_pages(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    week: dt.date,
    extract: dt.date,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
) -> list[KpiPage]:
    """Everything the pack shows, KPI by KPI, as at the end of ``week``."""
    week_end = week + dt.timedelta(days=6)
    la_plan_targets, parameters = la_targets(con, la_code, plans)
    values = con.execute(
        "select * from kpi.kpi_values where la_code = ? and extract_date = ?", [la_code, extract]
    ).pl()
    changes = con.execute(
        "select kpi_id, change_date from meta.la_spc_changes where la_code = ?", [la_code]
    ).fetchall()
    notices = notice_dates(con, la_code, plans)
    availability = dict(
        con.execute(
            """select kpi_id, case when available then null else reason end
               from kpi.kpi_availability where la_code = ? and extract_date = ?""",
            [la_code, extract],
        ).fetchall()
    )
    status = con.execute(
        """select * from kpi.kpi_status
           where la_code = ? and extract_date = ? and is_current_target
             and as_at_date = (select max(as_at_date) from kpi.kpi_status
                               where la_code = ? and extract_date = ? and as_at_date <= ?)""",
        [la_code, extract, la_code, extract, week_end],
    ).pl()
    trajectories = con.execute(
        """select kpi_id, as_at_date, max(trajectory_value) as trajectory_value
           from kpi.kpi_status
           where la_code = ? and extract_date = ? and is_current_target and as_at_date <= ?
             and trajectory_value is not null
           group by all order by kpi_id, as_at_date""",
        [la_code, extract, week_end],
    ).pl()
    # Benchmarks as at the week's end: none published for a later period (the chart draws
    # them across the weeks shown, so a 2011 pack never shows a 2025 England line).
    ids = [k.id for k in definitions]
    as_at = published.benchmarks_as_at(
        con, la_code, pl.DataFrame({"kpi_id": ids, "period_end": [week_end] * len(ids)})
    )
    pages = []
    for kpi in definitions:
        kpi_targets = [t for t in la_plan_targets if t.kpi_id == kpi.id]
        steps = _target_steps(kpi_targets, plans, values, parameters)
        current = next((s.value for s in steps if s.due >= week_end), None)
        if current is None and steps:
            current = steps[-1].value
        series = _weekly_series(con, la_code, kpi, extract, week_end)
        dates = sorted(d for k, d in changes if k in (kpi.id, "all"))
        rows = status.filter(pl.col("kpi_id") == kpi.id).sort("due_date")
        # Assurance is judged against the target the RAG is judged against.
        if rows.height and rows["target_value"][0] is not None:
            current = float(rows["target_value"][0])
        spc = clinic_spc.week_spc(con, la_code, kpi, extract, series, notices, dates, current)
        row = as_at.filter(pl.col("kpi_id") == kpi.id).row(0, named=True)
        benchmarks = [
            Benchmark(name, row[f"{prefix}_value"], row[f"{prefix}_period_end"])
            for name, _, prefix in published.KINDS
            if row[f"{prefix}_value"] is not None
        ]
        pages.append(
            KpiPage(
                kpi=kpi,
                series=spc,
                targets=steps,
                trajectory=trajectories.filter(pl.col("kpi_id") == kpi.id),
                benchmarks=benchmarks,
                status=rows.row(0, named=True) if rows.height else None,
                unavailable=availability.get(kpi.id, "not computed for this extract"),
            )
        )
    return pages


# --- rendering -------------------------------------------------------------------------------

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1b1b1b; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1.5rem; }
header { border-bottom: 4px solid #1d70b8; padding-top: 1rem; }
h1 { font-size: 1.6rem; margin: .4rem 0; } h2 { margin-top: 2rem; font-size: 1.25rem; }
a { color: #1d70b8; } nav a { margin-right: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; font-size: .92rem; }
th, td { border: 1px solid #cfcfcf; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f2f1; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.rag { font-weight: 700; padding: .1rem .4rem; border-radius: .2rem; }
.rag-green { background: #cce5d3; color: #0b4d1f; }
.rag-amber { background: #ffe5b3; color: #6b4200; }
.rag-red { background: #f6c6c6; color: #7a0f0f; }
.var-improvement { color: #1f5f99; font-weight: 600; }
.var-concern { color: #a64d00; font-weight: 600; }
.var-neutral { color: #5e3a8c; font-weight: 600; }
svg.icon { vertical-align: middle; } table.values { width: auto; }
.chart { min-height: 330px; } .chart-error { color: #b00020; }
.summary { font-size: 1.05rem; } .muted { color: #505a5f; font-size: .9rem; }
.banner { background: #fff4e5; border-left: 6px solid #f47738; padding: .6rem 1rem; }
footer { border-top: 1px solid #cfcfcf; margin-top: 2rem; padding-bottom: 2rem; }
@media print { nav, .downloads { display: none; } .page { page-break-after: always; } }
"""

# Renders every chart on the page from its inline spec; records how many rendered (the browser
# test reads it) and shows a message instead of a blank space when one fails.
CLINIC_JS = """
(function () {
  var nodes = document.querySelectorAll("[data-spec]");
  var done = 0, failed = 0;
  function finish() {
    document.body.setAttribute("data-charts-rendered", String(done));
    document.body.setAttribute("data-charts-failed", String(failed));
    document.body.setAttribute("data-charts-total", String(nodes.length));
  }
  if (typeof window.vegaEmbed !== "function") {
    failed = nodes.length; finish(); return;
  }
  var jobs = Array.prototype.map.call(nodes, function (node) {
    var spec = JSON.parse(document.getElementById(node.getAttribute("data-spec")).textContent);
    return window.vegaEmbed(node, spec, {actions: false, renderer: "svg"})
      .then(function () { done += 1; })
      .catch(function (error) {
        failed += 1;
        node.innerHTML = '<p class="chart-error">The chart could not be drawn: ' +
          String(error).replace(/</g, "&lt;") + '. Its data is in the table below.</p>';
      });
  });
  Promise.all(jobs).then(finish);
})();
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _rag(status: dict[str, object] | None) -> str:
    if not status or not status.get("rag"):
        return '<span class="muted">no target</span>'
    rag = str(status["rag"])
    return f'<span class="rag rag-{_e(rag)}">{_e(rag.upper())}</span>'


def _against_target(page: KpiPage) -> str:
    """The RAG, the value it judged (the month and the target's measure: not the latest week,
    which may differ) and, in the same sentence, what the process's limits say about it."""
    judged = page.target_sentence()
    return _rag(page.status) + _judged_value(page) + (f": {_e(judged)}" if judged else "")


def _judged_value(page: KpiPage) -> str:
    """`` (March 2024, in the month: 82.0%, below the 85.0% minimum)``."""
    status = page.status
    if not status or status.get("value") is None or not status.get("rag"):
        return ""
    value, target = float(status["value"]), float(status["target_value"])  # type: ignore[arg-type]
    unit, direction = page.kpi.unit, str(status["direction"])
    standing = formatting.against_target(value, target, unit, direction)
    return _e(
        f" ({status['as_at_date']:%B %Y}, {MEASURE_WORDS[str(status['measure'])]}: {standing})"
    )


def _document(title: str, body: str, footer: str, scripts: bool) -> str:
    script_tags = (
        '<script src="assets/vega.js"></script>\n<script src="assets/clinic.js"></script>'
        if scripts
        else ""
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{_e(title)}</title><link rel="stylesheet" href="assets/clinic.css"></head>'
        f'<body>{body}<footer><p class="muted">{_e(footer)}</p></footer>'
        f"{script_tags}</body></html>\n"
    )


def _header(title: str, subtitle: str) -> str:
    return (
        f'<header><nav><a href="index.html">Clinic pack</a><a href="all-charts.html">'
        f'All charts</a><a href="validation.html">Validation report</a></nav>'
        f'<h1>{_e(title)}</h1><p class="muted">{_e(subtitle)}</p></header>'
    )


def _chart_block(page: KpiPage, spec: dict[str, object], anchor: str) -> str:
    kpi = page.kpi
    spec_id = f"spec-{anchor}"
    # "</" would end the script element early.
    payload = json.dumps(spec).replace("</", "<\\/")
    return (
        f'<figure><div class="chart" id="chart-{anchor}" data-spec="{spec_id}" role="img" '
        f'aria-label="{_e(spec.get("description", kpi.label))}"></div>'
        f'<script type="application/json" id="{spec_id}">'
        f"{payload}</script>"
        f'<figcaption class="muted">{_e(spec.get("description", ""))}</figcaption></figure>'
    )


def _data_table(page: KpiPage) -> str:
    unit = page.kpi.unit
    rows = "".join(
        f"<tr><td>{r['period_end']:%d %b %Y}</td><td class=\"num\">{fmt_value(r['value'], unit)}"
        f"</td><td class=\"num\">{fmt_value(r['mean'], unit)}</td>"
        f"<td class=\"num\">{fmt_value(r['lower_process_limit'], unit)}</td>"
        f"<td class=\"num\">{fmt_value(r['upper_process_limit'], unit)}</td>"
        f"<td>{'–' if r['mean'] is None else 'trial' if r['trial_limits'] else 'process'}</td>"
        f"<td>{_e(str(r['variation'] or '–').replace('_', ' '))}"
        + (f" ({_e(str(r['special_cause_rule']).replace('_', ' '))})"
           if r["special_cause_rule"] else "")
        + "</td></tr>"
        for r in page.series.reverse().iter_rows(named=True)
    )  # fmt: skip
    return (
        "<details><summary>The chart's data as a table</summary><table>"
        '<caption>Weekly values, newest first</caption><thead><tr><th scope="col">Week ending'
        '</th><th scope="col">Value</th><th scope="col">Mean</th><th scope="col">Lower '
        'limit</th><th scope="col">Upper limit</th><th scope="col">Limits</th>'
        f'<th scope="col">Variation</th></tr></thead><tbody>{rows}</tbody></table></details>'
    )


def _values_table(page: KpiPage) -> str:
    """One or two values: a table, not a chart of a process."""
    rows = "".join(
        f"<tr><td>{r['period_end']:%d %b %Y}</td>"
        f'<td class="num">{fmt_value(r["value"], page.kpi.unit)}</td></tr>'
        for r in page.series.reverse().iter_rows(named=True)
    )
    return (
        '<table class="values"><caption>Weekly values, newest first</caption><thead><tr>'
        '<th scope="col">Week ending</th><th scope="col">Value</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _kpi_body(page: KpiPage, spec: dict[str, object] | None, standalone: bool) -> str:
    kpi, unit = page.kpi, page.kpi.unit
    heading = "h1" if standalone else "h2"
    parts = [f'<section class="page" id="{_e(kpi.id)}"><{heading}>{_e(kpi.label)}</{heading}>']
    if page.unavailable:
        text = eras.availability_text(page.unavailable)
        parts.append(f"<p>{_e(text[0].upper() + text[1:])}.</p></section>")
        return "".join(parts)
    status = page.status
    parts.append(
        f'<p class="summary">Latest week: <strong>{fmt_value(page.latest, unit)}</strong> '
        f"({_e(fmt_change(page.change, unit))} on last week). RAG: {_against_target(page)}. "
        f"Variation: {clinic_index.variation_cell(page.series)}.</p>"
    )
    if status:
        trajectory = status.get("trajectory_value")
        parts.append(
            f"<p>Target: {_e(status['reason'])}"
            + (f"; trajectory now {fmt_value(float(trajectory), unit)}"  # type: ignore[arg-type]
               if trajectory is not None else "")
            + (". <strong>Slow to progress.</strong>" if status.get("slow_to_progress") else ".")
            + "</p>"
        )  # fmt: skip
    parts.append(f"<p>{_e(' '.join(kpi.description.split()))}</p>")
    if spec is not None:
        parts.append(_chart_block(page, spec, kpi.id))
        if standalone:
            parts.append(
                f'<p class="downloads">For papers: <a href="charts/{_e(kpi.id)}.png">PNG</a> · '
                f'<a href="charts/{_e(kpi.id)}.svg">SVG</a></p>'
            )
        parts.append(
            _data_table(page)
            if page.chart_type == "xmr"
            else f"<details><summary>The chart's data as a table</summary>{_values_table(page)}"
            "</details>"
        )
    elif page.series.height:
        parts.append(
            f"<p>{_e(' '.join(clinic_spc.spc_sentences(page.series, unit, fmt_value)))}</p>"
        )
        parts.append(_values_table(page))
    else:
        parts.append("<p>No weekly values yet.</p>")
    if standalone:
        assumptions = "".join(f"<li>{_e(a)}</li>" for a in kpi.assumptions)
        parts.append(
            f"<details><summary>Definition details</summary><p>Source: {_e(kpi.source)}. "
            f"Polarity: {_e(POLARITY_WORDS[kpi.polarity])}.</p><ul>{assumptions}</ul></details>"
        )
    parts.append("</section>")
    return "".join(parts)


def _index_row(page: KpiPage) -> str:
    kpi, unit = page.kpi, page.kpi.unit
    if page.unavailable:
        return (
            f'<tr><th scope="row">{_e(kpi.label)}</th><td colspan="4" class="muted">'
            f"{_e(eras.availability_text(page.unavailable))}</td></tr>"
        )
    slow = (
        " <strong>slow to progress</strong>" if (page.status or {}).get("slow_to_progress") else ""
    )
    return (
        f'<tr><th scope="row"><a href="{_e(kpi.id)}.html">{_e(kpi.label)}</a></th>'
        f'<td class="num">{fmt_value(page.latest, unit)}</td>'
        f'<td class="num">{_e(fmt_change(page.change, unit))}</td>'
        f"<td>{_against_target(page)}{slow}</td>"
        f"<td>{clinic_index.variation_cell(page.series)}</td></tr>"
    )


def _index_body(pages: Sequence[KpiPage], la_plans: Sequence[Plan], banner: str) -> str:
    by_id = {p.kpi.id: p for p in pages}
    header = (
        '<thead><tr><th scope="col">KPI</th><th scope="col">Latest week</th>'
        '<th scope="col">Change on last week</th><th scope="col">Against target</th>'
        '<th scope="col">Variation (SPC)</th></tr></thead>'
    )
    summary = [(f"{p.kpi.id}.html", p.kpi.label, p.series) for p in pages if not p.unavailable]
    sections, shown = [banner, clinic_index.summary_table(summary)], set()
    for plan in la_plans:
        sections.append(f"<h2>{_e(plan.title)}</h2>")
        if plan.illustrative:
            sections.append(f"<p>{_e(ILLUSTRATIVE_NOTE)}</p>")
        for area_id, area_title in plan.areas.items():
            ids = [t.kpi_id for t in plan.targets if t.area == area_id]
            ids += [p.kpi.id for p in pages if area_id in p.kpi.notice_areas]
            ids = list(dict.fromkeys(i for i in ids if i in by_id))
            if not ids:
                continue
            shown.update(ids)
            rows = "".join(_index_row(by_id[i]) for i in ids)
            sections.append(
                f"<h3>{_e(area_title)}</h3><table>{header}<tbody>{rows}</tbody></table>"
            )
    rest = [p for p in pages if p.kpi.id not in shown]
    if rest:
        sections.append("<h2>Other KPIs</h2>")
        for area, title in figures.AREA_TITLES.items():
            rows = "".join(_index_row(p) for p in rest if p.kpi.area == area)
            if rows:
                sections.append(f"<h3>{_e(title)}</h3><table>{header}<tbody>{rows}</tbody></table>")
    return "<main>" + "".join(sections) + "</main>"


@dataclass(frozen=True)
class ClinicPack:
    folder: Path
    week: dt.date
    extract_date: dt.date
    charts: int
    kpis_shown: int


def write_clinic_pack(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    week: dt.date,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
    published_dir: Path,
    run_id: str,
    images: bool = True,
) -> ClinicPack:
    """Write the pack for ``week`` (its Monday), replacing that week's pack only when every page
    was written. Raises ``figures.NotPublishable`` when a blocking check of the extract it would
    show failed: the previous pack stays."""
    contents = read_clinic_pack(con, la_code, week, definitions, plans, run_id)
    return render_clinic_pack(contents, published_dir, images)


@dataclass(frozen=True)
class PackContents:
    """Everything a pack shows, read from the warehouse (drawing it needs no connection)."""

    la_code: str
    week: dt.date
    extract: dt.date
    provenance: figures.Provenance
    la_plans: list[Plan]
    pages: list[KpiPage]


def read_clinic_pack(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    week: dt.date,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
    run_id: str,
) -> PackContents:
    """What the pack for ``week`` shows (see :func:`write_clinic_pack`)."""
    week = week_start(week + dt.timedelta(days=6))
    extract = extract_for_week(con, la_code, week)
    if extract is None:
        raise figures.NotPublishable(
            la_code, None, [f"no extract with KPIs computed covers the week of {week:%d %B %Y}"]
        )
    figures.check_publishable(con, la_code, extract)
    return PackContents(
        la_code,
        week,
        extract,
        figures.provenance(con, la_code, extract, run_id),
        figures.la_plans(con, la_code, plans),
        build_pages(con, la_code, week, extract, definitions, plans),
    )


def render_clinic_pack(
    contents: PackContents, published_dir: Path, images: bool = True
) -> ClinicPack:
    """Write a pack read by :func:`read_clinic_pack` (with PNG and SVG unless ``images`` is
    false), replacing that week's pack only when every page was written."""
    la_code, week, extract = contents.la_code, contents.week, contents.extract
    provenance, la_plans, pages = contents.provenance, contents.la_plans, contents.pages
    week_end = week + dt.timedelta(days=6)
    title = f"Performance clinic: {provenance.la_name}, week ending {week_end:%d %B %Y}"
    restated = extract > week_end + dt.timedelta(days=6)
    footer = provenance.footer() + (
        f" Restated: no extract of the week itself had KPIs computed; figures are from the "
        f"extract of {extract:%d %B %Y}, cut at the week's end."
        if restated
        else ""
    )
    target_dir = internal_outputs(published_dir, la_code) / "clinic" / week.isoformat()
    with (
        folders.replacing(target_dir) as staging,
        ChartRenderer() if images else contextlib.nullcontext() as renderer,
    ):
        (staging / "assets").mkdir()
        (staging / "charts").mkdir()
        _write_bundle(staging / "assets" / "vega.js", renderer)
        specs: dict[str, dict[str, object]] = {}
        for page in pages:
            if page.unavailable or page.chart_type not in ("xmr", "run_chart"):
                continue
            drawn = specs[page.kpi.id] = xmr_spec(
                page.series,
                f"{page.kpi.label} (weekly)",
                page.kpi.unit,
                targets=page.targets,
                trajectory=page.trajectory,
                benchmarks=page.benchmarks,
                description=page.description(week_end),
            )
            if renderer is not None:  # drawn by the helper process while the pages are built
                charts = staging / "charts"
                renderer.submit(
                    marking.mark_chart_spec(drawn),
                    charts / f"{page.kpi.id}.svg",
                    charts / f"{page.kpi.id}.png",
                )
        (staging / "assets" / "clinic.css").write_text(CSS, encoding="utf-8")
        (staging / "assets" / "clinic.js").write_text(CLINIC_JS, encoding="utf-8")
        subtitle = (
            f"Weekly series to {week_end:%d %B %Y} from the extract of {extract:%d %B %Y}. "
            "SPC: Making Data Count XmR rules; targets from the LA's notice or plan."
        )
        banner = site.validation_note(provenance)
        (staging / "index.html").write_text(
            _document(title, _header(title, subtitle) + _index_body(pages, la_plans, banner),
                      footer, scripts=False),
            encoding="utf-8",
        )  # fmt: skip
        for page in pages:
            spec = specs.get(page.kpi.id)
            (staging / f"{page.kpi.id}.html").write_text(
                _document(
                    f"{page.kpi.label}: {title}",
                    _header(title, subtitle) + "<main>" + _kpi_body(page, spec, True) + "</main>",
                    footer,
                    scripts=spec is not None,
                ),
                encoding="utf-8",
            )
        everything = "".join(_kpi_body(p, specs.get(p.kpi.id), False) for p in pages
                             if not p.unavailable)  # fmt: skip
        (staging / "all-charts.html").write_text(
            _document(f"All charts: {title}", _header(title, subtitle) + "<main>" + everything
                      + "</main>", footer, scripts=True),
            encoding="utf-8",
        )  # fmt: skip
        report = internal_outputs(published_dir, la_code) / "validation" / f"{extract}.html"
        if report.is_file():
            shutil.copyfile(report, staging / "validation.html")
        else:
            (staging / "validation.html").write_text(
                _document("Validation report", "<main><p>The validation report of this extract "
                          "was not found.</p></main>", footer, scripts=False),
                encoding="utf-8",
            )  # fmt: skip
        marking.mark_html_files(staging)  # internal: unsuppressed figures
    _keep_bundle(target_dir / "assets" / "vega.js")
    return ClinicPack(target_dir, week, extract, len(specs), sum(not p.unavailable for p in pages))
