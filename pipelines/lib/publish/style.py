"""The one stylesheet (``style.css``) of every HTML page published, and the one RAG palette
(``RAG_PALETTE``: the page's RAG classes, and the colours a workbook or document fills a RAG
cell with).

Red, amber and green are each a light background with a dark text colour of the same hue, so a
RAG label reads at a contrast of at least 7:1 (WCAG AAA) and never by colour alone (its word is
always written). Validation outcomes (passed, warning, failed) use the same text colours.
"""

from functools import cache
from pathlib import Path

STYLESHEET = Path(__file__).with_name("style.css")
# RAG -> (background, text).
RAG_PALETTE = {
    "green": ("#cce5d3", "#0b4d1f"),
    "amber": ("#ffe5b3", "#6b4200"),
    "red": ("#f6c6c6", "#7a0f0f"),
}
# Validation outcomes and messages -> the RAG whose text colour they take.
_STATUS_TEXT = {"pass": "green", "warn": "amber", "fail": "red", "chart-error": "red"}


@cache
def stylesheet() -> str:
    """``style.css`` with the RAG and status colours of ``RAG_PALETTE``."""
    rules = [
        f".rag-{rag} {{ background: {background}; color: {text}; }}"
        for rag, (background, text) in RAG_PALETTE.items()
    ]
    rules += [
        f".{name} {{ color: {RAG_PALETTE[rag][1]};"
        + (" font-weight: 600;" if name in ("warn", "fail") else "")
        + " }"
        for name, rag in _STATUS_TEXT.items()
    ]
    return STYLESHEET.read_text(encoding="utf-8") + "\n".join(rules) + "\n"


def inline_style() -> str:
    """The stylesheet as a ``<style>`` element, for a page that stands alone."""
    return f"<style>{stylesheet()}</style>"
