"""The demo's board workbook, scrutiny workbook and board document printed to PDF by LibreOffice
(as an analyst's "Print" or "Export as PDF" would), then read back with poppler: A4 landscape
pages, one page wide, text at a readable size, a readable number of pages.

LibreOffice and poppler are installed by ``make office`` (root with apt-get); without them this
test is skipped with a message. It takes about 15 s (LibreOffice's start and three files) on
top of the demo the publishing tests share."""

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pipelines.lib.publish.marking import MARKING
from tests.test_publishing import NEWEST

SOFFICE = shutil.which("soffice")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")
pytestmark = pytest.mark.skipif(
    not (SOFFICE and POPPLER),
    reason="LibreOffice or poppler is not installed (make office, or apt-get install "
    "libreoffice-calc libreoffice-writer poppler-utils)",
)
A4_LANDSCAPE = (841.9, 595.3)  # points
# Calibri 11 prints words 14.3 points tall (ascent to descent) at 100%; 9.0 is a print scale of
# 63% at least, text of 7 points: the smallest a board paper should use.
READABLE_WORD_HEIGHT = 9.0


def _to_pdf(files: dict[str, Path], out: Path, profile: Path) -> list[Path]:
    """Each file printed to ``out/<name>.pdf``, in one start of LibreOffice (copied under its
    name first: the board's workbook and document share a stem, and so would their PDFs)."""
    out.mkdir()
    copies = [shutil.copy(path, out / f"{name}{path.suffix}") for name, path in files.items()]
    command = [str(SOFFICE), "--headless", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "pdf", "--outdir", str(out), *map(str, copies)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    pdfs = [out / f"{name}.pdf" for name in files]
    assert done.returncode == 0 and all(p.exists() for p in pdfs), done.stdout + done.stderr
    return pdfs


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    return [
        (float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    ]


def _pages(pdf: Path) -> list[list[tuple[str, float]]]:
    """Each page's words with their printed heights, in points."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    word = re.compile(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')
    return [
        [(text, float(bottom) - float(top)) for top, bottom, text in word.findall(page)]
        for page in xml.split("<page ")[1:]
    ]


def test_board_and_scrutiny_print_one_page_wide_at_a_readable_size(
    demo_data: Path, tmp_path: Path
) -> None:
    published = demo_data / "published" / "992"
    [board_folder] = (published / "internal" / "board" / "monthly").glob("2024-*")
    board = board_folder / f"board-report-{board_folder.name}.xlsx"
    scrutiny = (
        published / "public" / "scrutiny" / NEWEST["992"].isoformat() / "scrutiny-figures.xlsx"
    )
    document = board_folder / f"board-report-{board_folder.name}.docx"
    board_pdf, scrutiny_pdf, document_pdf = _to_pdf(
        {"board": board, "scrutiny": scrutiny, "document": document},
        tmp_path / "pdf",
        tmp_path / "profile",
    )
    for pdf in (board_pdf, scrutiny_pdf, document_pdf):
        for width, height in _page_sizes(pdf):
            assert (round(width, 1), round(height, 1)) == A4_LANDSCAPE, pdf.name

    sheets = len(openpyxl.load_workbook(board, read_only=True).sheetnames)
    pages = _pages(board_pdf)
    # Was 66 portrait pages with the columns split across them; now at most two a sheet.
    assert len(pages) <= 2 * sheets, len(pages)
    for number, page in enumerate(pages, start=1):
        words = {text for text, _ in page}
        assert MARKING in words, number  # the marking on every printed page
        # Every page starts with its table's header, first column included: the header is
        # repeated on each page and no column has spilled onto a page of its own.
        assert "KPI" in words or {"Notice", "area"} <= words, (number, sorted(words)[:20])
        assert min(h for _, h in page) >= READABLE_WORD_HEIGHT, number
    text = " ".join(t for page in pages for t, _ in page)
    assert "Improvement board report: Kingsmere City Council" in text

    pages = _pages(scrutiny_pdf)
    assert len(pages) <= 30, len(pages)
    notes = next(i for i, page in enumerate(pages) if any(t == "Notes:" for t, _ in page))
    for number, page in enumerate(pages[:notes], start=1):
        words = {text for text, _ in page}
        assert {"Area", "KPI", "Value"} <= words, number
    for number, page in enumerate(pages, start=1):
        assert min(h for _, h in page) >= READABLE_WORD_HEIGHT, number

    # The Word document's first page: the report's heading and the marking, readable.
    first = _pages(document_pdf)[0]
    first_text = " ".join(t for t, _ in first)
    assert (
        "Improvement board report: Kingsmere City Council" in first_text and MARKING in first_text
    )
    assert min(h for _, h in first) >= READABLE_WORD_HEIGHT
