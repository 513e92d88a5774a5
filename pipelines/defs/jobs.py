"""Jobs: what a run materialises. The command line and the schedules use these same jobs."""

import dagster as dg

from pipelines.defs.ingest.assets import CALENDAR_KEY
from pipelines.defs.kpis.assets import BENCHMARKS_KEY, CATALOGUE_KEY
from pipelines.defs.partitions import la_partitions
from pipelines.defs.publish.assets import (
    ADVISER_KEY,
    BOARD_KEY,
    CLINIC_KEY,
    clinic_partitions,
)

REFERENCE_KEYS = (CALENDAR_KEY, BENCHMARKS_KEY, CATALOGUE_KEY)
# One process per run: a run's steps share one DuckDB file that takes one writer at a time, so
# a process per step would add seconds of start-up and no speed. LAs run in parallel as
# separate runs (the run queue in dagster.yaml sets how many).
EXECUTOR = dg.in_process_executor

REFRESH_LA_JOB = "refresh_la"
# Not in an LA's run: the adviser report is six-weekly (2022 notice, paragraph 12) and extracts
# arrive weekly, so a report per run would make "since the last report" a week. Its schedule,
# `csc-kpis adviser` and the UI write it.
PER_EXTRACT_EXCLUDED = (*REFERENCE_KEYS, CLINIC_KEY, ADVISER_KEY)
REFERENCE_JOB = "refresh_reference"
CLINIC_JOB = "publish_clinic_pack"
BOARD_JOB = "publish_board_report"
ADVISER_JOB = "publish_adviser_report"

refresh_la = dg.define_asset_job(
    REFRESH_LA_JOB,
    executor_def=EXECUTOR,
    selection=dg.AssetSelection.all() - dg.AssetSelection.keys(*PER_EXTRACT_EXCLUDED),
    partitions_def=la_partitions,
    description="Everything for one LA: ingest its new extracts, stage and validate them, "
    "compute the KPIs, and write the board report, the scrutiny export and the worklists (the "
    "clinic pack follows; the six-weekly adviser report has its own schedule).",
)
refresh_reference = dg.define_asset_job(
    REFERENCE_JOB,
    executor_def=EXECUTOR,
    selection=dg.AssetSelection.keys(*REFERENCE_KEYS),
    description="Reference data shared by every LA: working-day calendar, benchmarks, KPI "
    "catalogue.",
)


def _publish_job(
    name: str,
    key: dg.AssetKey,
    partitions: dg.PartitionsDefinition,
    description: str,
) -> "dg.UnresolvedAssetJobDefinition":
    """A job that writes one published output (for schedules, sensors and backfills)."""
    return dg.define_asset_job(
        name,
        executor_def=EXECUTOR,
        selection=dg.AssetSelection.keys(key),
        partitions_def=partitions,
        description=description,
    )


publish_clinic_pack = _publish_job(
    CLINIC_JOB,
    CLINIC_KEY,
    clinic_partitions,
    "The weekly clinic pack of one LA and week (backfill past weeks from the UI).",
)
publish_board = _publish_job(
    BOARD_JOB,
    BOARD_KEY,
    la_partitions,
    "The monthly improvement board report of one LA (from its newest extract).",
)
publish_adviser = _publish_job(
    ADVISER_JOB,
    ADVISER_KEY,
    la_partitions,
    "The six-weekly report to the DfE adviser of one LA (from its newest extract).",
)
