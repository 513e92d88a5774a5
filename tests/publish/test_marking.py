"""Internal outputs carry OFFICIAL-SENSITIVE on every page and file; public ones sit apart."""

import datetime as dt
from pathlib import Path

import docx
import openpyxl

from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.kpi.targets import load_plans
from pipelines.lib.paths import internal_outputs, public_outputs
from pipelines.lib.publish import clinic
from pipelines.lib.publish.board import write_board_report
from pipelines.lib.publish.marking import MARKING, MARKING_NOTE, mark_html
from tests.publish import test_board, test_clinic
from tests.publish.test_board import con  # noqa: F401  (the board's hand-made warehouse)


def test_mark_html_puts_the_marking_first_and_last_once() -> None:
    page = "<html><head><title>t</title></head><body class='x'><p>figures</p></body></html>"
    marked = mark_html(page)
    body = marked[marked.index("<body") : marked.index("</body>")]
    assert body.count(MARKING_NOTE) == 2
    assert body.index(MARKING_NOTE) < body.index("figures") < body.rindex(MARKING_NOTE)
    assert mark_html(marked) == marked


def test_public_and_internal_folders(tmp_path: Path) -> None:
    assert internal_outputs(tmp_path, "992") == tmp_path / "992" / "internal"
    assert public_outputs(tmp_path, "992") == tmp_path / "992" / "public"


def test_every_clinic_page_is_marked(tmp_path: Path) -> None:
    warehouse = test_clinic.tiny_warehouse()
    definitions = [k for k in load_definitions() if k.id == test_clinic.KPI]
    pack = clinic.write_clinic_pack(
        warehouse, test_clinic.LA, dt.date(2024, 3, 25), definitions, load_plans(), tmp_path, "r1"
    )
    assert pack.folder.is_relative_to(internal_outputs(tmp_path, test_clinic.LA))
    pages = list(pack.folder.glob("*.html"))
    assert len(pages) >= 4  # index, all charts, validation, the KPI's page
    for page in pages:
        assert page.read_text(encoding="utf-8").count(MARKING_NOTE) == 2, page.name


def test_board_report_files_are_marked(con, tmp_path: Path) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    html, xlsx, word = write_board_report(
        con,
        test_board.LA,
        test_board.EXTRACT,
        test_board.DEFINITIONS,
        test_board.PLANS,
        tmp_path,
        test_board.PROVENANCE,
    )
    assert html.is_relative_to(internal_outputs(tmp_path, test_board.LA))
    assert html.read_text(encoding="utf-8").count(MARKING_NOTE) == 2
    for sheet in openpyxl.load_workbook(xlsx).worksheets:
        assert sheet.oddHeader.center.text == MARKING, sheet.title
        assert sheet.oddFooter.center.text == MARKING, sheet.title
    document = docx.Document(str(word))
    assert all(s.header.paragraphs[0].text == MARKING for s in document.sections)


def test_landing_page_has_an_internal_and_a_public_section(tmp_path: Path) -> None:
    from pipelines.lib.publish import site

    (tmp_path / "992" / "internal" / "clinic" / "2024-03-25").mkdir(parents=True)
    (tmp_path / "992" / "public" / "scrutiny" / "2024-03-31").mkdir(parents=True)
    (tmp_path / "992" / "public" / "scrutiny" / "2024-03-31" / "scrutiny-figures.csv").touch()
    page = site.write_la_index(tmp_path, "992", "Kingsmere").read_text(encoding="utf-8")
    internal, public = page.index("Internal: for meetings only"), page.index("Public: may be")
    assert internal < page.index('href="internal/clinic/2024-03-25/index.html"') < public
    assert public < page.index('href="public/scrutiny/2024-03-31/scrutiny-figures.csv"')
    assert "counts of 1 to 5, and figures that would reveal one, are shown as c" in page
