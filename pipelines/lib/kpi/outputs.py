"""Tables built from the KPI values: status against targets, SPC, benchmarks; and the export."""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import duckdb
import polars as pl

from pipelines.lib.kpi import spc_weeks
from pipelines.lib.kpi.definitions import DEFINITIONS_DIR, KpiDefinition
from pipelines.lib.kpi.engine import ensure_kpi_schema
from pipelines.lib.kpi.spc import SPC_SCHEMA, kpi_spc
from pipelines.lib.kpi.status import (
    STATUS_SCHEMA,
    compute_status,
    current_targets,
)
from pipelines.lib.kpi.targets import Plan, Target
from pipelines.lib.warehouse import insert_frame, transaction

BENCHMARKS_FILE = DEFINITIONS_DIR / "benchmarks.csv"
EXPORT_COLUMNS = ("la_code", "kpi_id", "grain", "period_start", "period_end", "numerator",
                  "denominator", "value", "unit", "extract_date")  # fmt: skip
SPC_GRAINS = ("week", "month")

_DUCK_TYPES = {pl.String: "varchar", pl.Date: "date", pl.Float64: "double",
               pl.Boolean: "boolean", pl.Int64: "bigint"}  # fmt: skip


def ensure_output_schema(con: duckdb.DuckDBPyConnection) -> None:
    ensure_kpi_schema(con)
    con.execute("create schema if not exists ref")
    for name, schema in (
        ("kpi_status", STATUS_SCHEMA),
        ("kpi_spc", SPC_SCHEMA),
        ("kpi_spc_restated", spc_weeks.RESTATED_SCHEMA),
        ("kpi_spc_weeks", spc_weeks.WEEKS_SCHEMA),
    ):
        cols = ", ".join(f"{k} {_DUCK_TYPES[v]}" for k, v in schema.items())
        held = [r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'kpi' "
            "and table_name = ? order by ordinal_position", [name]).fetchall()]  # fmt: skip
        if held and held != list(schema):
            # Derived from kpi_values on every run: a table of an older layout is rebuilt.
            con.execute(f"drop table kpi.{name}")
        con.execute(f"create table if not exists kpi.{name} ({cols})")


def newest_extract(con: duckdb.DuckDBPyConnection, la_code: str) -> dt.date | None:
    row = con.execute(
        "select max(extract_date) from kpi.kpi_runs where la_code = ?", [la_code]
    ).fetchone()
    return row[0] if row else None


def _replace_extract_rows(
    con: duckdb.DuckDBPyConnection, table: str, la_code: str, extract: dt.date, frame: pl.DataFrame
) -> None:
    """Replace what an LA's extract wrote to ``table`` (re-running changes nothing)."""
    with transaction(con):
        con.execute(
            f"delete from {table} where la_code = ? and extract_date = ?", [la_code, extract]
        )
        insert_frame(con, table, frame)


def plan_targets(plans: dict[str, Plan], plan_ids: Sequence[str]) -> list[Target]:
    return [t for plan_id in plan_ids if plan_id in plans for t in plans[plan_id].targets]


def la_targets(
    con: duckdb.DuckDBPyConnection, la_code: str, plans: dict[str, Plan]
) -> tuple[list[Target], dict[str, float]]:
    """The targets of the plans the LA's la.yaml names, and the parameters it sets for them."""
    plan_ids = con.execute("select targets from meta.la where la_code = ?", [la_code]).fetchone()
    targets = plan_targets(plans, plan_ids[0] if plan_ids and plan_ids[0] else [])
    parameters = dict(
        con.execute(
            "select parameter, value from meta.la_target_parameters where la_code = ?", [la_code]
        ).fetchall()
    )
    return targets, parameters


def _newest_values(
    con: duckdb.DuckDBPyConnection, la_code: str
) -> tuple[dt.date | None, pl.DataFrame]:
    ensure_output_schema(con)
    extract = newest_extract(con, la_code)
    values = con.execute(
        "select * from kpi.kpi_values where la_code = ? and extract_date = ?", [la_code, extract]
    ).pl()
    return extract, values


def refresh_status(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
) -> int:
    """Status of the LA's KPIs against its plans' targets, from its newest extract."""
    extract, values = _newest_values(con, la_code)
    if extract is None:
        return 0
    targets, parameters = la_targets(con, la_code, plans)
    status = compute_status(la_code, extract, values, definitions, targets, parameters)
    _replace_extract_rows(con, "kpi.kpi_status", la_code, extract, status)
    return status.height


def notice_dates(
    con: duckdb.DuckDBPyConnection, la_code: str, plans: dict[str, Plan]
) -> list[dt.date]:
    """The issue dates of the plans the LA's la.yaml names: SPC limits are recalculated there."""
    row = con.execute("select targets from meta.la where la_code = ?", [la_code]).fetchone()
    return sorted({plans[p].issued for p in (row[0] if row and row[0] else []) if p in plans})


def stitched_weeks(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    kpi_id: str,
    extract: dt.date,
    week_end: dt.date | None = None,
) -> pl.DataFrame:
    """A ``per_extract`` KPI's weekly series: the newest value for each week over ``extract`` and
    the extracts before it (up to ``week_end`` when given)."""
    return con.execute(
        """select period_start, period_end, value from kpi.kpi_values
           where la_code = ? and kpi_id = ? and grain = 'week'
             and extract_date <= ? and period_end <= coalesce(?, period_end)
           qualify row_number() over (partition by period_end order by extract_date desc) = 1
           order by period_end""",
        [la_code, kpi_id, extract, week_end],
    ).pl()


