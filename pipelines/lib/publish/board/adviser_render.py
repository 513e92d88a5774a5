"""The adviser report's own part, laid out first in the board report's page, document and
workbook: the board renderers lay out the figures both reports share, and this module puts the
since-last-report part before them, so neither renderer has to know about the other."""

import html
from typing import Any

from docx.document import Document as DocxDocument
from docx.shared import Mm
from openpyxl import Workbook

from pipelines.lib.publish import cells
from pipelines.lib.publish.adviser_progress import RULES
from pipelines.lib.publish.board import adviser_content as ac
from pipelines.lib.publish.board.render_docx import _docx_table
from pipelines.lib.publish.board.render_html import _html_table
from pipelines.lib.publish.board.render_xlsx import (
    BOLD,
    _number,
    _widths,
    _xlsx_lines,
    _xlsx_table,
)
from pipelines.lib.publish.board.tables import rag_text

SLOW_TITLE = "Objectives slow to progress"
CONTRIBUTIONS_TITLE = "Contributions to strengthen"
SUMMARY_TITLE = "Summary from the analyst"


def no_slow_text(section: ac.AdviserSection) -> str:
    return f"No objective is slow to progress at the end of {section.month_now:%B %Y}."


NO_CONTRIBUTION = "No area gives concern, and the analyst names no contribution to strengthen."


def html_section(section: ac.AdviserSection) -> str:
    """The since-last-report part as HTML (every text escaped)."""
    e = html.escape
    out = [f'<section id="since-last-report"><h2>{e(ac.heading(section))}</h2>']
    out += [f"<p>{e(line)}</p>" for line in ac.intro_lines(section)]
    out.append(f'<p class="notice">{e(RULES)}</p>')
    out.append(f"<p><em>{e(ac.commentary_notice(section))}</em></p>")
    if section.commentary and section.commentary.summary:
        out.append(f"<h3>{SUMMARY_TITLE}</h3><p>{e(section.commentary.summary)}</p>")
    for area in section.areas:
        out.append(f"<h3>{e(ac.area_title(area))}</h3>")
        if area.measures:
            out.append(
                _html_table(
                    ac.measure_caption(section),
                    ac.measure_header(section),
                    ac.measure_rows(area),
                )
            )
        else:
            out.append(f"<p>{e(ac.NO_MEASURE)}</p>")
        if text := ac.notes_for(section, area.area_id).commentary:
            out.append(f"<p><strong>Commentary:</strong> {e(text)}</p>")
        if actions := ac.action_rows(section, area.area_id):
            out.append(_html_table("Actions", ac.ACTION_HEADER, actions))
    out.append(f'</section><section id="adviser-slow"><h2>{SLOW_TITLE}</h2>')
    if rows := ac.slow_rows(section):
        out.append(_html_table(f"At the end of {section.month_now:%B %Y}", ac.SLOW_HEADER, rows))
    else:
        out.append(f"<p>{e(no_slow_text(section))}</p>")
    out.append(f'</section><section id="contributions"><h2>{CONTRIBUTIONS_TITLE}</h2>')
    if rows := ac.contribution_rows(section):
        out.append(
            _html_table(
                "Areas giving concern, and where the analyst names a contribution",
                ac.CONTRIBUTIONS_HEADER,
                rows,
            )
        )
    else:
        out.append(f"<p>{e(NO_CONTRIBUTION)}</p>")
    out.append("</section>")
    return "\n".join(out)


def insert_html(page: str, section: ac.AdviserSection) -> str:
    """The board page with the adviser part first, straight after its header."""
    at = page.index("</header>") + len("</header>")
    return page[:at] + "\n" + html_section(section) + page[at:]


def insert_docx(document: DocxDocument, section: ac.AdviserSection) -> None:
    """Add the adviser part to the board document, moved before its first section heading (the
    board's summary), then a page break."""
    body = document.element.body
    anchor = next(
        p._p
        for p in document.paragraphs
        if p.style is not None and p.style.name == "Heading 1"
    )  # fmt: skip
    before = len(body)
    _docx_part(document, section)
    document.add_page_break()
    # New elements go before the section properties, the body's last child.
    added = list(body)[before - 1 : -1]
    for element in added:
        anchor.addprevious(element)


# Column widths (mm) of the document's tables, on A4 landscape's 273 mm between the margins.
MEASURE_MM = (125, 22, 22, 26, 78)
SLOW_MM = (80, 70, 20, 103)
CONTRIBUTIONS_MM = (80, 25, 80, 88)
ACTION_MM = (150, 70, 53)


