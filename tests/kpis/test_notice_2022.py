"""The 2022 notice's plan file against the notice itself: Annex 1's eight areas word for word, no
figure the council reported as a result used as a target, the illustrative targets labelled as
such, and the board report and the clinic index showing the eight areas by their titles."""

import datetime as dt
import re
from pathlib import Path

import pytest

from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.kpi.targets import ILLUSTRATIVE_NOTE, load_plans
from pipelines.lib.publish import board, clinic, figures
from tests.conftest import SHARED
from tests.publish.test_clinic import LA, tiny_warehouse

NOTICE = SHARED / "reference" / "source-documents" / "improvement-notice-2022-nottingham-city.txt"
PLAN = load_plans()["local_plan_2022"]


def _plain(text: str) -> str:
    return " ".join(text.replace("&#x27;", "'").split())


def annex_1_areas(path: Path) -> list[str]:
    """The bullets under 'Areas for Improvement' at the end of the notice."""
    text = path.read_text(encoding="utf-8")
    annex = text[text.index("Areas for Improvement") :]
    return [_plain(line[2:]) for line in annex.splitlines() if line.startswith("- ")]


def test_plan_has_the_eight_areas_of_annex_1_word_for_word() -> None:
    if not NOTICE.is_file():
        pytest.skip("../shared is not available")
    areas = annex_1_areas(NOTICE)
    assert len(areas) == 8
    assert [_plain(t) for t in PLAN.areas.values()] == areas


def test_no_reported_result_is_a_target() -> None:
    # Results the council reported to scrutiny in January 2024 (source-documents README).
    results = {
        "cp_share_of_open_cases_pct": (7.7, 3.3),
        "cp_plan_duration_weeks": (58, 44),
        "cla_with_family_pct": (32, 40),
        "agency_rate_pct": (32, 11),
    }
    for target in PLAN.targets:
        assert target.value not in results.get(target.kpi_id, ()), target.kpi_id
        for figure in ("7.7%", "3.3%", "58 weeks", "44 weeks", "32%", "40%", "11%"):
            assert figure not in target.quote, (target.kpi_id, figure)


def test_targets_are_labelled_illustrative() -> None:
    assert PLAN.illustrative
    assert all(t.quote.startswith("Illustrative target:") for t in PLAN.targets)
    assert "ILLUSTRATIVE" in PLAN.set_by


def test_every_area_is_evidenced_and_every_notice_area_is_known() -> None:
    definitions = load_definitions()
    known = {a for plan in load_plans().values() for a in plan.areas} | {"data_quality"}
    for kpi in definitions:
        assert set(kpi.notice_areas) <= known, (kpi.id, kpi.notice_areas)
    for area in PLAN.areas:
        assert any(area in k.notice_areas for k in definitions), area


def _text(html: str) -> str:
    return _plain(re.sub(r"<[^>]+>", " ", html))


def test_board_report_and_clinic_index_show_the_eight_areas(tmp_path: Path) -> None:
    con = tiny_warehouse()  # LA T01 follows local_plan_2022; one KPI has values
    definitions, plans = load_definitions(), load_plans()
    pack = clinic.write_clinic_pack(
        con, LA, dt.date(2024, 3, 25), definitions, plans, tmp_path, "run-1234567890"
    )
    index = _text((pack.folder / "index.html").read_text(encoding="utf-8"))
    la_plans = figures.la_plans(con, LA, plans)
    extract = pack.extract_date
    content = board.board_content(
        figures.kpi_figures(con, LA, extract, definitions, la_plans),
        board.read_status(con, LA, extract),
        la_plans,
        definitions,
        figures.provenance(con, LA, extract, "run-1234567890"),
    )
    report = _text(board.render_html(content))
    for title in PLAN.areas.values():
        assert _plain(title) in index
        assert _plain(title) in report
    assert [a.title for a in content.areas] == list(PLAN.areas.values())
    assert ILLUSTRATIVE_NOTE in index and ILLUSTRATIVE_NOTE in report
