"""The adviser report's own part, laid out first in the board report's page, document and
workbook: the board renderers lay out the figures both reports share, and this module puts the
since-last-report part before them, so neither renderer has to know about the other."""

import html
from typing import Any

from docx.document import Document as DocxDocument
from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.lib.publish.adviser_progress import RULES
from pipelines.lib.publish.board import adviser_content as ac
from pipelines.lib.publish.board.render_docx import _docx_table
from pipelines.lib.publish.board.render_html import _html_table
from pipelines.lib.publish.board.render_xlsx import _number
from pipelines.lib.publish.xlsx_tables import TableSheet, add_table_sheet

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
                       "Last report RAG", "Current RAG", "Progress or concern", "Why")  # fmt: skip
XLSX_ACTION_HEADER = ("Notice area", "Action", "Owner", "Due")
MEASURE_UNITS = ("label", "text", "label", "number", "text", "number", "text", "note", "rag",
                 "rag", "text", "note")  # fmt: skip


def _plain(rows: list[list[tuple[str, str | None]]]) -> list[list[Any]]:
    """Shared (text, rag) rows as workbook cells: a RAG column holds the RAG itself (its word
    and colour come from the sheet), other columns their text."""
    return [
        [rag if rag in ("green", "amber", "red") else text for text, rag in row] for row in rows
    ]


def _first(workbook: Workbook, sheet: Worksheet, position: int) -> None:
    workbook.move_sheet(sheet, offset=position - workbook.sheetnames.index(sheet.title))


def insert_xlsx(workbook: Workbook, section: ac.AdviserSection) -> None:
    """Two sheets first in the board workbook: the since-last-report part (figures as numbers,
    RAG in its own columns) and the analyst's actions."""
    lines = [*ac.intro_lines(section), RULES, ac.commentary_notice(section)]
    if section.commentary and section.commentary.summary:
        lines.append(f"{SUMMARY_TITLE}: {section.commentary.summary}")
    sheet = TableSheet(workbook, "Since the last report")
    sheet.lines(lines, title=ac.heading(section))
    rows: list[list[Any]] = []
    for area in section.areas:
        title = " ".join(area.title.split())
        verdict = ac.VERDICT_TEXT[area.verdict]
        rows += [
            [title, verdict, m.kpi.label, _number(m.then.value, m.kpi.unit), m.then.when,
             _number(m.now.value, m.kpi.unit), m.now.when, m.sentence, m.rag_then, m.rag_now,
             ac.VERDICT_TEXT[m.verdict], m.why]
            for m in area.measures
        ]  # fmt: skip
        if not area.measures:
            rows.append([title, verdict, ac.NO_MEASURE, None, "", None, "", "", None, None, "", ""])
    sheet.table(XLSX_MEASURE_HEADER, rows, MEASURE_UNITS)
    commentary = [
        [" ".join(a.title.split()), ac.notes_for(section, a.area_id).commentary]
        for a in section.areas
    ]
    sheet.table(("Notice area", "Commentary (the analyst)"), commentary, ("label", "note"))
    sheet.heading(SLOW_TITLE)
    slow = _plain(ac.slow_rows(section)) or [["", "", None, no_slow_text(section)]]
    sheet.table(ac.SLOW_HEADER, slow, ("label", "label", "rag", "note"))
    sheet.heading(CONTRIBUTIONS_TITLE)
    given = _plain(ac.contribution_rows(section)) or [["", "", "", NO_CONTRIBUTION]]
    sheet.table(ac.CONTRIBUTIONS_HEADER, given, ("label", "text", "note", "note"))
    _first(workbook, sheet.finish(), 0)

    actions = [
        [" ".join(area.title.split()), action.action, action.owner, action.due]
        for area in section.areas
        for action in ac.notes_for(section, area.area_id).actions
    ]
    _first(
        workbook,
        add_table_sheet(
            workbook, "Actions", XLSX_ACTION_HEADER, actions, ("label", "note", "text", "day"),
            intro=[ac.commentary_notice(section)], heading="Actions (the analyst)",
        ),
        1,
    )  # fmt: skip
    workbook.active = 0
