"""The LA page's "published with KPIs withheld" note: which KPIs, why, since when.

Written beside the outputs whenever one is published from an extract with withheld KPIs, and
removed when one is published with none; the LA's landing page links it at the top.
"""

import datetime as dt
import html
from collections.abc import Sequence
from pathlib import Path

from pipelines.lib.publish import site

WITHHELD = "withheld.html"


def write_withheld(
    published_dir: Path, la_code: str, la_name: str, extract_date: dt.date, lines: Sequence[str]
) -> Path | None:
    """Write (or, with no ``lines``, remove) ``<la>/withheld.html``; returns its path if written."""
    path = published_dir / la_code / WITHHELD
    if not lines:
        path.unlink(missing_ok=True)
        return None
    items = "".join(f"<li>KPIs {html.escape(line)}.</li>" for line in lines)
    body = (
        f'<div class="banner"><p><strong>Published with KPIs withheld.</strong> The outputs of '
        f"the extract of {extract_date:%d %B %Y} for {html.escape(la_name)} "
        f"({html.escape(la_code)}) "
        "show every other KPI as usual. These KPIs read a table that failed a blocking check, "
        "so their last good values are shown instead (or none, where there were none):</p>"
        f"<ul>{items}</ul></div>"
        f'<p>Details, by file, row and column: <a href="validation/{extract_date.isoformat()}'
        '.html">validation report</a>. Correct the table and deliver the extract again; the '
        "next run publishes these KPIs once its checks pass.</p>"
        f'<p class="muted">Written {dt.datetime.now():%d %B %Y %H:%M}.</p>'
    )
    site.write_page(path, site.page(f"KPIs withheld: {la_name} ({la_code})", body))
    return path