def refresh_spc(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
) -> int:
    """SPC of the weekly and monthly series of every KPI (see ``spc``: XmR for flows, a run
    chart for stocks and rolling series, values for one or two points), and of every week a
    clinic pack shows from the extract (``spc_weeks``). A ``per_extract`` KPI's weekly series is
    stitched from successive extracts' values. Returns the ``kpi.kpi_spc`` rows written."""
    extract, all_values = _newest_values(con, la_code)
    if extract is None:
        return 0
    changes = con.execute(
        "select kpi_id, change_date from meta.la_spc_changes where la_code = ?", [la_code]
    ).fetchall()
    # Targets resolve against every grain (a level can be the LA's own financial-year value).
    la_plan_targets, parameters = la_targets(con, la_code, plans)
    targets = current_targets(la_plan_targets, all_values, extract, parameters)
    values = all_values.filter(pl.col("grain").is_in(SPC_GRAINS))
    rules = spc_weeks.LaRules(
        notices=notice_dates(con, la_code, plans),
        recorded={k.id: sorted(d for i, d in changes if i in (k.id, "all")) for k in definitions},
        targets=la_plan_targets,
        parameters=parameters,
    )
    frames, weekly = [], {}
    for kpi in definitions:
        for grain in SPC_GRAINS:
            series = values.filter((pl.col("kpi_id") == kpi.id) & (pl.col("grain") == grain))
            if grain == "week" and kpi.per_extract:
                series = stitched_weeks(con, la_code, kpi.id, extract)
            series = series.filter(pl.col("value").is_not_null()).sort("period_end")
            if series.is_empty():
                continue
            out = kpi_spc(
                series.select("period_start", "period_end", "value"),
                kpi.kind,
                kpi.polarity,
                rules.notices,
                rules.recorded[kpi.id],
                targets.get(kpi.id),
            )
            frames.append(
                out.with_columns(
                    la_code=pl.lit(la_code),
                    kpi_id=pl.lit(kpi.id),
                    grain=pl.lit(grain),
                    extract_date=pl.lit(extract),
                )
            )
            if grain == "week":
                weekly[kpi.id] = series.select("period_start", "period_end", "value")
    spc = (
        pl.concat(frames, how="vertical_relaxed").select(list(SPC_SCHEMA))
        if frames
        else pl.DataFrame(schema=SPC_SCHEMA)
    )
    restated, weeks = spc_weeks.pack_weeks(
        con, la_code, extract, definitions, weekly,
        spc.filter(pl.col("grain") == "week"), rules, all_values,
    )  # fmt: skip
    _replace_extract_rows(con, "kpi.kpi_spc", la_code, extract, spc)
    _replace_extract_rows(con, "kpi.kpi_spc_restated", la_code, extract, restated)
    _replace_extract_rows(con, "kpi.kpi_spc_weeks", la_code, extract, weeks)
    return spc.height


def load_benchmarks(con: duckdb.DuckDBPyConnection, path: Path = BENCHMARKS_FILE) -> int:
    """Published England, LA and statistical-neighbour figures (``ref.benchmarks``)."""
    frame = pl.read_csv(
        path, schema_overrides={"value": pl.Float64, "period_end": pl.Date, "derived": pl.Boolean}
    )
    with transaction(con):
        con.execute("create schema if not exists ref")
        con.register("_benchmarks", frame.to_arrow())
        try:
            con.execute("create or replace table ref.benchmarks as select * from _benchmarks")
        finally:
            con.unregister("_benchmarks")
    return frame.height


def load_catalogue(con: duckdb.DuckDBPyConnection, definitions: Sequence[KpiDefinition]) -> int:
    """The KPI definitions as a table (``ref.kpi_catalogue``), for charts, notebooks and joins."""
    frame = pl.DataFrame(
        [
            {"kpi_id": k.id, "label": k.label, "description": k.description, "area": k.area,
             "notice_areas": list(k.notice_areas), "kind": k.kind, "unit": k.unit,
             "polarity": k.polarity, "tables": list(k.tables), "source": k.source,
             "assumptions": list(k.assumptions)}
            for k in definitions
        ]
    )  # fmt: skip
    with transaction(con):
        con.execute("create schema if not exists ref")
        con.register("_catalogue", frame.to_arrow())
        try:
            con.execute("create or replace table ref.kpi_catalogue as select * from _catalogue")
        finally:
            con.unregister("_catalogue")
    return frame.height


def kpi_export_frame(
    con: duckdb.DuckDBPyConnection,
    la_code: str | None = None,
    grain: str | None = None,
    revisions: bool = False,
) -> pl.DataFrame:
    """Current KPI values (each LA's newest extract), or every extract's with ``revisions``."""
    filters, params = ["true"], []
    if la_code:
        filters.append("v.la_code = ?")
        params.append(la_code)
    if grain:
        filters.append("v.grain = ?")
        params.append(grain)
    if not revisions:
        filters.append(
            """v.extract_date = (select max(extract_date) from kpi.kpi_runs r
                                 where r.la_code = v.la_code)"""
        )
    return con.execute(
        f"""select {", ".join(EXPORT_COLUMNS)} from kpi.kpi_values v where {" and ".join(filters)}
            order by la_code, kpi_id, grain, period_end, extract_date""",
        params,
    ).pl()
