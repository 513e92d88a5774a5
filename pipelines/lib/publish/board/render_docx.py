"""The board report as a Word document for committee papers: A4 landscape, a page per notice
area, the same tables as the HTML page."""

from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable

from pipelines.lib.publish.board import charts, milestone_table, service_tables, tables
from pipelines.lib.publish.board.content import BoardContent


def _docx_table(doc: Any, header: Sequence[str], rows: list[list[tables.Cell]]) -> DocxTable:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    # Repeat the header row on each printed page, which also marks it as a header for
    # screen readers.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        _docx_fill(cell, "EEEEEE")
    for row in rows:
        cells = table.add_row().cells
        for cell, (text, rag) in zip(cells, row, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            if rag in tables.RAG_COLOURS:
                run.bold = True
                _docx_fill(cell, tables.RAG_COLOURS[rag][0])
    return table


def _docx_fill(cell: Any, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def render_docx(content: BoardContent) -> DocxDocument:
    """The Word version for committee papers: A4 landscape, a page per notice area."""
    doc = Document()
    doc.styles["Normal"].font.size = Pt(9)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))
    section.footer.paragraphs[0].text = content.footer
    doc.core_properties.title = content.heading
    doc.add_heading(content.heading, level=0)
    doc.add_paragraph().add_run(content.period_text + ".").bold = True
    for line in tables.plan_lines(content):
        doc.add_paragraph(line)
    doc.add_paragraph(content.audience_note).runs[0].italic = True
    doc.add_heading("Summary", level=1)
    _docx_table(doc, tables.SUMMARY_HEADER, tables.summary_rows(content))
    doc.add_heading("Milestones", level=1)
    doc.add_paragraph(milestone_table.CAPTION)
    _docx_table(doc, milestone_table.HEADER, milestone_table.rows(content.milestones))
    doc.add_heading("Objectives slow to progress", level=1)
    if content.slow:
        _docx_table(doc, tables.SLOW_HEADER, tables.slow_rows(content))
    else:
        doc.add_paragraph("No objective is slow to progress.")
    if content.service:
        doc.add_page_break()
        doc.add_heading(service_tables.SECTION_TITLE, level=1)
        for grid in service_tables.grids(content.service):
            doc.add_heading(grid.caption, level=2)
            _docx_table(doc, grid.header, service_tables.text_rows(grid))
            doc.add_paragraph(grid.note)
    for area in content.areas:
        doc.add_page_break()
        doc.add_heading(area.title, level=1)
        if area.targets:
            doc.add_heading("KPIs with a target (slow to progress first)", level=2)
            _docx_table(doc, tables.TARGET_HEADER, tables.target_rows(content, area))
            doc.add_heading(tables.HISTORY_CAPTION, level=2)
            _docx_table(doc, tables.history_header(content), tables.history_rows(area))
            doc.add_heading("Targets as set", level=2)
            for t in area.targets:
                doc.add_paragraph(f"{t.label}: {t.quote}", style="List Bullet")
            charts.add_docx_figures(doc, content, area)
        else:
            doc.add_paragraph("No target in this area.")
        if area.evidence:
            doc.add_heading("Other KPIs evidencing this area", level=2)
            _docx_table(doc, tables.EVIDENCE_HEADER, tables.evidence_rows(content, area))
        if lines := tables.sentence_lines(area):
            doc.add_heading(tables.SENTENCES_HEADING, level=2)
            for line in lines:
                doc.add_paragraph(line, style="List Bullet")
    doc.add_paragraph(content.footer)
    return doc
