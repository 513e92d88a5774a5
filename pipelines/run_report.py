"""What one `csc-kpis run` did for each LA, and the exit code of the whole run.

The runner starts the jobs; what they did is read here from the warehouse (deliveries, defects,
the checks that failed, the KPIs withheld), and after a failed run the "not published" page is
written here (``not_published.after_failed_run``: unless an output that refused wrote it).
"""

import datetime as dt
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import run_guard
from pipelines.defs.resources import WAREHOUSE_GATE
from pipelines.lib import paths, warehouse
from pipelines.lib.publish import not_published
from pipelines.lib.validation.run import blocking_failure_lines, latest_validated


@dataclass
class LARunReport:
    la_code: str
    success: bool
    new_deliveries: list[tuple[str, str, str]] = field(default_factory=list)  # date, id, status
    defects: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # folders in the inbox that are not extracts
    validation_failures: list[str] = field(default_factory=list)
    checks_failed: bool = False  # a blocking check of this run failed
    error: str | None = None
    refused: str | None = None  # not an LA folder: why it was skipped before any run
    clinic_pack: Path | None = None
    not_published: Path | None = None
    withheld: list[str] = field(default_factory=list)  # KPIs published without: why, since

    @property
    def rejected(self) -> list[tuple[str, str, str]]:
        return [d for d in self.new_deliveries if d[2] == "rejected"]


# ``csc-kpis run`` exit codes: every LA published in full; published with KPIs withheld;
# nothing published for an LA (a rejected delivery, failed checks, or an error).
ALL_PUBLISHED, NOTHING_PUBLISHED, KPIS_WITHHELD = 0, 1, 3


def withheld_lines(con: duckdb.DuckDBPyConnection, la_code: str) -> list[str]:
    """The KPIs withheld from the LA's newest computed extract: per failed table, since when and
    why on one line, then the KPIs it withholds, wrapped for a terminal."""
    from pipelines.lib.kpi.outputs import newest_extract
    from pipelines.lib.publish.gating import shown_withheld, summary_parts

    extract = newest_extract(con, la_code)
    parts = summary_parts(shown_withheld(con, la_code, extract)) if extract else []
    return [
        f"{since}, {why}\n"
        + textwrap.fill(
            ", ".join(kpis), 100, initial_indent="    KPIs: ", subsequent_indent="          "
        )
        for since, kpis, why in parts
    ]


def exit_status(reports: list[LARunReport]) -> int:
    """One code for the whole run: the worst LA's."""
    if any(r.refused or r.rejected or not r.success for r in reports):
        return NOTHING_PUBLISHED
    if any(r.withheld for r in reports):
        return KPIS_WITHHELD
    return ALL_PUBLISHED


@contextmanager
def _reading(data_paths: paths.DataPaths) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection, never at the same time as another of this process (a clinic
    pack may be drawn beside the next LA's run: see ``WAREHOUSE_GATE``)."""
    with WAREHOUSE_GATE, warehouse.connect(data_paths.warehouse) as con:
        yield con


def deliveries(data_paths: paths.DataPaths, la_code: str) -> set[tuple[str, str, str]]:
    """The LA's deliveries as the warehouse records them: (extract date, id, status)."""
    if not data_paths.warehouse.exists():
        return set()
    with _reading(data_paths) as con:
        exists = con.execute(
            """select count(*) from information_schema.tables
               where table_schema = 'meta' and table_name = 'deliveries'"""
        ).fetchone()
        if not exists or not exists[0]:
            return set()
        rows = con.execute(
            """select cast(extract_date as varchar), delivery_id, status
               from meta.deliveries where la_code = ?""",
            [la_code],
        ).fetchall()
    return {(d, i, s) for d, i, s in rows}


def read_outcome(
    report: LARunReport,
    data_paths: paths.DataPaths,
    before: set[tuple[str, str, str]],
    failed: Sequence[not_published.FailedStep],
) -> None:
    """Fill in what the LA's run did: its new deliveries (``before``: those recorded before it)
    and their defects; when it failed (``failed``: its failed steps), the blocking checks that
    failed and the "not published" page; when it succeeded, the KPIs withheld."""
    after = deliveries(data_paths, report.la_code)
    # A delivery whose status moved on (received -> loaded) is the same delivery.
    new_ids = {i for _, i, _ in after - before}
    report.new_deliveries = [d for d in sorted(after) if d[1] in new_ids and d[2] != "superseded"]
    if not data_paths.warehouse.exists():
        return
    with _reading(data_paths) as con:
        if new_ids:
            report.defects = run_guard.defect_lines(con, report.la_code, sorted(new_ids))
        if not report.success:
            # The failed expectations are this run's only when its checks failed on the LA's
            # newest delivery; after a rejected delivery or a crash the newest validated
            # extract is an earlier one, already reported (and published or withheld) then.
            newest = not_published.newest_delivery(con, report.la_code)
            if report.checks_failed and newest == latest_validated(con, report.la_code):
                report.validation_failures = blocking_failure_lines(con, report.la_code)
            report.not_published = not_published.after_failed_run(
                con, data_paths.published, report.la_code, failed
            )
        else:
            report.withheld = withheld_lines(con, report.la_code)


def pack_week(data_paths: paths.DataPaths, la_code: str) -> dt.date | None:
    """The week whose clinic pack a run makes: the one the LA's newest extract with KPIs
    completes (None when it has none)."""
    from pipelines.lib.kpi.outputs import newest_extract
    from pipelines.lib.publish.clinic import week_start

    with _reading(data_paths) as con:
        extract = newest_extract(con, la_code)
    return week_start(extract) if extract is not None else None
