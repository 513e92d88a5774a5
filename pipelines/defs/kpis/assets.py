"""KPIs: one asset per definition in kpi_definitions/, then status, SPC and the reference tables."""

import dagster as dg
import polars as pl

from pipelines.defs.checks import INPUTS_CHECK, SUITE_CHECK, check_result, inputs_check
from pipelines.defs.ingest.assets import CALENDAR_KEY, STG_KEYS
from pipelines.defs.partitions import la_partitions
from pipelines.defs.resources import Warehouse
from pipelines.lib.kpi import outputs
from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.kpi.engine import compute_extract, pending_extracts
from pipelines.lib.kpi.targets import load_plans
from pipelines.lib.kpi.withholding import Withheld, withhold_extract
from pipelines.lib.publish.standing import load_standing_tables
from pipelines.lib.validation.gx import SuiteResult
from pipelines.lib.validation.report import write_report
from pipelines.lib.validation.run import load_results, validate_kpis

# Read once when the code location loads: adding a KPI is dropping two files and reloading.
DEFINITIONS = load_definitions()
PLANS = load_plans()
KPI_KEYS = {k.id: dg.AssetKey(["kpi", k.id]) for k in DEFINITIONS}
STATUS_KEY = dg.AssetKey(["kpi", "kpi_status"])
SPC_KEY = dg.AssetKey(["kpi", "kpi_spc"])
BENCHMARKS_KEY = dg.AssetKey(["ref", "benchmarks"])
CATALOGUE_KEY = dg.AssetKey(["ref", "kpi_catalogue"])


@dg.asset(key=BENCHMARKS_KEY, group_name="reference", kinds={"duckdb"})
def benchmarks(warehouse: Warehouse) -> dg.MaterializeResult:
    """Published England, local authority and statistical-neighbour figures, by KPI id, with
    their sources (kpi_definitions/benchmarks.csv), and every English LA's published figures
    with each LA's statistical neighbours, for quartile bands and ranks
    (kpi_definitions/benchmark_distributions.csv, statistical_neighbours.csv)."""
    with warehouse.connect(write=True) as con:
        rows = outputs.load_benchmarks(con)
        distribution_rows = load_standing_tables(con)
    return dg.MaterializeResult(metadata={"rows": rows, "distribution_rows": distribution_rows})


@dg.asset(key=CATALOGUE_KEY, group_name="reference", kinds={"duckdb"})
def kpi_catalogue(warehouse: Warehouse) -> dg.MaterializeResult:
    """Every KPI definition: label, description, unit, polarity, source and assumptions."""
    with warehouse.connect(write=True) as con:
        rows = outputs.load_catalogue(con, DEFINITIONS)
    return dg.MaterializeResult(metadata={"kpis": rows})


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            KPI_KEYS[k.id],
            deps=[CALENDAR_KEY, *(STG_KEYS[t] for t in k.all_tables)],
            group_name=k.area,
            kinds={"duckdb"},
            description=f"{k.label}. {k.description}",
            metadata={
                "unit": k.unit,
                "polarity": k.polarity,
                "kind": k.kind,
                "source": k.source,
                "definition": str(k.path.relative_to(k.path.parents[2])) if k.path else "",
            },
        )
        for k in DEFINITIONS
    ],
    check_specs=[
        spec
        for k in DEFINITIONS
        for spec in (
            dg.AssetCheckSpec(
                SUITE_CHECK,
                asset=KPI_KEYS[k.id],
                # An error withholds this KPI only (see INPUTS_CHECK), not every KPI of the step.
                blocking=False,
                description="Great Expectations suite for the KPI's values: percentages 0-100, "
                "numerator within denominator, no missing periods, rates with a population. "
                "An error withholds this KPI; the rest publish.",
            ),
            dg.AssetCheckSpec(
                INPUTS_CHECK,
                asset=KPI_KEYS[k.id],
                additional_deps=[STG_KEYS[t] for t in k.all_tables],
                description="The staged tables this KPI reads passed their blocking checks (and "
                "its own values did). Fails, and the KPI is withheld from every output with its "
                "last good values kept, when one did not.",
            ),
        )
    ],
    partitions_def=la_partitions,
    name="kpi_values",
)
def kpi_values(context: dg.AssetExecutionContext, warehouse: Warehouse):  # type: ignore[no-untyped-def]
    """Every KPI at every grain from the LA's newest loaded extract (kpi.kpi_values). Values
    published from earlier extracts are kept with their extract date, so revisions stay visible
    and a figure reported to a board can be reproduced."""
    la_code = context.partition_key
    with warehouse.connect(write=True) as con:
        pending = pending_extracts(con, la_code, DEFINITIONS)
        results = {}
        for extract_date in pending:
            for result in compute_extract(
                con, DEFINITIONS, la_code, extract_date, context.log.info
            ):
                results[result.kpi_id] = result
            withhold_extract(con, la_code, extract_date, DEFINITIONS, just_computed=True)
        newest = outputs.newest_extract(con, la_code)
        latest = con.execute(
            """select kpi_id, value from kpi.kpi_values
               where la_code = ? and extract_date = ? and grain = 'month'
               qualify row_number() over (partition by kpi_id order by period_end desc) = 1""",
            [la_code, newest],
        ).pl()
        availability = con.execute(
            """select kpi_id, available, reason from kpi.kpi_availability
               where la_code = ? and extract_date = ?""",
            [la_code, newest],
        ).pl()
        suites: dict[str, SuiteResult] = {}
        withheld: dict[str, list[Withheld]] = {}
        if newest:
            # Validated once per computation: later runs keep the results (the values of a KPI
            # withheld for its own values were replaced by good ones, which would now pass).
            suites = load_results(con, la_code, newest, "kpi")
            if pending or not suites:
                suites = validate_kpis(con, la_code, newest, DEFINITIONS)
            for item in withhold_extract(con, la_code, newest, DEFINITIONS):
                withheld.setdefault(item.kpi_id, []).append(item)
            write_report(con, la_code, newest, warehouse.paths.published)
    latest_value = dict(zip(latest["kpi_id"], latest["value"], strict=True))
    for kpi in DEFINITIONS:
        row = availability.filter(pl.col("kpi_id") == kpi.id)
        available = bool(row["available"][0]) if row.height else False
        metadata: dict[str, object] = {
            "extract_date": str(newest),
            "available": available,
            "extracts_computed_this_run": len(pending),
        }
        if not available and row.height:
            metadata["reason"] = row["reason"][0]
        if latest_value.get(kpi.id) is not None:
            metadata["latest_month_value"] = float(latest_value[kpi.id])
        yield dg.MaterializeResult(asset_key=KPI_KEYS[kpi.id], metadata=metadata)  # type: ignore[arg-type]
        yield check_result(KPI_KEYS[kpi.id], suites.get(kpi.id))
        yield inputs_check(KPI_KEYS[kpi.id], withheld.get(kpi.id, []))


