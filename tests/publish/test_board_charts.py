"""The monthly charts of the board (and adviser) report, on test_board's hand-made warehouse.

LA 900, extract of 31 March 2024 (reported month March 2024), monthly values March 2023 to
March 2024 (13 months). Its KPIs with a target:

- contacts_1wd_pct (Front door): 13 monthly values, a flow, so an XmR chart; target at least
  90% by 30 June 2024 with a trajectory from 80% on 30 September 2023; England 85.0% and its
  neighbours (SN900) 82.5%, both for March 2023 (the SN999 row belongs to another LA);
- referrals_seen_pct (Front door): 2 monthly values (February and March 2024): too few for a
  chart, so the report says why instead;
- leavers_pa_pct (Care leavers): 13 monthly values (every KPI of the fixture is a flow, so an
  XmR chart too), no benchmark; the trajectory is the target itself, past its due date.

SPC is computed by the pipeline's own step (``refresh_spc``) into ``kpi.kpi_spc``, which the
report reads. The caption says the LA, the KPI, the months shown (March 2023 to March 2024),
the extract (31 March 2024) and the date drawn (the report's production date, 2 April 2024).
"""

import base64
import datetime as dt
import re
from pathlib import Path

import docx
import duckdb
import pytest

from pipelines.lib.charts.caption import captioned, chart_caption, period_shown
from pipelines.lib.kpi.engine import ensure_kpi_schema
from pipelines.lib.kpi.outputs import refresh_spc
from pipelines.lib.publish import marking
from pipelines.lib.publish.board import charts, write_board_report
from pipelines.lib.publish.board.render_html import render_html
from tests.publish.test_board import (
    DEFINITIONS,
    EXTRACT,
    LA,
    PLANS,
    PROVENANCE,
    SLOW_LABEL,
    _content,
    con,  # noqa: F401 (a fixture)
)

CONTACTS_CAPTION = (
    "Testshire Borough Council (fictional) (900): Contacts decided within 1 working day, "
    "monthly, March 2023 to March 2024. Source: extract of 31 March 2024. Drawn 2 April 2024."
)
LEAVERS_CAPTION = (
    f"Testshire Borough Council (fictional) (900): {SLOW_LABEL}, monthly, March 2023 to March "
    "2024. Source: extract of 31 March 2024. Drawn 2 April 2024."
)
NO_REFERRALS_CHART = (
    "No chart of Referred children seen within 5 working days: 2 value(s): too few to draw as "
    "a process (at least 3)."
)


