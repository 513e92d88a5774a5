"""The six-weekly adviser report on the board report's hand-made warehouse (test_board.py).

Worked by hand from that fixture (extract of 31 March 2024, so the month now is March 2024):

- no adviser report published before: the last report is six weeks before, 18 February 2024,
  whose last whole month is January 2024.
  - contacts_1wd_pct: 88.0% amber in January, 91.4% green in March: up 3.4 points, an
    improvement; progress (amber then, green now).
  - referrals_seen_pct: no January figure or status (its series starts in February): not
    comparable.
  - leavers_pa_pct: 75.0% red in January, 75.66 (75.7%) red and slow in March: up 0.7 points,
    an improvement, but concern (red now).
  - front door gives progress (progress beats not comparable), care leavers concern.
- a report published on 3 March 2024: its last whole month is February 2024.
  - contacts 89.5% amber -> 91.4% green: up 1.9 points; referrals 88.0% green -> 92.0% green:
    up 4.0 points, progress by the figure; leavers 76.0% -> 75.7%: down 0.3 points, a
    deterioration.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import docx
import duckdb
import openpyxl
import pytest

from pipelines.lib.publish import marking, site
from pipelines.lib.publish.adviser_progress import adviser_progress
from pipelines.lib.publish.board import report_content, write_board_report
from pipelines.lib.publish.board.adviser_content import (
    AdviserSection,
    adviser_section,
    commentary_plan,
    contribution_rows,
    intro_lines,
    last_report_date,
    slow_rows,
)
from pipelines.lib.publish.board.adviser_render import html_section
from pipelines.lib.publish.board.charts import draw_charts
from pipelines.lib.publish.board.render_html import render_html
from tests.publish.test_board import (
    DEFINITIONS,
    EXTRACT,
    LA,
    PLAN,
    PLAN_ID,
    PROVENANCE,
    SLOW_LABEL,
    SLOW_REASON,
    board_warehouse,
)

OWNED = dataclasses.replace(PLAN, owners={"care_leavers": ("Head of service, care leavers",
                                                           "Housing")})  # fmt: skip
PLANS = {PLAN_ID: OWNED}
CONTACTS = "Contacts decided within 1 working day"
REFERRALS = "Referred children seen within 5 working days"


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = board_warehouse(tmp_path)
    # The figures compared are the newest extract's (``export kpis``): record the run.
    con.execute("insert into kpi.kpi_runs values (?, ?, 'h', 5, 1, null)", [LA, EXTRACT])
    yield con
    con.close()


def _write(con: duckdb.DuckDBPyConnection, out: Path, cadence: str = "adviser") -> list[Path]:
    return write_board_report(
        con, LA, EXTRACT, DEFINITIONS, PLANS, out / "published", PROVENANCE, cadence, out / "data"
    )


def _measures(section: object) -> dict[str, tuple[str, str | None, str | None, str, str]]:
    return {
        m.kpi.id: (m.sentence, m.rag_then, m.rag_now, m.verdict, m.why)
        for a in section.areas  # type: ignore[attr-defined]
        for m in a.measures
    }


def test_since_six_weeks_before_when_no_report_was_published(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    section = adviser_section(
        con, LA, EXTRACT, [OWNED], DEFINITIONS, tmp_path / "data", tmp_path / "published"
    )
    assert (section.last_report, section.month_then, section.month_now) == (
        dt.date(2024, 2, 18),
        dt.date(2024, 1, 31),
        EXTRACT,
    )
    assert not section.last_report_published
    assert intro_lines(section)[0] == (
        "No earlier adviser report is published for the LA, so the last report is taken to be "
        "six weeks before this one (18 February 2024)."
    )
    assert _measures(section) == {
        "contacts_1wd_pct": (
            f"{CONTACTS}: from 88.0% in January 2024 to 91.4% in March 2024, up 3.4 points, "
            "an improvement.",
            "amber",
            "green",
            "progress",
            "amber at the last report, green now",
        ),
        "referrals_seen_pct": (
            f"{REFERRALS}: no figure for January 2024, so no change can be given.",
            None,
            "green",
            "not comparable",
            "no figure for January 2024 to compare with",
        ),
        "leavers_pa_pct": (
            f"{SLOW_LABEL}: from 75.0% in January 2024 to 75.7% in March 2024, up 0.7 points, "
            "an improvement.",
            "red",
            "red",
            "concern",
            "red now",
        ),
    }
    assert [a.verdict for a in section.areas] == ["progress", "concern"]
    assert slow_rows(section) == [
        [("Care leavers 21 and over", None), (SLOW_LABEL, None), ("Red", "red"),
         (SLOW_REASON, None)]
    ]  # fmt: skip
    # The area giving concern, with who contributes as the plan names them.
    assert contribution_rows(section) == [
        [("Care leavers 21 and over", None), ("Concern", None),
         ("Head of service, care leavers; Housing", None), ("", None)]
    ]  # fmt: skip


def test_since_the_newest_earlier_report_published(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    published = tmp_path / "published"
    adviser = published / LA / "internal" / "board" / "adviser"
    for name, files in (
        ("2024-02-04", 1),
        ("2024-03-03", 1),
        ("2024-03-17", 0),
        (".2024-03-24.pid1-x", 1),
        ("2024-03-31", 1),
        ("2024-04-28", 1),
    ):
        (adviser / name).mkdir(parents=True)
        if files:
            (adviser / name / "adviser-report.html").write_text("earlier")
    # 17 March is empty (nothing published), 31 March is this report's own, 28 April later.
    assert last_report_date(published, LA, EXTRACT) == dt.date(2024, 3, 3)
    section = adviser_section(con, LA, EXTRACT, [OWNED], DEFINITIONS, tmp_path, published)
    assert section.last_report_published and section.month_then == dt.date(2024, 2, 29)
    assert intro_lines(section)[0] == (
        "The last report is the adviser report of 3 March 2024, the newest published for the LA "
        "before this one."
    )
    measures = _measures(section)
    assert measures["contacts_1wd_pct"][0] == (
        f"{CONTACTS}: from 89.5% in February 2024 to 91.4% in March 2024, up 1.9 points, "
        "an improvement."
    )
    assert measures["referrals_seen_pct"] == (
        f"{REFERRALS}: from 88.0% in February 2024 to 92.0% in March 2024, up 4.0 points, "
        "an improvement.",
        "green",
        "green",
        "progress",
        "improved since the last report",
    )
    assert measures["leavers_pa_pct"][0] == (
        f"{SLOW_LABEL}: from 76.0% in February 2024 to 75.7% in March 2024, down 0.3 points, "
        "a deterioration."
    )


def test_differs_from_the_board_report_by_its_section(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    board = _write(con, tmp_path, "monthly")
    adviser = _write(con, tmp_path)
    assert [p.name for p in board] == [
        f"board-report-2024-03.{e}" for e in ("html", "xlsx", "docx")
    ]
    assert [p.name for p in adviser] == [
        f"adviser-report-2024-03-31.{e}" for e in ("html", "xlsx", "docx")
    ]
    board_page, page = (p[0].read_text(encoding="utf-8") for p in (board, adviser))
    assert "Since the last report" not in board_page
    # The adviser page is the board page (under the adviser's title) with its part first.
    start = page.index('<section id="since-last-report">')
    end = page.index("</section>", page.index('<section id="contributions">')) + len("</section>")
    assert start < page.index("<h2>Summary</h2>")
    content = draw_charts(
        report_content(con, LA, EXTRACT, DEFINITIONS, PLANS, PROVENANCE, "adviser"),
        tmp_path / "charts",
    )
    assert page[: start - 1] + page[end:] == marking.mark_html(render_html(content))
    monthly = draw_charts(
        report_content(con, LA, EXTRACT, DEFINITIONS, PLANS, PROVENANCE, "monthly"),
        tmp_path / "charts",
    )
    assert (
        dataclasses.replace(
            content, cadence="monthly", title=monthly.title, period_text=monthly.period_text
        )
        == monthly
    )
    for text in (
        "Since the last report (18 February 2024)",
        "Front door timeliness: Progress",
        "Objectives slow to progress",
        "Contributions to strengthen",
        "Head of service, care leavers; Housing",
        "up 3.4 points",
        "Not comparable",
    ):
        assert text in page[start:end], text  # fmt: skip

    document = docx.Document(str(adviser[2]))
    headings = [p.text for p in document.paragraphs if p.style and p.style.name.startswith("Head")]
    assert headings.index("Since the last report (18 February 2024)") < headings.index("Summary")
    assert "Front door timeliness: Progress" in headings
    assert headings.index("Contributions to strengthen") < headings.index("Summary")
    cell_text = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert f"{CONTACTS}: from 88.0% in January 2024 to 91.4% in March 2024, up 3.4 points, " \
        "an improvement." in cell_text  # fmt: skip
    board_doc = docx.Document(str(board[2]))
    assert not any("Since the last report" in p.text for p in board_doc.paragraphs)

    book = openpyxl.load_workbook(adviser[1])
    assert book.sheetnames[:3] == ["Since the last report", "Actions", "Summary"]
    assert openpyxl.load_workbook(board[1]).sheetnames[0] == "Summary"
    sheet = book["Since the last report"]
    rows = {r[2]: r for r in sheet.iter_rows(values_only=True) if r[2] == CONTACTS}
    # Figures as numbers, the RAG in its own columns.
    assert rows[CONTACTS][3:7] == (88.0, "in January 2024", 91.4, "in March 2024")
    assert rows[CONTACTS][8:11] == ("Amber", "Green", "Progress")

    # The LA's page links both reports by their own names.
    site.write_la_index(tmp_path / "published", LA, PROVENANCE.la_name)
    index = (tmp_path / "published" / LA / "index.html").read_text(encoding="utf-8")
    assert "internal/board/monthly/2024-03/board-report-2024-03.docx" in index
    assert "internal/board/adviser/2024-03-31/adviser-report-2024-03-31.docx" in index


def test_commentary_written_between_runs_is_kept(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    paths = _write(con, tmp_path)
    path = tmp_path / "data" / "commentary" / LA / "adviser-report-2024-03-31.yaml"
    assert "was created by this run as a template" in paths[0].read_text(encoding="utf-8")
    template = path.read_text(encoding="utf-8")
    written = template.replace('summary: ""', "summary: Front door <b>steadier</b> since May", 1)
    written = written.replace(
        "  front_door:\n",
        "  front_door:\n"
        "    commentary: '=1+1 rota changed in February'\n"
        "    actions:\n"
        "      - {action: Review the rota, owner: Head of MASH, due: 2024-05-31}\n"
        "    contributions: Police attendance at strategy discussions\n",
        1,
    ).replace('    commentary: ""\n    actions: []\n    contributions: ""\n', "", 1)
    path.write_text(written, encoding="utf-8")

    paths = _write(con, tmp_path)
    assert path.read_text(encoding="utf-8") == written  # never written over
    page = paths[0].read_text(encoding="utf-8")
    assert "Front door &lt;b&gt;steadier&lt;/b&gt; since May" in page  # escaped
    assert "=1+1 rota changed in February" in page
    assert "Review the rota</th><td>Head of MASH</td><td>31 May 2024</td>" in page
    # An area giving no concern is listed when the analyst names a contribution.
    assert "<td>Progress</td><td>the plan names no one for this area</td>" in page
    assert "Police attendance at strategy discussions" in page
    text = "\n".join(p.text for p in docx.Document(str(paths[2])).paragraphs)
    assert "Front door <b>steadier</b> since May" in text and "=1+1 rota changed" in text
    book = openpyxl.load_workbook(paths[1])
    commentary = [c for row in book["Since the last report"].iter_rows() for c in row
                  if c.value == "=1+1 rota changed in February"]  # fmt: skip
    assert commentary and commentary[0].data_type == "s"  # text, never a formula
    actions = list(book["Actions"].iter_rows(values_only=True))
    assert ("Front door timeliness", "Review the rota", "Head of MASH",
            dt.datetime(2024, 5, 31)) in actions  # fmt: skip

    # A file the analyst broke is named with the reason; the report is still written.
    path.write_text("areas:\n  front_door: {commentary: [unclosed\n", encoding="utf-8")
    page = _write(con, tmp_path)[0].read_text(encoding="utf-8")
    assert "The commentary file could not be read" in page and str(path) in page
    assert "not valid YAML" in page
    assert path.read_text(encoding="utf-8").startswith("areas:")


def test_the_adviser_report_needs_the_data_folder(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="data folder"):
        write_board_report(
            con, LA, EXTRACT, DEFINITIONS, PLANS, tmp_path, PROVENANCE, cadence="adviser"
        )


def test_an_la_with_no_plan_or_several(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    section = adviser_section(con, LA, EXTRACT, [], DEFINITIONS, tmp_path, tmp_path)
    assert section.commentary is None and not (tmp_path / "commentary").exists()
    assert intro_lines(section)[1] == (
        "The LA's la.yaml names no notice or plan: there is no area to report progress against."
    )
    page = html_section(section)
    assert "No commentary file: the LA names no plan" in page
    assert "No objective is slow to progress at the end of March 2024." in page
    # Two plans: one commentary file listing the areas of both, each area once.
    other = dataclasses.replace(
        PLAN, id="other", title="Other plan", areas={"front_door": "x", "workforce": "Workforce"}
    )
    merged = commentary_plan([OWNED, other])
    assert list(merged.areas) == ["front_door", "care_leavers", "workforce"]
    assert merged.areas["front_door"] == "Front door timeliness"


def test_a_report_within_the_month_of_the_last_says_nothing_can_be_compared(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # The last report on 31 March, this one on 7 April 2024 (from the same extract): both read
    # March, so the intro says so and no measure is steady or progress (red or slow stay concern).
    report = EXTRACT + dt.timedelta(days=7)
    progress = adviser_progress(con, LA, OWNED, DEFINITIONS, report, EXTRACT, EXTRACT)
    section = AdviserSection(report, EXTRACT, True, (progress,), None)
    assert intro_lines(section)[1] == (
        "No month has ended since then: both reports read March 2024, so no measure's change "
        "can be judged yet (each is not comparable unless it is red or slow to progress now)."
    )
    verdicts = {m.verdict for a in progress.areas for m in a.measures}
    assert verdicts and verdicts <= {"not comparable", "concern"}
