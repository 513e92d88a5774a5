"""The "not published" page in real runs: one writer per situation, written once.

The good extract of LA 900 from ``tests/test_gating.py`` is run once (its ``base`` fixture),
copied per case; then a newer extract arrives and ``csc-kpis run`` goes on. Every call of the
page's writer (``not_published.write``) is recorded, so a test sees each time the page was
written and with which reason, not only the words left at the end.
"""

import datetime as dt
import textwrap
from pathlib import Path

import dagster as dg
import pytest

from pipelines.defs.publish.run_failure import REPORTED_BY_CLI, reported_by_cli
from pipelines.lib import warehouse
from pipelines.lib.paths import resolve_paths
from pipelines.lib.publish import gating, not_published
from pipelines.lib.publish.not_published import Refused, Rejected
from pipelines.run_report import NOTHING_PUBLISHED
from pipelines.runner import CHECK_FAILED
from tests.conftest import write_extract
from tests.test_gating import GOOD, LA, NEW, TABLES, base, data, run

__all__ = ["base", "data"]  # fixtures, used by name

NEW_DATE = dt.date.fromisoformat(NEW)
# Contacts without their date column: a required column, so the delivery is rejected.
CONTACTS_NO_DATE = """
cont_contact_id,cont_person_id,cont_contact_source_code
K1,C1,1A
"""


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[not_published.Reason]:
    """The reason of every page written from now on."""
    written: list[not_published.Reason] = []
    real = not_published.write

    def recording(published: Path, la_code: str, name: str, reason: not_published.Reason) -> Path:
        written.append(reason)
        return real(published, la_code, name, reason)

    monkeypatch.setattr(not_published, "write", recording)
    return written


def _deliver(data: Path, **changed: str) -> None:
    tables = {**TABLES, **changed}
    write_extract(data / "inbox", LA, NEW, {k: textwrap.dedent(v) for k, v in tables.items()})


def _page(data: Path) -> str:
    return (data / "published" / LA / "not-published.html").read_text(encoding="utf-8")


def test_a_run_whose_outputs_refuse_writes_the_refusal_once_and_the_run_report_keeps_it(
    data: Path,
    writes: list[not_published.Reason],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Every output's gate refuses the new extract (the run is in this process: the in-process
    # executor). The refusing steps fail the run, and the run report then sees a failed run.
    reason = "stg/ssd_contacts: a rule made up for this test (1 of 3 rows)"
    monkeypatch.setattr(gating, "refusals", lambda *args, **kwargs: [reason])
    _deliver(data)
    capsys.readouterr()
    assert run(data) == NOTHING_PUBLISHED
    printed = capsys.readouterr().out
    # Each output that refused wrote the same page (board, adviser, scrutiny: the same gate);
    # the run report wrote nothing over it: no rejected delivery, no failed step in its words.
    assert writes, printed
    assert set(writes) == {Refused(NEW_DATE, (reason,))}, writes
    page = _page(data)
    assert "Not published: validation failed." in page
    assert "The extract of 14 January 2024 for" in page and reason in page
    assert "stopped with an error" not in page
    assert f"LA {LA}: not published: " in printed and "not-published.html" in printed


def test_a_rejected_delivery_is_written_once_by_the_run_report(
    data: Path, writes: list[not_published.Reason], capsys: pytest.CaptureFixture[str]
) -> None:
    _deliver(data, ssd_contacts=CONTACTS_NO_DATE)
    capsys.readouterr()
    assert run(data) == NOTHING_PUBLISHED
    printed = capsys.readouterr().out
    # By hand: the 14th was rejected; the 7th (GOOD) stays current, so the 14th is the one named.
    assert len(writes) == 1, (writes, printed)
    (rejected,) = writes
    assert isinstance(rejected, Rejected)
    assert [day for day, _ in rejected.deliveries] == [NEW_DATE]
    page = _page(data)
    assert "The extract of 14 January 2024 for" in page
    assert "extract 2024-01-14 was rejected: " in page
    assert GOOD not in page


def test_the_daemon_leaves_the_command_lines_runs_to_it() -> None:
    cli_run = dg.DagsterRun(job_name="refresh_la", tags={"la_code": LA, **REPORTED_BY_CLI})
    daemon_run = dg.DagsterRun(job_name="refresh_la", tags={"la_code": LA})
    assert reported_by_cli(cli_run)
    assert not reported_by_cli(daemon_run)


def _failed_run(
    instance: dg.DagsterInstance, refused: bool, tags: dict[str, str]
) -> dg.RunFailureSensorContext:
    """A run of one step that fails, as the daemon's run-failure sensor is handed it."""

    @dg.op
    def publish__board_report() -> None:
        metadata = {not_published.REFUSED_MARK: "written"} if refused else {}
        raise dg.Failure(description="it failed", metadata=metadata)

    @dg.job
    def refresh_la() -> None:
        publish__board_report()

    result = refresh_la.execute_in_process(instance=instance, raise_on_error=False, tags=tags)
    failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE)
    return dg.build_run_status_sensor_context(
        sensor_name="not_published_after_failure",
        dagster_event=failure,
        dagster_instance=instance,
        dagster_run=result.dagster_run,
    ).for_run_failure()


