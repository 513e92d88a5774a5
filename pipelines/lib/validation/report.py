"""A static validation report per run: one offline HTML page per LA and extract.

It is published (linked from the packs), so it names files, rows, columns and rules but never a
value from the extract: no child-level data in anything shared.
"""

import datetime as dt
import html
import json
from pathlib import Path

import duckdb

from pipelines.lib.paths import internal_outputs
from pipelines.lib.publish import style
from pipelines.lib.publish.marking import mark_html
from pipelines.lib.validation.defects import FIRST_ROWS, row_word


def _status(success: bool, severity: str) -> str:
    if success:
        return '<span class="pass">passed</span>'
    if severity == "error":
        return '<span class="fail">FAILED (withholds the KPIs that rest on it)</span>'
    return '<span class="warn">warning</span>'


def render_report(con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date) -> str:
    la = con.execute("select la_name from meta.la where la_code = ?", [la_code]).fetchone()
    rows = con.execute(
        """select layer, asset, check_description, column_name, severity, success, element_count,
                  unexpected_count, unexpected_percent, examples
           from meta.validation_results where la_code = ? and extract_date = ?
           order by layer desc, asset, success, check_description""",
        [la_code, extract_date],
    ).fetchall()
    files = con.execute(
        """select source_file, column_name, severity, message from meta.file_errors
           where la_code = ? and extract_date = ? order by source_file""",
        [la_code, extract_date],
    ).fetchall()
    # Per file, column and rule: how many rows and the first few (never a row per line).
    quarantine = con.execute(
        """select q.source_file, q.column_name, q.rule, q.action, count(*),
                  list(distinct q.source_row order by q.source_row)[1:?]
           from stg.quarantine q
           join meta.deliveries d using (la_code, extract_date, delivery_id)
           where q.la_code = ? and q.extract_date = ? and d.status = 'loaded'
           group by all order by 1, 5 desc, 2, 3""",
        [FIRST_ROWS, la_code, extract_date],
    ).fetchall()
    sources = con.execute(
        """select s.source_format, s.table_name, s.source_files, s.rows_read
           from meta.delivery_sources s
           join meta.deliveries d using (la_code, extract_date, delivery_id)
           where s.la_code = ? and s.extract_date = ? and d.status = 'loaded'
             and s.source_format <> 'ssd'
           order by 1, 2""",
        [la_code, extract_date],
    ).fetchall()
    # Where the adapters repaired or left something out: file, place and rule, never the value
    # or message (a message may name a child).
    notes = con.execute(
        """select n.source_file, n.rule, n.action, count(*),
                  list(distinct coalesce(n.location, 'row ' || n.source_row::varchar)
                       order by coalesce(n.location, 'row ' || n.source_row::varchar))
                      filter (where n.location is not null or n.source_row is not null)
           from meta.adapter_notes n
           join meta.deliveries d using (la_code, extract_date, delivery_id)
           where n.la_code = ? and n.extract_date = ? and d.status = 'loaded'
           group by all order by 1, 3, 2""",
        [la_code, extract_date],
    ).fetchall()
    blocking = sum(1 for r in rows if not r[5] and r[4] == "error")
    warnings = sum(1 for r in rows if not r[5] and r[4] == "warning")
    title = f"Validation report: {la[0] if la else la_code} ({la_code}), extract of {extract_date}"
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>{style.inline_style()}</head><body><main>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{len(rows)} expectations evaluated; "
        f'<span class="{"fail" if blocking else "pass"}">{blocking} blocking failures</span>, '
        f"{warnings} warnings. Rows are spreadsheet row numbers in the delivered file (lines, for "
        "XML); values from the extract are never shown here.</p>",
    ]
    if files:
        out += ["<h2>File-level problems</h2>", "<table><tr><th>file</th><th>column</th>"
                "<th>severity</th><th>problem</th></tr>"]  # fmt: skip
        out += [
            f"<tr><td>{html.escape(f)}</td><td>{html.escape(c or '')}</td>"
            f"<td>{html.escape(s)}</td><td>{html.escape(m)}</td></tr>"
            for f, c, s, m in files
        ]
        out.append("</table>")
    if sources:
        out += [
            "<h2>Tables from statutory returns</h2>",
            "<table><tr><th>return</th><th>table</th><th>files</th><th>rows</th></tr>",
        ]
        out += [
            f"<tr><td>{html.escape(f)}</td><td>{html.escape(t)}</td><td>{html.escape(n)}</td>"
            f"<td>{r or 0:,}</td></tr>"
            for f, t, n, r in sources
        ]
        out.append("</table>")
    if notes:
        out += [
            "<h2>What the return adapters repaired or left out</h2>",
            "<p>Every note, with its message, is in <code>meta.adapter_notes</code>.</p>",
            "<table><tr><th>file</th><th>rule</th><th>action</th><th>times</th>"
            "<th>where (first 20)</th></tr>",
        ]
        for file, rule, action, count, places in notes:
            where = ", ".join((places or [])[:20]) + (" ..." if len(places or []) > 20 else "")
            out.append(
                f"<tr><td>{html.escape(file)}</td><td>{html.escape(rule)}</td>"
                f"<td>{html.escape(action.replace('_', ' '))}</td><td>{count:,}</td>"
                f"<td>{html.escape(where)}</td></tr>"
            )
        out.append("</table>")
    if quarantine:
        out += [
            "<h2>Rows quarantined or flagged on the way in</h2>",
            "<p>Every row, with its value and message, is in <code>stg.quarantine</code>. "
            "Personal data typed into a cell (an NHS number, a postcode, the name of a person "
            "in the extract) is removed before anything is stored: action <i>text redacted</i>, "
            "counted here, never shown.</p>",
            "<table><tr><th>file</th><th>column</th><th>rule</th><th>action</th><th>rows</th>"
            f"<th>first {FIRST_ROWS}</th></tr>",
        ]
        out += [
            f"<tr><td>{html.escape(f)}</td><td>{html.escape(c)}</td><td>{html.escape(r)}</td>"
            f"<td>{html.escape(a.replace('_', ' '))}</td><td>{n:,}</td>"
            f"<td>{html.escape(', '.join(f'{row_word(f)} {x}' for x in first))}"
            f"{' ...' if n > len(first) else ''}</td></tr>"
            for f, c, r, a, n, first in quarantine
        ]
        out.append("</table>")
    for layer, heading in (("stg", "Staged tables"), ("kpi", "KPI outputs")):
        mine = [r for r in rows if r[0] == layer]
        if not mine:
            continue
        out += [
            f"<h2>{heading}</h2>",
            "<table><tr><th>asset</th><th>expectation</th><th>result</th><th>rows checked</th>"
            "<th>unexpected</th><th>example rows</th></tr>",
        ]
        for _, asset, description, column, severity, success, count, unexpected, pct, ex in mine:
            examples = json.loads(ex or "[]")
            where = ", ".join(
                f"row {e['row']}" for e in examples if "row" in e
            )  # rows only: never values in a published report
            out.append(
                f"<tr><td>{html.escape(asset)}</td><td>{html.escape(description)}</td>"
                f"<td>{_status(success, severity)}</td><td>{count or 0:,}</td>"
                f"<td>{unexpected or 0:,} ({pct or 0:.2f}%)</td><td>{html.escape(where)}"
                f"{' (' + html.escape(column) + ')' if where and column else ''}</td></tr>"
            )
        out.append("</table>")
    out.append("</main></body></html>")
    return "\n".join(out)


def write_report(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date, published: Path
) -> Path:
    """Write ``<published>/<la>/internal/validation/<extract_date>.html`` and ``latest.html``:
    for internal meetings (it names files, rows and rules, never values), marked as such."""
    folder = internal_outputs(published, la_code) / "validation"
    folder.mkdir(parents=True, exist_ok=True)
    text = mark_html(render_report(con, la_code, extract_date))
    path = folder / f"{extract_date.isoformat()}.html"
    path.write_text(text, encoding="utf-8")
    (folder / "latest.html").write_text(text, encoding="utf-8")
    return path
