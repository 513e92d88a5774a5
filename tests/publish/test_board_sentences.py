"""The board report's sentences for papers, on test_board's hand-made warehouse: each target
KPI's change since its baseline (from a year before when its target gives none), in the HTML
and the DOCX, with the figures the warehouse holds for those months."""

from pathlib import Path

import docx
import duckdb

from pipelines.lib.publish.board import write_board_report
from tests.publish.test_board import DEFINITIONS, EXTRACT, LA, PLANS, PROVENANCE, SLOW_LABEL
from tests.publish.test_board import con as con  # the fixture

EXPECTED = [
    # Baseline 80% on 30 Sep 2023 (given in the plan); March 2024 in the month: 91.4.
    "Contacts decided within 1 working day: from 80.0% (the baseline, 30 September 2023) "
    "to 91.4% in March 2024, up 11.4 points, an improvement.",
    # No baseline: from March 2023, which has no figure (the series starts in February 2024).
    "Referred children seen within 5 working days: no figure for March 2023, so no change "
    "can be given.",
    # No baseline: March 2023 70.0 to March 2024 75.66 (prints 75.7): up 5.7 points.
    f"{SLOW_LABEL}: from 70.0% in March 2023 to 75.7% in March 2024, up 5.7 points, "
    "an improvement.",
]


def test_change_sentences_in_html_and_docx(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    html_path, _, docx_path = write_board_report(
        con, LA, EXTRACT, DEFINITIONS, PLANS, tmp_path, PROVENANCE
    )
    page = html_path.read_text(encoding="utf-8")
    for sentence in EXPECTED:
        assert f"<li>{sentence}</li>" in page
    bullets = [p.text for p in docx.Document(str(docx_path)).paragraphs]
    for sentence in EXPECTED:
        assert sentence in bullets
    # No standing without published distributions loaded (ref.benchmark_distributions).
    assert "Quartile band" not in page