@pytest.mark.parametrize(
    ("refused", "by_cli", "written"),
    [(False, False, "StepFailed"), (True, False, None), (False, True, None)],
    ids=["step_failed", "output_refused", "run_of_the_command_line"],
)
def test_the_daemons_sensor_writes_only_what_no_one_else_does(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    writes: list[not_published.Reason],
    refused: bool,
    by_cli: bool,
    written: str | None,
) -> None:
    from pipelines.defs.automation.sensors import not_published_after_failure
    from pipelines.lib import warehouse

    monkeypatch.setenv("CSC_DATA_DIR", str(tmp_path))
    paths = resolve_paths()
    with warehouse.connect(paths.ensure().warehouse, write=True) as con:
        warehouse.ensure_schema(con)
        con.execute("insert into meta.la (la_code, la_name) values (?, 'Testshire')", [LA])
    tags = {"la_code": LA, **(REPORTED_BY_CLI if by_cli else {})}
    with dg.DagsterInstance.ephemeral() as instance:
        not_published_after_failure(_failed_run(instance, refused, tags))
    assert [type(w).__name__ for w in writes] == ([written] if written else [])
    if written:
        page = (paths.published / LA / "not-published.html").read_text(encoding="utf-8")
        assert "failed in <code>publish__board_report</code>" in page


def test_a_rejected_delivery_does_not_print_the_earlier_extracts_failed_checks(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The good extract's validation is given a failed blocking expectation (as if it had been
    # published with KPIs withheld). The rejected newer delivery is never validated, so that
    # failure is the earlier extract's, reported in its own run: the rejection must not be
    # explained by it ("validation failed, so nothing was published from this extract").
    with warehouse.connect(resolve_paths(data).warehouse, write=True) as con:
        con.execute(
            """insert into meta.validation_results (la_code, extract_date, layer, asset,
                   check_description, severity, success, element_count, unexpected_count)
               values (?, ?, 'stg', 'ssd_contacts', 'an earlier failure', 'error', false, 3, 1)""",
            [LA, GOOD],
        )
    _deliver(data, ssd_contacts=CONTACTS_NO_DATE)
    capsys.readouterr()
    assert run(data) == NOTHING_PUBLISHED
    printed = capsys.readouterr().out
    assert f"extract {NEW} was REJECTED" in printed
    assert "validation failed" not in printed and "an earlier failure" not in printed


def test_several_failed_blocking_checks_read_as_failed_checks_not_as_an_error() -> None:
    # Dagster's words for one failed blocking check and for several.
    assert CHECK_FAILED.search("1 blocking asset check failed")
    assert CHECK_FAILED.search("2 blocking asset checks failed")
    assert not CHECK_FAILED.search("duckdb.IOException: could not set lock on file")
