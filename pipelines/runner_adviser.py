"""Write the six-weekly report to the DfE adviser on request (``csc-kpis adviser``, the demo).

The report is not part of an LA's run (``refresh_la``): extracts arrive weekly, and a report
written with each would make its "since the last report" a week, where the 2022 notice has
"6 weekly reports of progress or concern". The ``six_weekly_adviser_report`` schedule writes it
unattended; this writes it when the analyst asks (after filling in the commentary, say) and at
the end of the demo.
"""

import datetime as dt
from pathlib import Path

import dagster as dg

from pipelines.defs.jobs import ADVISER_JOB
from pipelines.defs.publish.assets import ADVISER_KEY
from pipelines.lib import paths, warehouse
from pipelines.lib.publish.board.adviser_content import adviser_folder

# The runner's own steps, so a report run is started exactly as an LA's run is.
from pipelines.runner import (
    Echo,
    fast_sqlite_history,
    job_definitions,
    open_instance,
    run_config,
    start_la,
    step_failures,
    use_data_dir,
)


def las_with_kpis(data_paths: paths.DataPaths) -> list[str]:
    """The LAs the warehouse has computed KPIs for: the ones a report can be written for."""
    with warehouse.connect(data_paths.warehouse) as con:
        rows = con.execute("select distinct la_code from kpi.kpi_runs order by 1").fetchall()
    return [code for (code,) in rows]


def _report_page(published: Path, la_code: str, result: dg.ExecuteInProcessResult) -> Path:
    """The report's HTML page, from the extract date the run recorded."""
    [written] = [
        event.materialization
        for event in result.get_asset_materialization_events()
        if event.asset_key == ADVISER_KEY
    ]
    extract = dt.date.fromisoformat(str(written.metadata["extract_date"].value))
    return (
        adviser_folder(published, la_code)
        / extract.isoformat()
        / f"adviser-report-{extract.isoformat()}.html"
    )


def write_adviser_reports(
    data_paths: paths.DataPaths, la_codes: list[str], echo: Echo = print
) -> dict[str, Path | None]:
    """The adviser report of each LA from its newest extract with KPIs, one LA at a time under
    its run lock; each LA's page, or None when it was not written (``echo`` says why)."""
    use_data_dir(data_paths)
    definitions = job_definitions()
    instance = open_instance()
    instance.add_dynamic_partitions("la", la_codes)
    job = definitions.resolve_job_def(ADVISER_JOB)
    written: dict[str, Path | None] = {}
    with fast_sqlite_history(data_paths.dagster_home):
        for la_code in la_codes:
            held = start_la(data_paths, la_code, echo)
            if isinstance(held, str):
                echo(f"LA {la_code}: adviser report not written: {held}")
                written[la_code] = None
                continue
            try:
                result = job.execute_in_process(
                    instance=instance,
                    partition_key=la_code,
                    run_config=run_config(data_paths),
                    raise_on_error=False,
                    tags={"la_code": la_code},
                )
            finally:
                held.release()
            if result.success:
                written[la_code] = _report_page(data_paths.published, la_code, result)
                echo(f"LA {la_code}: adviser report {written[la_code]}")
            else:
                written[la_code] = None
                for line in step_failures(result, data_paths):
                    echo(f"LA {la_code}: adviser report not written: {line}")
    return written
