"""Publish: what people read. Clinic packs (by LA and week), board and adviser reports, scrutiny
figures (disclosure-controlled) and managers' worklists (restricted).

Every output checks the stored validation results itself before writing (a backfilled week must
not publish an extract that failed). The gate is per KPI: KPIs that read a table which failed a
blocking check are withheld (their last good values shown, marked, with why and since when) and
the rest publish; only an output none of whose KPIs passed is refused, which writes the "not
published: validation failed" page and leaves the last good output in place.
"""

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import dagster as dg
import duckdb

from pipelines.defs.ingest.assets import STG_KEYS
from pipelines.defs.kpis.assets import DEFINITIONS, KPI_KEYS, PLANS, SPC_KEY, STATUS_KEY
from pipelines.defs.partitions import la_partitions
from pipelines.defs.resources import Warehouse
from pipelines.lib.kpi.outputs import newest_extract
from pipelines.lib.publish import (
    board,
    clinic,
    figures,
    gating,
    not_published,
    scrutiny,
    site,
    worklists,
)
from pipelines.lib.publish.withheld_page import write_withheld
from pipelines.lib.warehouse import current_extract

CLINIC_KEY = dg.AssetKey(["publish", "clinic_pack"])
BOARD_KEY = dg.AssetKey(["publish", "board_report"])
ADVISER_KEY = dg.AssetKey(["publish", "adviser_report"])
SCRUTINY_KEY = dg.AssetKey(["publish", "scrutiny_export"])
WORKLISTS_KEY = dg.AssetKey(["publish", "worklists"])
WITHHELD_NOTE = "KPIS-WITHHELD.txt"  # in a worklists folder whose extract has withheld KPIs

# Weeks start on Monday. The current week is a partition too (end_offset=1), so an extract
# that lands on Sunday night can make its pack before the week is over in Dagster's clock.
clinic_weeks = dg.WeeklyPartitionsDefinition(
    start_date="2006-01-02", day_offset=1, timezone="Europe/London", end_offset=1
)
clinic_partitions = dg.MultiPartitionsDefinition({"la": la_partitions, "week": clinic_weeks})

T = TypeVar("T")
Pack = clinic.PackContents | clinic.ClinicPack
KPI_DEPS = [STATUS_KEY, SPC_KEY, *KPI_KEYS.values()]


def _guarded(
    warehouse: Warehouse,
    la_code: str,
    write: Callable[[duckdb.DuckDBPyConnection], tuple[dt.date, T]],
    finish: Callable[[T], T] | None = None,
) -> T:
    """Run a writer; when it refuses (validation failed), write the "not published" page (this
    step is its one writer for a refusal: ``not_published``) and fail the step with the reason,
    marked so that the run's reporter leaves the page as written. A success from the newest
    delivery clears that page. ``finish``, when given, goes on from the writer's result after
    the connection is closed."""
    published = warehouse.paths.published
    with warehouse.connect() as con:
        name = figures.la_name(con, la_code)
        newest = not_published.newest_delivery(con, la_code)
        try:
            extract, result = write(con)
            withheld = gating.summary_lines(gating.shown_withheld(con, la_code, extract))
        except figures.NotPublishable as refused:
            page = not_published.after_refusal(published, la_code, name, refused, newest)
            raise dg.Failure(
                description=str(refused),
                metadata={not_published.REFUSED_MARK: str(page) if page else "not written"},
            ) from refused
    if finish is not None:
        result = finish(result)
    if newest is None or extract >= newest:
        write_withheld(published, la_code, name, extract, withheld)
        site.clear_not_published(published, la_code, name)
    else:
        site.write_la_index(published, la_code, name)
    return result


Writer = Callable[..., list[Path]]


def _published(
    context: dg.AssetExecutionContext, warehouse: Warehouse, write: Writer
) -> dg.MaterializeResult:
    """Run one writer (board, scrutiny) for the LA's newest extract with KPIs, or explain why
    nothing was published."""
    la_code = context.partition_key

    def run(con: duckdb.DuckDBPyConnection) -> tuple[dt.date, tuple[dt.date, list[Path]]]:
        extract = newest_extract(con, la_code)
        figures.check_publishable(con, la_code, extract)
        assert extract is not None
        prov = figures.provenance(con, la_code, extract, context.run.run_id)
        files = write(con, la_code, extract, DEFINITIONS, PLANS, warehouse.paths.published, prov)
        return extract, (extract, files)

    extract, written = _guarded(warehouse, la_code, run)
    return dg.MaterializeResult(
        metadata={
            "extract_date": str(extract),
            "files": dg.MetadataValue.md("\n".join(f"- {p}" for p in written) or "none"),
        }
    )


