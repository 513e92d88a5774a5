"""The board report as one static HTML page: inline CSS, no scripts, no external resources, one
printed page per notice area."""

import html
from collections.abc import Sequence

from pipelines.lib.publish import style
from pipelines.lib.publish.board import charts, milestone_table, service_tables, tables
from pipelines.lib.publish.board.content import AreaPage, BoardContent

# The one stylesheet (publish/style.css, with the one RAG palette) and what only the board has:
# a page of its own width, table captions, the notice and provenance boxes, and printing one
# notice area per A4 landscape page.
BOARD_ONLY = """
body { margin: 2rem; max-width: 90rem; }
h3 { font-size: 1.05rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
tbody th { font-weight: 600; background: #fafafa; }
.notice { border-left: 4px solid #1d70b8; background: #f3f7fb; padding: .5rem 1rem; }
.provenance { font-size: .85rem; color: #444; }
footer { max-width: none; padding: 0; font-size: .85rem; color: #444; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 9pt; }
  section.area, section.slow { break-before: page; page-break-before: always; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; }
  nav { display: none; }
}
"""


def _html_table(caption: str, header: Sequence[str], rows: list[list[tables.Cell]]) -> str:
    out = [f"<table><caption>{html.escape(caption)}</caption><thead><tr>"]
    out += [f'<th scope="col">{html.escape(h)}</th>' for h in header]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for i, (text, rag) in enumerate(row):
            cls = f' class="rag rag-{rag}"' if rag in tables.RAG_COLOURS else ""
            if i == 0:
                out.append(f'<th scope="row"{cls}>{html.escape(text)}</th>')
            else:
                out.append(f"<td{cls}>{html.escape(text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _sentence_list(area: AreaPage) -> list[str]:
    lines = tables.sentence_lines(area)
    if not lines:
        return []
    items = [f"<li>{html.escape(line)}</li>" for line in lines]
    return [f"<h3>{html.escape(tables.SENTENCES_HEADING)}</h3><ul>", *items, "</ul>"]


def render_html(content: BoardContent) -> str:
    """A static page: inline CSS, no scripts, no external resources; one printed page per area."""
    e = html.escape
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(content.heading)}, {content.period_end:%B %Y}</title>",
        f"<style>{style.stylesheet()}{BOARD_ONLY}{charts.CHART_CSS}</style></head><body>",
        "<header>",
        f"<h1>{e(content.heading)}</h1>",
        f"<p><strong>{e(content.period_text)}.</strong></p>",
        *[f"<p>{e(line)}</p>" for line in tables.plan_lines(content)],
        f'<p class="notice">{e(content.audience_note)}</p>',
        f'<p class="provenance">{e(content.footer)}</p>',
        "</header>",
        '<nav aria-label="Notice areas"><h2>Contents</h2><ol>',
        '<li><a href="#milestones">Milestones</a></li>',
        '<li><a href="#slow">Objectives slow to progress</a></li>',
        *(['<li><a href="#by-service">Teams and services</a></li>'] if content.service else []),
        *[
            f'<li><a href="#area-{e(a.plan_id)}-{e(a.area_id)}">{e(a.title)}</a></li>'
            for a in content.areas
        ],
        "</ol></nav>",
        "<section><h2>Summary</h2>",
        _html_table(
            f"Targets by RAG at the end of {content.period_end:%B %Y}",
            tables.SUMMARY_HEADER,
            tables.summary_rows(content),
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
                tables.SLOW_HEADER,
                tables.slow_rows(content),
            )
        )
    else:
        out.append("<p>No objective is slow to progress.</p>")
    out.append("</section>")
    if content.service:
        out.append(f'<section class="area" id="by-service"><h2>{service_tables.SECTION_TITLE}</h2>')
        for grid in service_tables.grids(content.service):
            out.append(_html_table(grid.caption, grid.header, service_tables.text_rows(grid)))
            out.append(f'<p class="provenance">{e(grid.note)}</p>')
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
                    tables.TARGET_HEADER,
                    tables.target_rows(content, area),
                )
            )
            out.append(
                _html_table(
                    tables.HISTORY_CAPTION,
                    tables.history_header(content),
                    tables.history_rows(area),
                )
            )
            out.append("<h3>Targets as set</h3><ul>")
            out += [f"<li>{e(t.label)}: {e(t.quote)}</li>" for t in area.targets]
            out.append("</ul>")
            out += charts.html_figures(content, area)
        else:
            out.append("<p>No target in this area.</p>")
        if area.evidence:
            out.append(
                _html_table(
                    "Other KPIs evidencing this area",
                    tables.EVIDENCE_HEADER,
                    tables.evidence_rows(content, area),
                )
            )
        out += _sentence_list(area)
        out.append("</section>")
    out += [f"<footer><p>{e(content.footer)}</p></footer>", "</body></html>"]
    return "\n".join(out)
