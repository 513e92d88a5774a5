"""One pipeline stage, run in its own process by ``bench/run.py``.

Each stage calls the library functions the Dagster assets call, in the same order, on one data
folder (``--data-dir``) and inbox (``--inbox``), so running the stages one after another does what
one ``csc-kpis run`` does for one LA (bar the Dagster machinery). The stage writes a JSON report:
time spent importing, time per step, rows, and its own peak memory.

    python bench/stages.py kpi --data-dir D --inbox I --la-code 992 --report kpi.json
"""

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# In the order they must run: each reads what the one before wrote.
STAGES = ("reference", "ingest", "staging", "kpi", "checks", "publish")
RUN_ID = "bench"


class StageReport:
    """What one stage did and how long each step took (seconds, wall)."""

    def __init__(self, stage: str) -> None:
        self.stage = stage
        self.steps: dict[str, float] = {}
        self.rows: dict[str, Any] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.steps[name] = round(self.steps.get(name, 0.0) + time.perf_counter() - started, 4)


def _import_pipeline() -> None:
    """Import what the stages use, so import time is reported apart from the work."""
    import pipelines.lib.ingest
    import pipelines.lib.kpi.engine
    import pipelines.lib.kpi.outputs
    import pipelines.lib.publish.board
    import pipelines.lib.publish.clinic
    import pipelines.lib.publish.scrutiny
    import pipelines.lib.publish.worklists
    import pipelines.lib.validation.report
    import pipelines.lib.validation.run  # noqa: F401


def _definitions(report: StageReport) -> tuple[list[Any], dict[str, Any]]:
    from pipelines.lib.kpi.definitions import load_definitions
    from pipelines.lib.kpi.targets import load_plans

    with report.step("load_definitions"):
        return load_definitions(), load_plans()


@contextmanager
def _writer(data_dir: Path, inbox: Path) -> Iterator[Any]:
    """A write connection as the ``Warehouse`` resource opens one (schema ensured)."""
    from pipelines.lib import paths, warehouse

    data_paths = paths.resolve_paths(data_dir, inbox).ensure()
    with warehouse.connect(data_paths.warehouse, write=True) as con:
        warehouse.ensure_schema(con)
        yield con


def _current_extract(con: Any, la_code: str) -> Any:
    from pipelines.lib import warehouse  # imported inside each stage, so its import time counts

    return warehouse.current_extract(con, la_code)


def stage_reference(data_dir: Path, inbox: Path, la_code: str, report: StageReport) -> None:
    """Reference data every LA shares (the ``refresh_reference`` job)."""
    from pipelines.lib import calendar
    from pipelines.lib.kpi import outputs
    from pipelines.lib.publish.standing import load_standing_tables

    definitions, _ = _definitions(report)
    with _writer(data_dir, inbox) as con:
        with report.step("install_calendar"):
            report.rows["ref.working_day_calendar"] = calendar.install_calendar(con)
        with report.step("load_benchmarks"):
            report.rows["ref.benchmarks"] = outputs.load_benchmarks(con)
            report.rows["ref.benchmark_distributions"] = load_standing_tables(con)
        with report.step("load_catalogue"):
            report.rows["ref.kpi_catalogue"] = outputs.load_catalogue(con, definitions)


def stage_ingest(data_dir: Path, inbox: Path, la_code: str, report: StageReport) -> None:
    """Extract folders into the raw tables (the ``raw_extracts`` asset)."""
    from pipelines.lib import ingest

    with report.step("scan_la"):
        la = ingest.scan_la(inbox, la_code)
    if la.config is None:
        raise SystemExit(f"LA {la_code}: {la.config_error}")
    with _writer(data_dir, inbox) as con:
        with report.step("save_la_config"):
            ingest.save_la_config(con, la.config)
        with report.step("receive_extract"):
            statuses = [r.status for r in ingest.receive_la(con, la.extracts)]
        rows = con.execute(
            """select table_name, sum(rows_read) from meta.delivery_files
               where la_code = ? group by table_name order by table_name""",
            [la_code],
        ).fetchall()
    report.rows["deliveries"] = statuses
    report.rows["raw"] = {table: int(count or 0) for table, count in rows}
    report.rows["raw_total"] = sum(report.rows["raw"].values())


def stage_staging(data_dir: Path, inbox: Path, la_code: str, report: StageReport) -> None:
    """Raw text typed into staging and made current (``staged_extracts``, before its checks)."""
    from pipelines.lib import ingest
    from pipelines.lib.contract import TABLES

    with _writer(data_dir, inbox) as con:
        with report.step("stage_received"):
            results = ingest.stage_received(con, la_code)
        counts = {
            t.name: con.execute(
                f"select count(*) from current.{t.name} where la_code = ?", [la_code]
            ).fetchone()[0]
            for t in TABLES
        }
        quarantined = con.execute(
            "select count(*) from stg.quarantine where la_code = ?", [la_code]
        ).fetchone()[0]
    report.rows["deliveries_staged"] = len(results)
    report.rows["current"] = {name: int(count) for name, count in sorted(counts.items())}
    report.rows["current_total"] = sum(report.rows["current"].values())
    report.rows["quarantine"] = int(quarantined)


