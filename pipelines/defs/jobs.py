"""Jobs: what a run materialises. The command line and the schedules use these same jobs."""

import dagster as dg

from pipelines.defs.ingest.assets import CALENDAR_KEY
from pipelines.defs.kpis.assets import BENCHMARKS_KEY, CATALOGUE_KEY
from pipelines.defs.partitions import la_partitions
from pipelines.defs.publish.assets import CLINIC_KEY, clinic_partitions

REFERENCE_KEYS = (CALENDAR_KEY, BENCHMARKS_KEY, CATALOGUE_KEY)

REFRESH_LA_JOB = "refresh_la"
REFERENCE_JOB = "refresh_reference"
CLINIC_JOB = "publish_clinic_pack"

refresh_la = dg.define_asset_job(
    REFRESH_LA_JOB,
    selection=dg.AssetSelection.all()
    - dg.AssetSelection.keys(*REFERENCE_KEYS)
    - dg.AssetSelection.keys(CLINIC_KEY),
    partitions_def=la_partitions,
    description="Everything for one LA: ingest its new extracts, stage and validate them, "
    "compute the KPIs, and write the board and adviser reports, the scrutiny export and the "
    "worklists.",
)
refresh_reference = dg.define_asset_job(
    REFERENCE_JOB,
    selection=dg.AssetSelection.keys(*REFERENCE_KEYS),
    description="Reference data shared by every LA: working-day calendar, benchmarks, KPI "
    "catalogue.",
)
publish_clinic_pack = dg.define_asset_job(
    CLINIC_JOB,
    selection=dg.AssetSelection.keys(CLINIC_KEY),
    partitions_def=clinic_partitions,
    description="The weekly clinic pack of one LA and week (backfill past weeks from the UI).",
)
