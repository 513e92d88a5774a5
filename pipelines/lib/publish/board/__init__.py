"""The improvement board report (monthly) and the progress report to the DfE adviser (six-weekly).

Both say the same thing: where each objective of the LA's notice or plan stands at the end of the
latest complete month, the objectives that are slow to progress first (with the reason), then one
page per notice area. The report is made in three steps:

- read: the shared figures (``figures.kpi_figures``) and the status rows (``read.py``) as plain
  data (``content.py``);
- render: the same content as an HTML page (``render_html.py``), a workbook (``render_xlsx.py``)
  and a Word document (``render_docx.py``); the text tables the page and the document share are
  in ``tables.py``, the milestone table in ``milestone_table.py``. Renderers only lay out;
- write (here): the protective marking on each file, and the folder swapped in whole.

The figures are aggregate and not suppressed: the report is for the board and the adviser.
Public papers take their figures from the scrutiny export, which applies disclosure control.
"""

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import duckdb

from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.targets import Plan
from pipelines.lib.paths import internal_outputs
from pipelines.lib.publish import figures, folders, marking
from pipelines.lib.publish.board.content import BoardContent
from pipelines.lib.publish.board.read import board_content, read_status
from pipelines.lib.publish.board.render_docx import render_docx
from pipelines.lib.publish.board.render_html import render_html
from pipelines.lib.publish.board.render_xlsx import render_xlsx
from pipelines.lib.publish.board.service_tables import read_service_tables
from pipelines.lib.publish.figures import Provenance

FILE_STEM = "board-report"


def report_folder(published_dir: Path, content: BoardContent) -> Path:
    """``<published>/<la>/internal/board/<cadence>/<period>``: the reported month (``YYYY-MM``)
    for the monthly board, the extract date for the adviser's six-weekly report."""
    period = (
        f"{content.period_end:%Y-%m}"
        if content.cadence == "monthly"
        else content.extract_date.isoformat()
    )
    return internal_outputs(published_dir, content.la_code) / "board" / content.cadence / period


def write_files(content: BoardContent, published_dir: Path) -> list[Path]:
    """Render the report as HTML, XLSX and DOCX, each marked, into its folder (swapped in whole,
    so a failure leaves the last report in place)."""
    final = report_folder(published_dir, content)
    with folders.replacing(final) as temp:
        (temp / f"{FILE_STEM}.html").write_text(
            marking.mark_html(render_html(content)), encoding="utf-8"
        )
        workbook = render_xlsx(content)
        marking.mark_workbook(workbook)
        workbook.save(temp / f"{FILE_STEM}.xlsx")
        document = render_docx(content)
        marking.mark_docx(document)
        document.save(str(temp / f"{FILE_STEM}.docx"))
    return [final / f"{FILE_STEM}.{ext}" for ext in ("html", "xlsx", "docx")]


def write_board_report(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
    published_dir: Path,
    provenance: Provenance,
    cadence: str = "monthly",
) -> list[Path]:
    """Write the board (or adviser) report of one extract as HTML, XLSX and DOCX.

    Raises ``figures.NotPublishable`` (and writes nothing) when the extract's blocking checks
    failed; the caller shows the "not published" page and the last good report stays."""
    figures.check_publishable(con, la_code, extract_date)
    if (provenance.la_code, provenance.extract_date) != (la_code, extract_date):
        raise ValueError(f"the provenance given is for another LA or extract: {provenance}")
    own_plans = figures.la_plans(con, la_code, plans)
    content = board_content(
        figures.kpi_figures(con, la_code, extract_date, definitions, own_plans),
        read_status(con, la_code, extract_date),
        own_plans,
        definitions,
        provenance,
        cadence,
    )
    service = read_service_tables(con, la_code, extract_date, content.period_end, definitions)
    return write_files(dataclasses.replace(content, service=service), published_dir)
