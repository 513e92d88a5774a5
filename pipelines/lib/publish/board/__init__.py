"""The improvement board report (monthly) and the progress report to the DfE adviser (six-weekly).

Both say the same thing: where each objective of the LA's notice or plan stands at the end of the
latest complete month, the objectives that are slow to progress first (with the reason), then one
page per notice area. The report is made in three steps:

- read: the shared figures (``figures.kpi_figures``) and the status rows (``read.py``) as plain
  data (``content.py``);
- render: the same content as an HTML page (``render_html.py``), a workbook (``render_xlsx.py``)
  and a Word document (``render_docx.py``); the text tables the page and the document share are
  in ``tables.py``, the milestone table in ``milestone_table.py``. Renderers only lay out;
- write (here): the protective marking on each file, and the folder swapped in whole. Each file
  is named for its report: ``board-report-2024-03.docx`` for the board's month,
  ``adviser-report-2024-03-31.docx`` for the adviser's report date.

The adviser report puts its own part first (``adviser_content.py``, laid out by
``adviser_render.py``): progress or concern in each area since the last adviser report, the
objectives slow to progress, the contributions to strengthen, and the analyst's commentary
(``publish/commentary.py``, a file under the data folder that runs never write over).

The figures are aggregate and not suppressed: the report is for the board and the adviser.
Public papers take their figures from the scrutiny export, which applies disclosure control.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import duckdb

from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.targets import Plan
from pipelines.lib.paths import internal_outputs
from pipelines.lib.publish import figures, folders, marking
from pipelines.lib.publish.board import adviser_render, charts
from pipelines.lib.publish.board.adviser_content import AdviserSection, adviser_section
from pipelines.lib.publish.board.content import BoardContent
from pipelines.lib.publish.board.read import board_content, read_status
from pipelines.lib.publish.board.render_docx import render_docx
from pipelines.lib.publish.board.render_html import render_html
from pipelines.lib.publish.board.render_xlsx import render_xlsx
from pipelines.lib.publish.board.sentences import with_sentences
from pipelines.lib.publish.board.service_tables import read_service_tables
from pipelines.lib.publish.figures import Provenance


def report_folder(published_dir: Path, content: BoardContent) -> Path:
    """``<published>/<la>/internal/board/<cadence>/<period>``: the reported month (``YYYY-MM``)
    for the monthly board, the extract date for the adviser's six-weekly report."""
    period = (
        f"{content.period_end:%Y-%m}"
        if content.cadence == "monthly"
        else content.extract_date.isoformat()
    )
    return internal_outputs(published_dir, content.la_code) / "board" / content.cadence / period


def file_stem(content: BoardContent) -> str:
    """``board-report-2024-03`` (the month reported) or ``adviser-report-2024-03-31`` (the
    report's date, its extract's): a file sent on its own still says which report it is."""
    if content.cadence == "monthly":
        return f"board-report-{content.period_end:%Y-%m}"
    return f"adviser-report-{content.extract_date.isoformat()}"


def write_files(
    content: BoardContent, published_dir: Path, adviser: AdviserSection | None = None
) -> list[Path]:
    """Render the report as HTML, XLSX and DOCX, each marked, into its folder (swapped in whole,
    so a failure leaves the last report in place); ``adviser``: its part goes first."""
    final = report_folder(published_dir, content)
    stem = file_stem(content)
    with folders.replacing(final) as temp:
        content = charts.draw_charts(content, temp / "charts")
        page = render_html(content)
        workbook = render_xlsx(content)
        document = render_docx(content)
        if adviser is not None:
            page = adviser_render.insert_html(page, adviser)
            adviser_render.insert_xlsx(workbook, adviser)
            adviser_render.insert_docx(document, adviser)
        (temp / f"{stem}.html").write_text(marking.mark_html(page), encoding="utf-8")
        marking.mark_workbook(workbook)
        workbook.save(temp / f"{stem}.xlsx")
        marking.mark_docx(document)
        document.save(str(temp / f"{stem}.docx"))
    return [final / f"{stem}.{ext}" for ext in ("html", "xlsx", "docx")]


def report_content(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
    provenance: Provenance,
    cadence: str = "monthly",
) -> BoardContent:
    """What the report says (charts read, not yet drawn): the figures and status rows, each
    area's sentences for papers, and the chart of each target KPI."""
    own_plans = figures.la_plans(con, la_code, plans)
    content = board_content(
        figures.kpi_figures(con, la_code, extract_date, definitions, own_plans),
        read_status(con, la_code, extract_date),
        own_plans,
        definitions,
        provenance,
        cadence,
    )
    content = with_sentences(con, content, own_plans, definitions)
    return replace(
        content,
        charts=charts.read_charts(con, content, definitions, plans, provenance),
        service=read_service_tables(con, la_code, extract_date, content.period_end, definitions),
    )


def write_board_report(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
    published_dir: Path,
    provenance: Provenance,
    cadence: str = "monthly",
    data_dir: Path | None = None,
) -> list[Path]:
    """Write the board (or adviser) report of one extract as HTML, XLSX and DOCX. The adviser
    report reads (and on its first run creates) its commentary file under ``data_dir``.

    Raises ``figures.NotPublishable`` (and writes nothing) when the extract's blocking checks
    failed; the caller shows the "not published" page and the last good report stays."""
    if cadence == "adviser" and data_dir is None:
        raise ValueError("the adviser report needs the data folder, where its commentary is kept")
    figures.check_publishable(con, la_code, extract_date)
    if (provenance.la_code, provenance.extract_date) != (la_code, extract_date):
        raise ValueError(f"the provenance given is for another LA or extract: {provenance}")
    own_plans = figures.la_plans(con, la_code, plans)
    content = report_content(con, la_code, extract_date, definitions, plans, provenance, cadence)
    adviser = (
        adviser_section(con, la_code, extract_date, own_plans, definitions, data_dir, published_dir)
        if cadence == "adviser" and data_dir is not None
        else None
    )
    return write_files(content, published_dir, adviser)
