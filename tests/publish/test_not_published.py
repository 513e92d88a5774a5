"""The "not published" page: its words in each situation, and who writes it when (one writer,
``lib/publish/not_published``).

The warehouse here is hand-made: LA 992 (Testshire) with deliveries whose statuses are set per
case, so each expected sentence can be read off the rows.
"""

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.publish import not_published, site
from pipelines.lib.publish.figures import NotPublishable
from pipelines.lib.publish.not_published import FailedStep, Refused, Rejected, StepFailed
from pipelines.lib.warehouse import ensure_schema

LA, NAME = "992", "Testshire"
JAN_14, JAN_21, JAN_28 = dt.date(2024, 1, 14), dt.date(2024, 1, 21), dt.date(2024, 1, 28)
NOW = dt.datetime(2024, 1, 29, 9, 5)


def _text(html: str) -> str:
    """The page's words: tags removed, spaces collapsed, none before punctuation."""
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
    return re.sub(r"\( ", "(", re.sub(r" ([.,;:)])", r"\1", words))


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    """Testshire: the 14th loaded (current), the 21st and 28th as each test sets them."""
    connection = duckdb.connect()
    ensure_schema(connection)
    connection.execute("insert into meta.la (la_code, la_name) values (?, ?)", [LA, NAME])
    _delivery(connection, JAN_14, "loaded")
    return connection


def _delivery(
    con: duckdb.DuckDBPyConnection, day: dt.date, status: str, message: str | None = None
) -> None:
    con.execute(
        """insert into meta.deliveries (la_code, extract_date, delivery_id, status, folder,
                                        n_files, message)
           values (?, ?, ?, ?, ?, 1, ?)""",
        [LA, day, f"d{day:%d}", status, f"inbox/{LA}/{day}", message],
    )


def _page(published: Path) -> str:
    return _text((published / LA / site.NOT_PUBLISHED).read_text(encoding="utf-8"))


def test_a_refusal_lists_the_checks_that_failed(tmp_path: Path) -> None:
    reason = Refused(JAN_21, ("stg/ssd_contacts: rule x (3 of 3 rows)", "no KPI it shows passed"))
    words = _text(not_published.compose(reason, tmp_path, LA, NAME, NOW))
    assert words == (
        "Not published: validation failed. The extract of 21 January 2024 for Testshire (992) "
        "did not pass its blocking checks, so no clinic pack, board report or scrutiny export "
        "was made from it. stg/ssd_contacts: rule x (3 of 3 rows) no KPI it shows passed "
        "The outputs published before stay in place and are listed on the LA page. Correct the "
        "extract and deliver it again (same date or a new one); the next run publishes it once "
        "its checks pass. Written 29 January 2024 09:05."
    )


def test_a_refusal_links_the_validation_report_when_there_is_one(tmp_path: Path) -> None:
    report = tmp_path / LA / "internal" / "validation" / "2024-01-21.html"
    report.parent.mkdir(parents=True)
    report.write_text("report", encoding="utf-8")
    html = not_published.compose(Refused(JAN_21, ("r",)), tmp_path, LA, NAME, NOW)
    assert 'href="internal/validation/2024-01-21.html"' in html
    # None for the 28th: no link to a report that does not exist.
    html = not_published.compose(Refused(JAN_28, ("r",)), tmp_path, LA, NAME, NOW)
    assert "validation report" not in html


def test_rejected_deliveries_are_named_with_why_the_newest_first_in_the_headline(
    tmp_path: Path,
) -> None:
    reason = Rejected(((JAN_21, "ssd_person.csv: no column pers_person_id"), (JAN_28, "x")))
    words = _text(not_published.compose(reason, tmp_path, LA, NAME, NOW))
    assert words.startswith(
        "Not published: validation failed. The extract of 28 January 2024 for Testshire (992) "
        "did not pass its blocking checks, so no clinic pack, board report or scrutiny export "
        "was made from it. extract 2024-01-21 was rejected: ssd_person.csv: no column "
        "pers_person_id extract 2024-01-28 was rejected: x The outputs published before"
    )


def test_a_step_that_failed_is_named_and_not_called_a_validation_failure(tmp_path: Path) -> None:
    reason = StepFailed(("publish__board_report", "stg_tables"), JAN_21)
    words = _text(not_published.compose(reason, tmp_path, LA, NAME, NOW))
    assert words == (
        "Not published: a run stopped with an error. The run of the extract of 21 January 2024 "
        "for Testshire (992) failed in publish__board_report, stg_tables, so it did not make the "
        "outputs that depend on what failed. The run's log says what went wrong (the csc-kpis "
        "run output, or the run in Dagster's UI). The outputs published before stay in place and "
        "are listed on the LA page. Put the fault right and run the LA again (csc-kpis run --la "
        "992); a run that publishes removes this page. Written 29 January 2024 09:05."
    )
    assert "validation failed" not in words