def stage_kpi(data_dir: Path, inbox: Path, la_code: str, report: StageReport) -> None:
    """The KPI engine for the newest extract, then status and SPC (``kpi_values``,
    ``kpi_status``, ``kpi_spc``, without their checks)."""
    from pipelines.lib.kpi import outputs
    from pipelines.lib.kpi.engine import compute_extract, pending_extracts

    definitions, plans = _definitions(report)
    with _writer(data_dir, inbox) as con:
        pending = pending_extracts(con, la_code, definitions)
        # Already computed (a re-run on a kept folder): compute the newest again anyway, so the
        # benchmark always measures the engine.
        extracts = pending or [_current_extract(con, la_code)]
        if extracts == [None]:
            raise SystemExit(f"LA {la_code}: no extract was loaded (see the ingest stage)")
        with report.step("compute_extract"):
            for extract_date in extracts:
                compute_extract(con, definitions, la_code, extract_date)
        with report.step("refresh_status"):
            report.rows["kpi.kpi_status"] = outputs.refresh_status(con, la_code, definitions, plans)
        with report.step("refresh_spc"):
            report.rows["kpi.kpi_spc"] = outputs.refresh_spc(con, la_code, definitions, plans)
        for table in ("kpi_values", "kpi_values_by_dimension"):
            report.rows[f"kpi.{table}"] = int(
                con.execute(
                    f"select count(*) from kpi.{table} where la_code = ?", [la_code]
                ).fetchone()[0]
            )


def stage_checks(data_dir: Path, inbox: Path, la_code: str, report: StageReport) -> None:
    """Great Expectations suites on staging and on the KPI values, and the validation report
    (the checks of ``staged_extracts`` and ``kpi_values``)."""
    from pipelines.lib import paths
    from pipelines.lib.kpi import outputs
    from pipelines.lib.validation.report import write_report
    from pipelines.lib.validation.run import validate_kpis, validate_staged

    definitions, _ = _definitions(report)
    published = paths.resolve_paths(data_dir, inbox).published
    with _writer(data_dir, inbox) as con:
        current = _current_extract(con, la_code)
        with report.step("validate_staged"):
            staged = validate_staged(con, la_code, current)
        newest = outputs.newest_extract(con, la_code)
        with report.step("validate_kpis"):
            kpis = validate_kpis(con, la_code, newest, definitions) if newest else {}
        with report.step("write_report"):
            write_report(con, la_code, newest or current, published)
    report.rows["suites"] = len(staged) + len(kpis)
    suites = [*staged.values(), *kpis.values()]
    report.rows["suites_with_errors"] = sum(bool(s.errors) for s in suites)


def stage_publish(data_dir: Path, inbox: Path, la_code: str, report: StageReport) -> None:
    """Clinic pack (the newest extract's week), monthly board report, scrutiny export and
    worklists, each as its publish asset calls it (read-only connection)."""
    from pipelines.lib import paths, warehouse
    from pipelines.lib.kpi.outputs import newest_extract
    from pipelines.lib.publish import board, clinic, figures, scrutiny, site, worklists

    definitions, plans = _definitions(report)
    data_paths = paths.resolve_paths(data_dir, inbox).ensure()
    files = 0
    with warehouse.connect(data_paths.warehouse) as con:
        extract = newest_extract(con, la_code)
        if extract is None:
            raise SystemExit(f"LA {la_code}: no KPIs computed, nothing to publish")
        with report.step("clinic_pack"):
            pack = clinic.write_clinic_pack(
                con, la_code, clinic.week_start(extract), definitions, plans,
                data_paths.published, RUN_ID,
            )  # fmt: skip
        report.rows["clinic_charts"] = pack.charts
        with report.step("board_report"):
            prov = figures.provenance(con, la_code, extract, RUN_ID)
            written = board.write_board_report(
                con, la_code, extract, definitions, plans, data_paths.published, prov,
                cadence="monthly",
            )  # fmt: skip
            files += len(written)
        with report.step("scrutiny"):
            prov = figures.provenance(con, la_code, extract, RUN_ID)
            files += len(
                scrutiny.write_scrutiny(
                    con, la_code, extract, definitions, plans, data_paths.published, prov
                )
            )
        with report.step("worklists"):
            current = _current_extract(con, la_code)
            files += len(worklists.write_worklists(con, la_code, current, data_paths.restricted))
        name = figures.la_name(con, la_code)
    with report.step("site_index"):
        site.clear_not_published(data_paths.published, la_code, name)
    report.rows["files"] = files


STAGE_FUNCTIONS: dict[str, Callable[[Path, Path, str, StageReport], None]] = {
    "reference": stage_reference,
    "ingest": stage_ingest,
    "staging": stage_staging,
    "kpi": stage_kpi,
    "checks": stage_checks,
    "publish": stage_publish,
}


def peak_rss_mb() -> float:
    """This process's peak resident memory in MiB (Linux reports KiB)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kib / (1024 * 1024) if sys.platform == "darwin" else kib / 1024, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run one pipeline stage and report its timings.")
    parser.add_argument("stage", choices=STAGES)
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--inbox", required=True, type=Path)
    parser.add_argument("--la-code", required=True)
    parser.add_argument("--report", required=True, type=Path, help="JSON file to write")
    args = parser.parse_args(argv)

    report = StageReport(args.stage)
    began = time.perf_counter()
    _import_pipeline()
    imported = time.perf_counter()
    STAGE_FUNCTIONS[args.stage](args.data_dir, args.inbox, args.la_code, report)
    finished = time.perf_counter()
    args.report.write_text(
        json.dumps(
            {
                "stage": args.stage,
                "import_s": round(imported - began, 4),
                "work_s": round(finished - imported, 4),
                "steps": report.steps,
                "rows": report.rows,
                "self_peak_rss_mb": peak_rss_mb(),
            },
            indent=2,
            default=str,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