def _docx_widths(table: Any, widths: tuple[int, ...]) -> None:
    """Word reads the cells' widths, LibreOffice the grid's: set both."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)


def _docx_part(doc: Any, section: ac.AdviserSection) -> None:
    doc.add_heading(ac.heading(section), level=1)
    for line in ac.intro_lines(section):
        doc.add_paragraph(line)
    doc.add_paragraph(RULES).runs[0].italic = True
    doc.add_paragraph(ac.commentary_notice(section)).runs[0].italic = True
    if section.commentary and section.commentary.summary:
        doc.add_heading(SUMMARY_TITLE, level=2)
        doc.add_paragraph(section.commentary.summary)
    for area in section.areas:
        doc.add_heading(ac.area_title(area), level=2)
        if area.measures:
            rows = ac.measure_rows(area)
            _docx_widths(_docx_table(doc, ac.measure_header(section), rows), MEASURE_MM)
        else:
            doc.add_paragraph(ac.NO_MEASURE)
        if text := ac.notes_for(section, area.area_id).commentary:
            paragraph = doc.add_paragraph()
            paragraph.add_run("Commentary: ").bold = True
            paragraph.add_run(text)
        if actions := ac.action_rows(section, area.area_id):
            _docx_widths(_docx_table(doc, ac.ACTION_HEADER, actions), ACTION_MM)
    doc.add_heading(SLOW_TITLE, level=1)
    if rows := ac.slow_rows(section):
        _docx_widths(_docx_table(doc, ac.SLOW_HEADER, rows), SLOW_MM)
    else:
        doc.add_paragraph(no_slow_text(section))
    doc.add_heading(CONTRIBUTIONS_TITLE, level=1)
    if rows := ac.contribution_rows(section):
        _docx_widths(_docx_table(doc, ac.CONTRIBUTIONS_HEADER, rows), CONTRIBUTIONS_MM)
    else:
        doc.add_paragraph(NO_CONTRIBUTION)


XLSX_MEASURE_HEADER = ("Notice area", "Area: progress or concern", "KPI", "Figure then",
                       "Period then", "Figure now", "Period now", "Since the last report",
                       "RAG then", "RAG now", "Progress or concern", "Why")  # fmt: skip
XLSX_ACTION_HEADER = ("Notice area", "Action", "Owner", "Due")
XlsxRow = list[tuple[Any, str | None, str | None]]


def _text(*values: str) -> XlsxRow:
    return [(v, None, None) for v in values]


def insert_xlsx(workbook: Workbook, section: ac.AdviserSection) -> None:
    """Two sheets first in the board workbook: the since-last-report part (figures as numbers,
    RAG in its own columns) and the analyst's actions."""
    ws = workbook.create_sheet("Since the last report", 0)
    lines = [*ac.intro_lines(section), RULES, ac.commentary_notice(section)]
    if section.commentary and section.commentary.summary:
        lines.append(f"{SUMMARY_TITLE}: {section.commentary.summary}")
    top = _xlsx_lines(ws, lines, ac.heading(section))
    rows: list[XlsxRow] = []
    for area in section.areas:
        title = " ".join(area.title.split())
        verdict = ac.VERDICT_TEXT[area.verdict]
        for m in area.measures:
            unit = m.kpi.unit
            rows.append(
                [
                    *_text(title, verdict, m.kpi.label),
                    _number(m.then.value, unit),
                    *_text(m.then.when),
                    _number(m.now.value, unit),
                    *_text(m.now.when, m.sentence),
                    (rag_text(m.rag_then), m.rag_then, None),
                    (rag_text(m.rag_now), m.rag_now, None),
                    *_text(ac.VERDICT_TEXT[m.verdict], m.why),
                ]
            )
        if not area.measures:
            rows.append(_text(title, verdict, ac.NO_MEASURE, *[""] * 9))
    after = _xlsx_table(ws, top, XLSX_MEASURE_HEADER, rows)
    ws.freeze_panes = ws.cell(row=top + 1, column=4)
    ws.print_title_rows = f"{top}:{top}"  # the measures' header on every printed page
    commentary = [
        _text(" ".join(a.title.split()), ac.notes_for(section, a.area_id).commentary)
        for a in section.areas
    ]
    after = _xlsx_table(ws, after, ("Notice area", "Commentary (the analyst)"), commentary)
    cells.openpyxl_cell(ws, after, 1, SLOW_TITLE).font = BOLD
    slow = [[(text, rag, None) for text, rag in row] for row in ac.slow_rows(section)]
    after = _xlsx_table(ws, after + 1, ac.SLOW_HEADER, slow or [_text(no_slow_text(section))])
    cells.openpyxl_cell(ws, after, 1, CONTRIBUTIONS_TITLE).font = BOLD
    given = [[(text, rag, None) for text, rag in row] for row in ac.contribution_rows(section)]
    _xlsx_table(ws, after + 1, ac.CONTRIBUTIONS_HEADER, given or [_text(NO_CONTRIBUTION)])
    _widths(ws, (40, 16, 36, 12, 24, 12, 24, 70, 10, 10, 14, 36))
    cells.print_landscape_a4(ws, fit_width=True)

    ws = workbook.create_sheet("Actions", 1)
    top = _xlsx_lines(ws, [ac.commentary_notice(section)], "Actions (the analyst)")
    actions = [
        [
            *_text(" ".join(area.title.split()), action.action, action.owner),
            (action.due, None, "dd mmm yyyy"),
        ]
        for area in section.areas
        for action in ac.notes_for(section, area.area_id).actions
    ]
    _xlsx_table(ws, top, XLSX_ACTION_HEADER, actions)
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    ws.print_title_rows = f"{top}:{top}"
    _widths(ws, (40, 70, 30, 14))
    cells.print_landscape_a4(ws, fit_width=True)
    workbook.active = 0