@dg.asset(
    key=CLINIC_KEY,
    deps=KPI_DEPS,
    partitions_def=clinic_partitions,
    group_name="publish",
    kinds={"html"},
)
def clinic_pack(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """The weekly performance-clinic pack of one LA and week: a static site that opens from the
    file system with no network (data/published/<la>/internal/clinic/<week>/, marked
    OFFICIAL-SENSITIVE). An XmR chart per KPI with its target, trajectory and benchmarks, the
    latest value with RAG and change since last week, the definition, the chart's data as a table,
    PNG and SVG for papers. Backfill past weeks from the partitions view."""
    keys = context.partition_key.keys_by_dimension  # type: ignore[attr-defined]
    la_code, week = keys["la"], dt.date.fromisoformat(keys["week"])

    def read(con: duckdb.DuckDBPyConnection) -> tuple[dt.date, Pack]:
        contents = clinic.read_clinic_pack(
            con, la_code, week, DEFINITIONS, PLANS, context.run.run_id
        )
        return contents.extract, contents

    def draw(contents: Pack) -> Pack:
        # Drawn after the connection is closed: the warehouse is free for other runs meanwhile.
        assert isinstance(contents, clinic.PackContents)
        return clinic.render_clinic_pack(contents, warehouse.paths.published)

    pack = _guarded(warehouse, la_code, read, draw)
    assert isinstance(pack, clinic.ClinicPack)
    return dg.MaterializeResult(
        metadata={
            "folder": str(pack.folder),
            "index": dg.MetadataValue.path(str(pack.folder / "index.html")),
            "extract_date": str(pack.extract_date),
            "charts": pack.charts,
            "kpis": pack.kpis_shown,
        }
    )


@dg.asset(
    key=BOARD_KEY, deps=KPI_DEPS, partitions_def=la_partitions, group_name="publish",
    kinds={"html", "excel", "docx"},
)  # fmt: skip
def board_report(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Monthly improvement board report (HTML, XLSX, DOCX): one page per notice area, each KPI
    against its target and trajectory, objectives slow to progress first with the reason."""
    return _published(
        context, warehouse, functools.partial(board.write_board_report, cadence="monthly")
    )


@dg.asset(
    key=ADVISER_KEY, deps=KPI_DEPS, partitions_def=la_partitions, group_name="publish",
    kinds={"html", "excel", "docx"},
)  # fmt: skip
def adviser_report(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Six-weekly progress report to the DfE adviser, dated by the extract it reports: progress or
    concern in each notice area since the last adviser report, objectives slow to progress,
    contributions to strengthen and the analyst's commentary (kept in
    <data dir>/commentary/<la>/adviser-report-<date>.yaml), then the board report's figures."""
    return _published(
        context,
        warehouse,
        functools.partial(
            board.write_board_report, cadence="adviser", data_dir=warehouse.paths.data_dir
        ),
    )


@dg.asset(
    key=SCRUTINY_KEY, deps=KPI_DEPS, partitions_def=la_partitions, group_name="publish",
    kinds={"csv", "excel"},
)  # fmt: skip
def scrutiny_export(
    context: dg.AssetExecutionContext, warehouse: Warehouse
) -> dg.MaterializeResult:
    """Figures for public scrutiny papers (CSV and formatted XLSX): latest value, same period last
    year, target, England and statistical neighbours, with statistical disclosure control (counts
    1-4 as c, secondary suppression, z and x) and a notes sheet."""
    return _published(context, warehouse, scrutiny.write_scrutiny)


@dg.asset(
    key=WORKLISTS_KEY,
    deps=list(STG_KEYS.values()),
    partitions_def=la_partitions,
    group_name="worklists",
    kinds={"csv", "excel"},
    metadata={"restricted": "child-level: written under data/restricted/, never published"},
)
def worklists_asset(
    context: dg.AssetExecutionContext, warehouse: Warehouse
) -> dg.MaterializeResult:
    """Managers' worklists per team (RESTRICTED, child-level, data/restricted/<la>/worklists/):
    single assessments at 35+ working days, ICPCs due within 3 working days, CP visits and CP/CLA
    reviews due within a week or overdue, unallocated children."""
    la_code = context.partition_key
    with warehouse.connect() as con:
        current = current_extract(con, la_code)
        if current is None:
            raise dg.Failure(description=f"LA {la_code}: no loaded extract to list from")
        written = worklists.write_worklists(con, la_code, current, warehouse.paths.restricted)
        withheld = gating.summary_lines(gating.shown_withheld(con, la_code, current))
    folder = warehouse.paths.restricted / la_code / "worklists" / current.isoformat()
    if withheld:
        # The lists come from the same tables: a manager should know which ones failed.
        (folder / WITHHELD_NOTE).write_text(
            "Some tables of this extract failed a blocking check; lists built from them may be "
            "incomplete. The KPIs that read them are withheld from the published outputs:\n"
            + "".join(f"- KPIs {line}.\n" for line in withheld),
            encoding="utf-8",
        )
    return dg.MaterializeResult(
        metadata={
            "extract_date": str(current),
            "files": len(written),
            "kpis_withheld": dg.MetadataValue.md("\n".join(f"- {x}" for x in withheld) or "none"),
        }
    )
