"""Jobs: what a run materialises. The command line and the schedules use these same jobs."""

import dagster as dg

from pipelines.defs.ingest.assets import CALENDAR_KEY
from pipelines.defs.kpis.assets import BENCHMARKS_KEY, CATALOGUE_KEY
from pipelines.defs.partitions import la_partitions

REFERENCE_KEYS = (CALENDAR_KEY, BENCHMARKS_KEY, CATALOGUE_KEY)

REFRESH_LA_JOB = "refresh_la"
REFERENCE_JOB = "refresh_reference"

refresh_la = dg.define_asset_job(
    REFRESH_LA_JOB,
    selection=dg.AssetSelection.all() - dg.AssetSelection.keys(*REFERENCE_KEYS),
    partitions_def=la_partitions,
    description="Everything for one LA: ingest its new extracts, stage them, and all that follows.",
)
refresh_reference = dg.define_asset_job(
    REFERENCE_JOB,
    selection=dg.AssetSelection.keys(*REFERENCE_KEYS),
    description="Reference data shared by every LA: working-day calendar, benchmarks, KPI "
    "catalogue.",
)