def test_the_landing_page_shows_the_page_first_and_clearing_removes_both(tmp_path: Path) -> None:
    not_published.write(tmp_path, LA, NAME, Refused(JAN_21, ("r",)))
    index = _text((tmp_path / LA / "index.html").read_text(encoding="utf-8"))
    assert index.split(" Internal:")[0].endswith(
        "Not published. Outputs of the newest extract were not made: why. The outputs below are "
        "from the extracts published before."
    )
    site.clear_not_published(tmp_path, LA, NAME)
    assert not (tmp_path / LA / site.NOT_PUBLISHED).exists()
    assert "Not published" not in (tmp_path / LA / "index.html").read_text(encoding="utf-8")


def test_an_output_refusing_its_newest_delivery_writes_the_page(tmp_path: Path) -> None:
    refused = NotPublishable(LA, JAN_21, ["stg/ssd_contacts: rule x (3 of 3 rows)"])
    page = not_published.after_refusal(tmp_path, LA, NAME, refused, newest=JAN_21)
    assert page == tmp_path / LA / site.NOT_PUBLISHED
    assert "stg/ssd_contacts: rule x (3 of 3 rows)" in _page(tmp_path)


def test_a_refusal_of_an_older_extract_or_of_none_writes_nothing(tmp_path: Path) -> None:
    # A clinic pack backfilled for a week of the 14th, when the 21st is the newest delivery: it
    # says nothing about what is published now.
    older = NotPublishable(LA, JAN_14, ["kpi/x: rule (1 of 1 rows)"])
    assert not_published.after_refusal(tmp_path, LA, NAME, older, newest=JAN_21) is None
    nothing = NotPublishable(LA, None, ["no extract of this LA has KPIs computed yet"])
    assert not_published.after_refusal(tmp_path, LA, NAME, nothing, newest=None) is None
    assert not (tmp_path / LA / site.NOT_PUBLISHED).exists()


def test_a_run_whose_output_refused_keeps_the_refusals_page(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # The 21st loaded; the board refused it (writing the page), so the run failed. A rejected
    # delivery of the 28th from another run must not replace the refusal's words either.
    _delivery(con, JAN_21, "loaded")
    refused = NotPublishable(LA, JAN_21, ["no KPI it shows passed: a, b read ssd_contacts"])
    page = not_published.after_refusal(tmp_path, LA, NAME, refused, newest=JAN_21)
    assert page is not None
    written = page.read_bytes()
    failed = [FailedStep("publish__board_report", refused=True), FailedStep("x", refused=False)]
    assert not_published.after_failed_run(con, tmp_path, LA, failed) == page
    assert page.read_bytes() == written


def test_a_run_with_a_rejected_delivery_names_it(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # By hand: the current extract is the 14th; the 21st was rejected, so it is named; a
    # rejection older than the current extract (the 7th) is not.
    _delivery(con, dt.date(2024, 1, 7), "rejected", "old news")
    _delivery(con, JAN_21, "rejected", "ssd_person.csv: no column pers_person_id")
    failed = [FailedStep("raw_extracts", refused=False)]
    page = not_published.after_failed_run(con, tmp_path, LA, failed)
    assert page == tmp_path / LA / site.NOT_PUBLISHED
    words = _page(tmp_path)
    assert "The extract of 21 January 2024 for Testshire (992) did not pass" in words
    assert "extract 2024-01-21 was rejected: ssd_person.csv: no column pers_person_id" in words
    assert "old news" not in words


def test_a_run_that_failed_with_an_error_names_its_steps(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    _delivery(con, JAN_21, "loaded")
    failed = [FailedStep("kpi__cla_open", refused=False), FailedStep("stg_tables", False)]
    assert not_published.after_failed_run(con, tmp_path, LA, failed) is not None
    words = _page(tmp_path)
    assert "The run of the extract of 21 January 2024 for Testshire (992) failed in " in words
    assert "kpi__cla_open, stg_tables" in words


def test_a_failed_run_with_nothing_to_explain_writes_nothing(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # Only the worklists failed (the reporter leaves them out: nothing published rests on them).
    assert not_published.after_failed_run(con, tmp_path, LA, []) is None
    assert not (tmp_path / LA).exists()
