"""The HTML of a clinic pack: the index, one page per KPI and the page of every chart, from the
pages ``clinic_read`` read (see ``clinic`` for the files a pack holds). Every page links the one
stylesheet (``style``, copied to ``assets/clinic.css``) and, where it has charts, the local
Vega bundle and ``assets/clinic.js``."""

import html
import json
from collections.abc import Sequence

from pipelines.lib import formatting
from pipelines.lib.kpi import eras
from pipelines.lib.kpi.milestones import MEASURE_WORDS
from pipelines.lib.kpi.targets import ILLUSTRATIVE_NOTE, Plan
from pipelines.lib.publish import clinic_index, clinic_spc, figures
from pipelines.lib.publish.clinic_page import POLARITY_WORDS, KpiPage, fmt_change, fmt_value

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


def _index_body(pages: Sequence[KpiPage], la_plans: Sequence[Plan], banner: str, teams: str) -> str:
    by_id = {p.kpi.id: p for p in pages}
    header = (
        '<thead><tr><th scope="col">KPI</th><th scope="col">Latest week</th>'
        '<th scope="col">Change on last week</th><th scope="col">Against target</th>'
        '<th scope="col">Variation (SPC)</th></tr></thead>'
    )
    summary = [(f"{p.kpi.id}.html", p.kpi.label, p.series) for p in pages if not p.unavailable]
    sections, shown = [banner, teams, clinic_index.summary_table(summary)], set()
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


Specs = dict[str, dict[str, object]]


def index_page(
    title: str, subtitle: str, footer: str, pages: Sequence[KpiPage], la_plans: Sequence[Plan],
    banner: str, teams: str = "",
) -> str:  # fmt: skip
    """The index; ``teams`` is the section linking the service-area and team pages."""
    body = _header(title, subtitle) + _index_body(pages, la_plans, banner, teams)
    return _document(title, body, footer, scripts=False)


def kpi_page(title: str, subtitle: str, footer: str, page: KpiPage, specs: Specs) -> str:
    spec = specs.get(page.kpi.id)
    body = _header(title, subtitle) + "<main>" + _kpi_body(page, spec, True) + "</main>"
    return _document(f"{page.kpi.label}: {title}", body, footer, scripts=spec is not None)


def all_charts_page(
    title: str, subtitle: str, footer: str, pages: Sequence[KpiPage], specs: Specs
) -> str:
    everything = "".join(
        _kpi_body(p, specs.get(p.kpi.id), False) for p in pages if not p.unavailable
    )
    body = _header(title, subtitle) + "<main>" + everything + "</main>"
    return _document(f"All charts: {title}", body, footer, scripts=True)


def plain_page(page_title: str, title: str, subtitle: str, footer: str, main: str) -> str:
    """A page of the pack with no chart (the service-area and team pages): its header, ``main``
    and its footer."""
    return _document(f"{page_title}: {title}", _header(title, subtitle) + main, footer, False)


def missing_validation_page(footer: str) -> str:
    body = "<main><p>The validation report of this extract was not found.</p></main>"
    return _document("Validation report", body, footer, scripts=False)