def _with_spc(db: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    ensure_kpi_schema(db)
    db.execute(
        "insert into kpi.kpi_runs (la_code, extract_date, definitions_hash, kpis, rows_written) "
        "values (?, ?, 'test', 5, 0)",
        [LA, EXTRACT],
    )
    refresh_spc(db, LA, DEFINITIONS, PLANS)
    return db


def test_caption_words() -> None:
    day = dt.date
    assert period_shown("month", day(2023, 3, 31), day(2024, 3, 31)) == (
        "monthly, March 2023 to March 2024"
    )
    assert period_shown("week", day(2023, 4, 2), day(2024, 3, 31)) == (
        "weekly, weeks ending 2 April 2023 to 31 March 2024"
    )
    with pytest.raises(ValueError, match="quarter"):
        period_shown("quarter", day(2023, 4, 2), day(2024, 3, 31))


def test_the_png_spec_carries_the_marking_then_the_caption() -> None:
    caption = chart_caption(
        "A very long council name indeed, of the kind some councils have (fictional)", "901",
        "Children subject to a child protection plan for a second or subsequent time", "month",
        dt.date(2021, 4, 30), dt.date(2024, 3, 31), dt.date(2024, 3, 31), dt.date(2024, 4, 2),
    )  # fmt: skip
    spec = marking.mark_chart_spec(captioned({"title": "KPI (monthly)", "mark": "line"}, caption))
    title = spec["title"]
    assert isinstance(title, dict) and title["text"] == "KPI (monthly)"
    lines = title["subtitle"]
    # The caption is cut into lines a 680-pixel chart holds (125 characters), none lost, after a
    # full stop, a comma or the LA's code, so no date is cut in two.
    assert lines[0] == "OFFICIAL-SENSITIVE" and " ".join(lines[1:]) == caption
    assert lines[1:] == [
        "A very long council name indeed, of the kind some councils have (fictional) (901):",
        "Children subject to a child protection plan for a second or subsequent time, monthly, "
        "April 2021 to March 2024.",
        "Source: extract of 31 March 2024. Drawn 2 April 2024.",
    ]
    assert marking.mark_chart_spec(spec) == spec  # marking twice adds nothing


def test_one_chart_per_target_kpi_read_from_kpi_spc(con: duckdb.DuckDBPyConnection) -> None:  # noqa: F811
    content = _content(_with_spc(con))
    got = {c.kpi_id: c for c in charts.read_charts(con, content, DEFINITIONS, PLANS, PROVENANCE)}
    assert list(got) == ["contacts_1wd_pct", "referrals_seen_pct", "leavers_pa_pct"]
    contacts = got["contacts_1wd_pct"]
    assert contacts.caption == CONTACTS_CAPTION and contacts.no_chart is None
    assert contacts.alt == (
        "Chart of Contacts decided within 1 working day by month, March 2023 to March 2024: "
        "latest 91.4% in March 2024, with the mean and process limits, the target, the "
        "trajectory, England (Mar 2023: 85.0%) and Statistical neighbours (Mar 2023: 82.5%)."
    )
    spec = contacts.spec
    assert spec is not None
    assert spec["title"] == {
        "text": "Contacts decided within 1 working day (monthly)",
        "subtitle": [
            "OFFICIAL-SENSITIVE",
            "Testshire Borough Council (fictional) (900): Contacts decided within 1 working day, "
            "monthly, March 2023 to March 2024.",
            "Source: extract of 31 March 2024. Drawn 2 April 2024.",
        ],
    }
    # The points drawn are the 13 stored months, with the limits kpi.kpi_spc holds.
    stored = con.execute(
        """select period_end, upper_process_limit from kpi.kpi_spc where la_code = ?
           and kpi_id = 'contacts_1wd_pct' and grain = 'month' order by period_end""",
        [LA],
    ).fetchall()
    points = spec["datasets"][spec["data"]["name"]]  # type: ignore[index]
    assert [(p["period_end"], p["upper_process_limit"]) for p in points] == [
        (day.isoformat(), limit) for day, limit in stored
    ]
    assert len(points) == 13
    assert got["referrals_seen_pct"].spec is None
    assert got["referrals_seen_pct"].no_chart == NO_REFERRALS_CHART
    assert got["leavers_pa_pct"].caption == LEAVERS_CAPTION
    assert got["leavers_pa_pct"].alt.endswith(
        "latest 75.7% in March 2024, with the mean and process limits, the target and the "
        "trajectory."
    )


def test_a_report_without_drawn_charts_shows_none(con: duckdb.DuckDBPyConnection) -> None:  # noqa: F811
    page = render_html(_content(con))
    assert charts.HEADING not in page and "<img" not in page


@pytest.mark.parametrize("cadence", ["monthly", "adviser"])  # the adviser's report shares them
def test_board_html_and_docx_hold_each_chart_with_its_caption(
    con: duckdb.DuckDBPyConnection,  # noqa: F811
    tmp_path: Path,
    cadence: str,
) -> None:
    page_path, _, word_path = write_board_report(
        _with_spc(con),
        LA,
        EXTRACT,
        DEFINITIONS,
        PLANS,
        tmp_path,
        PROVENANCE,
        cadence,
        data_dir=tmp_path / "data",  # where the adviser report keeps its commentary
    )
    folder = page_path.parent
    # The PNG and SVG for papers sit beside the report, each with the marking and caption.
    for kpi_id in ("contacts_1wd_pct", "leavers_pa_pct"):
        assert (folder / "charts" / f"{kpi_id}.png").read_bytes()[:4] == b"\x89PNG"
    svg = (folder / "charts" / "contacts_1wd_pct.svg").read_text(encoding="utf-8")
    drawn_text = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    drawn_text += " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg))
    assert "OFFICIAL-SENSITIVE" in drawn_text
    assert "Testshire Borough Council (fictional) (900): Contacts decided" in drawn_text
    assert "Source: extract of 31 March 2024. Drawn 2 April 2024." in drawn_text
    assert not (folder / "charts" / "referrals_seen_pct.png").exists()

    page = page_path.read_text(encoding="utf-8")
    figures = re.findall(
        r'<figure class="chart"><img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)">'
        r"<figcaption>([^<]+)</figcaption></figure>",
        page,
    )
    assert [caption for _, _, caption in figures] == [CONTACTS_CAPTION, LEAVERS_CAPTION]
    assert base64.b64decode(figures[0][0]).decode("utf-8") == svg  # the same image, inline
    assert figures[0][1].startswith("Chart of Contacts decided within 1 working day by month")
    assert NO_REFERRALS_CHART in page
    assert 'src="charts/' not in page and "<script" not in page  # self-contained

    document = docx.Document(str(word_path))
    pictures = document.inline_shapes
    assert len(pictures) == 2
    assert pictures[0]._inline.docPr.get("descr").startswith("Chart of Contacts decided")
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == [CONTACTS_CAPTION, LEAVERS_CAPTION]
    texts = [p.text for p in document.paragraphs]
    assert NO_REFERRALS_CHART in texts
    # Each caption is the paragraph just below its picture.
    with_pictures = [i for i, p in enumerate(document.paragraphs) if p._p.xpath(".//pic:pic")]
    assert [texts[i + 1] for i in with_pictures] == [CONTACTS_CAPTION, LEAVERS_CAPTION]
