"""The LA's published folder as a whole: writing a page whole, and the landing page that links
every output.

``data/published/<la>/index.html`` lists, in two labelled sections, the outputs for internal
meetings (``internal/``: clinic packs, board and adviser reports, marked OFFICIAL-SENSITIVE; and
the validation reports) and those that may be made public (``public/``: the scrutiny exports).
When the newest extract's outputs were not made, ``not-published.html`` says why (its words and
when it is written: ``not_published.py``) and the landing page points to it first; the outputs
published before stay where they are.
"""

import html
import os
from pathlib import Path

from pipelines.lib.paths import INTERNAL_FOLDER, PUBLIC_FOLDER
from pipelines.lib.publish import style
from pipelines.lib.publish.disclosure import load_policy
from pipelines.lib.publish.figures import Provenance
from pipelines.lib.publish.marking import MARKING

NOT_PUBLISHED = "not-published.html"


def _e(text: object) -> str:
    return html.escape(str(text))


def validation_note(provenance: Provenance) -> str:
    if provenance.withheld:
        # Some KPIs read a table that failed its checks: say which, why, and whose values show.
        items = "".join(f"<li>KPIs {_e(line)}.</li>" for line in provenance.withheld)
        return (
            f'<div class="banner"><p>The figures come from the extract of '
            f"{provenance.extract_date:%d %B %Y}, except for KPIs withheld because a table "
            f'they read failed a blocking check (<a href="validation.html">report</a>):</p>'
            f"<ul>{items}</ul></div>"
        )
    return (
        f'<p class="muted">Every figure comes from the extract of '
        f"{provenance.extract_date:%d %B %Y}, whose blocking checks all passed (validation "
        f'{_e(provenance.validation)}: <a href="validation.html">report</a>).</p>'
    )


def page(title: str, body: str) -> str:
    """A page of the LA's folder (not the clinic pack's): its title, then ``body``."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title>{style.inline_style()}</head>"
        f"<body><main><h1>{_e(title)}</h1>{body}</main></body></html>\n"
    )


def write_page(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole: a reader never sees half a page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def clear_not_published(published_dir: Path, la_code: str, la_name: str) -> None:
    """A good publication supersedes an earlier failure notice."""
    (published_dir / la_code / NOT_PUBLISHED).unlink(missing_ok=True)
    write_la_index(published_dir, la_code, la_name)


def _folders(path: Path) -> list[Path]:
    if not path.is_dir():
        return []
    return sorted((p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")),
                  reverse=True)  # fmt: skip


def _list(items: list[str]) -> str:
    return (
        "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
        if items
        else ("<p>None yet.</p>")
    )


def _outputs(root: Path, relative: str, label: str) -> list[str]:
    """One line per output folder (newest first) linking each of its files."""
    lines = []
    for folder in _folders(root / relative):
        files = sorted(f for f in folder.iterdir() if f.is_file() and not f.name.startswith("."))
        links = " · ".join(
            f'<a href="{_e(relative)}/{_e(folder.name)}/{_e(f.name)}">{_e(f.name)}</a>'
            for f in files
        )
        lines.append(f"{_e(label)} {_e(folder.name)}: {links}")
    return lines


def write_la_index(published_dir: Path, la_code: str, la_name: str) -> Path:
    """The LA's landing page: every published output, newest first."""
    root = published_dir / la_code
    parts = []
    if (root / NOT_PUBLISHED).is_file():
        parts.append(
            # True of every reason the page gives (not_published.py): it says which.
            '<div class="banner failed"><p><strong>Not published.</strong> Outputs of the newest '
            f'extract were not made: <a href="{NOT_PUBLISHED}">why</a>. The outputs below are '
            "from the extracts published before.</p></div>"
        )
    if (root / "withheld.html").is_file():  # written by withheld_page.write_withheld
        parts.append(
            '<div class="banner"><p><strong>Some KPIs are withheld.</strong> A table they read '
            "failed a blocking check; the outputs show their last good values: "
            '<a href="withheld.html">which KPIs, why and since when</a>.</p></div>'
        )
    internal, public = INTERNAL_FOLDER, PUBLIC_FOLDER
    parts.append(f"<h2>Internal: for meetings only ({MARKING})</h2>")
    parts.append(
        '<p class="muted">For the council and its improvement partners. Small numbers are not '
        f"suppressed, so these are not for publication; every page and file is marked {MARKING}."
        "</p>"
    )
    parts.append("<h3>Weekly clinic packs</h3>")
    parts.append(
        _list(
            [
                f'<a href="{internal}/clinic/{_e(p.name)}/index.html">Week beginning '
                f"{_e(p.name)}</a>"
                for p in _folders(root / internal / "clinic")
            ]
        )
    )
    parts.append("<h3>Improvement board reports (monthly)</h3>")
    parts.append(_list(_outputs(root, f"{internal}/board/monthly", "Month")))
    parts.append("<h3>Reports to the DfE adviser (six-weekly)</h3>")
    parts.append(_list(_outputs(root, f"{internal}/board/adviser", "Extract of")))
    validation = sorted(
        (p for p in (root / internal / "validation").glob("*.html") if p.name != "latest.html"),
        reverse=True,
    )
    parts.append("<h3>Validation reports</h3>")
    parts.append(
        _list(
            [
                f'<a href="{internal}/validation/{_e(p.name)}">Extract of {_e(p.stem)}</a>'
                for p in validation
            ]
        )
    )
    parts.append("<h2>Public: may be published</h2>")
    top = load_policy().threshold - 1
    parts.append(
        f'<p class="muted">Disclosure-controlled: counts of 1 to {top}, and figures that would '
        "reveal one, are shown as c.</p>"
        if top >= 1
        else '<p class="muted">Disclosure control: no count is suppressed (threshold 1).</p>'
    )
    parts.append("<h3>Scrutiny figures (for public papers)</h3>")
    parts.append(_list(_outputs(root, f"{public}/scrutiny", "Extract of")))
    parts.append(
        '<p class="muted">Aggregate figures only: no child- or worker-level data is published. '
        "Managers' worklists are restricted and are not linked from here.</p>"
    )
    path = root / "index.html"
    write_page(path, page(f"{la_name} ({la_code}): published outputs", "".join(parts)))
    return path
