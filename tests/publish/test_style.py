"""One stylesheet and one RAG palette for every HTML page: the colours are readable, and the
clinic pack, the LA's landing page and notices, and the validation report all carry the same
stylesheet."""

import datetime as dt
from pathlib import Path

import pytest

from pipelines.lib.kpi.targets import load_plans
from pipelines.lib.publish import clinic, not_published, site, style
from pipelines.lib.publish.not_published import Refused
from pipelines.lib.publish.withheld_page import write_withheld
from pipelines.lib.validation.report import render_report
from tests.publish.test_clinic import EXTRACT, LA, tiny_warehouse


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_on_known_pairs() -> None:
    # Black on white is 21:1 and a colour on itself 1:1 (WCAG's bounds); GOV.UK's link blue
    # #1d70b8 on white is 5.17:1 (published by the GOV.UK Design System).
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#1d70b8", "#1d70b8") == pytest.approx(1.0)
    assert contrast("#1d70b8", "#ffffff") == pytest.approx(5.17, abs=0.01)


@pytest.mark.parametrize("rag", ["green", "amber", "red"])
def test_rag_colours_meet_wcag_aaa(rag: str) -> None:
    background, text = style.RAG_PALETTE[rag]
    # A RAG label (its text colour on its background) and a validation outcome (the same text
    # colour on the white page) both reach 7:1, WCAG AAA for normal text: green 7.5 and 10.0,
    # amber 7.1 and 8.7, red 7.3 and 11.0.
    assert contrast(background, text) >= 7.0
    assert contrast("#ffffff", text) >= 7.0


def test_the_stylesheet_has_one_rule_per_rag_from_the_palette() -> None:
    css = style.stylesheet()
    for rag, (background, text) in style.RAG_PALETTE.items():
        assert css.count(f".rag-{rag} ") == 1
        assert f".rag-{rag} {{ background: {background}; color: {text}; }}" in css
    assert ".fail { color: #7a0f0f;" in css and ".pass { color: #0b4d1f;" in css


def test_every_page_carries_the_one_stylesheet(tmp_path: Path) -> None:
    css = style.stylesheet()
    con = tiny_warehouse()
    # No KPI: the pack's own pages and assets are enough here.
    pack = clinic.write_clinic_pack(
        con, LA, dt.date(2024, 3, 25), [], load_plans(), tmp_path, "run-1", images=False
    )
    assert (pack.folder / "assets" / "clinic.css").read_text(encoding="utf-8") == css
    assert 'href="assets/clinic.css"' in (pack.folder / "index.html").read_text(encoding="utf-8")
    pages = [
        not_published.write(tmp_path, LA, "Testshire", Refused(EXTRACT, ("a reason",))),
        site.write_la_index(tmp_path, LA, "Testshire"),
        write_withheld(tmp_path, LA, "Testshire", EXTRACT, ["a, b read ssd_x: rule"]),
    ]
    for page in pages:
        assert page is not None
        assert f"<style>{css}</style>" in page.read_text(encoding="utf-8"), page.name
    assert f"<style>{css}</style>" in render_report(con, LA, EXTRACT)
