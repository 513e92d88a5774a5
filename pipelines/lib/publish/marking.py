"""The protective marking of outputs for internal meetings.

The clinic pack and the board and adviser reports show small numbers unsuppressed (a clinic
discusses the one child under 16 in unregulated accommodation by name), so they are not for
publication: they are written under ``data/published/<la>/internal/`` and every page and file
carries ``MARKING`` (HTML at the top and bottom of the page, XLSX in every sheet's header and
footer, DOCX in every section's header, a chart's PNG and SVG under its title; the validation
report, under ``internal/validation/``, like the pages). What may be made public is written under
``public/``, after disclosure control (``disclosure.py``).
"""

from pathlib import Path

from docx.document import Document as DocxDocument
from openpyxl import Workbook

MARKING = "OFFICIAL-SENSITIVE"
MARKING_NOTE = (
    f"{MARKING}: for internal meetings of the council and its improvement partners. Small "
    "numbers are not suppressed; do not publish or share outside them."
)
_STYLE = (
    "background:#1b1b1b;color:#fff;font-weight:bold;text-align:center;padding:.3rem;"
    "letter-spacing:.05em;font-family:system-ui,sans-serif"
)


def marking_bar(where: str) -> str:
    """The marking as an HTML bar; ``where`` is ``top`` or ``bottom`` (a class for print CSS)."""
    return f'<div class="marking marking-{where}" role="note" style="{_STYLE}">{MARKING_NOTE}</div>'


def mark_html(page: str) -> str:
    """``page`` with the marking bar first and last in its body. Idempotent."""
    if 'class="marking ' in page:
        return page
    start = page.index(">", page.index("<body")) + 1
    end = page.rindex("</body>")
    return page[:start] + marking_bar("top") + page[start:end] + marking_bar("bottom") + page[end:]


def mark_html_files(folder: Path) -> int:
    """Mark every HTML file under ``folder``; returns how many."""
    count = 0
    for path in sorted(folder.rglob("*.html")):
        path.write_text(mark_html(path.read_text(encoding="utf-8")), encoding="utf-8")
        count += 1
    return count


def mark_workbook(workbook: Workbook) -> None:
    """The marking in the header and footer of every sheet (shown on every printed page)."""
    for sheet in workbook.worksheets:
        for header_footer in (sheet.oddHeader, sheet.oddFooter):
            header_footer.center.text = MARKING
            header_footer.center.size = 10


def mark_docx(document: DocxDocument) -> None:
    """The marking in the header of every section (every page of the document)."""
    for section in document.sections:
        section.header.is_linked_to_previous = False
        paragraphs = section.header.paragraphs
        paragraph = paragraphs[0] if paragraphs else section.header.add_paragraph()
        paragraph.text = MARKING


def mark_chart_spec(spec: dict[str, object]) -> dict[str, object]:
    """A Vega-Lite spec whose title carries the marking as its subtitle's first line (before a
    caption already there): the PNG and SVG drawn from it are files for papers, so each carries
    the marking itself. Idempotent."""
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    below = title.get("subtitle", []) if isinstance(title, dict) else []
    lines = [below] if isinstance(below, str) else list(below)  # type: ignore[call-overload]
    if lines[:1] == [MARKING]:
        return spec
    return {**spec, "title": {"text": text, "subtitle": [MARKING, *lines]}}