@dg.asset(
    key=STATUS_KEY,
    deps=list(KPI_KEYS.values()),
    partitions_def=la_partitions,
    group_name="performance",
    kinds={"duckdb"},
)
def kpi_status(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Each KPI against the LA's notice or plan targets at every month end: value by the target's
    measure, met, RAG, trajectory, and slow to progress with the reason."""
    with warehouse.connect(write=True) as con:
        rows = outputs.refresh_status(con, context.partition_key, DEFINITIONS, PLANS)
        slow = con.execute(
            """with latest as (
                   select max(extract_date) as extract_date, max(as_at_date) as as_at_date
                   from kpi.kpi_status where la_code = ?
               )
               select count(distinct kpi_id) from kpi.kpi_status s join latest using (extract_date)
               where s.la_code = ? and s.as_at_date = latest.as_at_date
                 and is_current_target and slow_to_progress""",
            [context.partition_key, context.partition_key],
        ).fetchone()
    return dg.MaterializeResult(
        metadata={"rows": rows, "kpis_slow_to_progress": int(slow[0]) if slow else 0}
    )


@dg.asset(
    key=SPC_KEY,
    # After the status: a clinic week's assurance is judged against the target its RAG is.
    deps=[*KPI_KEYS.values(), STATUS_KEY],
    partitions_def=la_partitions,
    group_name="performance",
    kinds={"duckdb"},
    metadata={"tables": "kpi.kpi_spc, kpi.kpi_spc_restated, kpi.kpi_spc_weeks"},
)
def kpi_spc(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """SPC of every KPI's weekly and monthly series: XmR (Making Data Count) limits, special
    causes and assurance for flow KPIs, rebased at the notice date, la.yaml changes and detected
    shifts; run charts for stocks and rolling series; values only for one or two points
    (kpi.kpi_spc). A data-quality KPI with one value per extract has its weekly series made of
    successive extracts' values. Also the SPC of each week a clinic pack shows from the extract:
    the series cut at each earlier Sunday the extract serves, up to 13 weeks back
    (kpi.kpi_spc_restated), and per KPI and week where its SPC is held and its assurance against
    the target the pack's RAG is judged against (kpi.kpi_spc_weeks). Publishing only reads them."""
    la_code = context.partition_key
    with warehouse.connect(write=True) as con:
        rows = outputs.refresh_spc(con, la_code, DEFINITIONS, PLANS)
        weeks, restated = con.execute(
            """select count(distinct week_end), count(*) filter (held_in = 'kpi_spc_restated')
               from kpi.kpi_spc_weeks
               where la_code = ? and extract_date = (select max(extract_date) from kpi.kpi_runs
                                                     where la_code = ?)""",
            [la_code, la_code],
        ).fetchone() or (0, 0)
    return dg.MaterializeResult(
        metadata={"rows": rows, "clinic_weeks_held": weeks, "restated_series": restated}
    )
