"""``csc-kpis export``: KPI values or a warehouse table to CSV or Parquet, refusing what would
write the wrong thing (child-level rows under published/, a file whose name says another
format, an LA the warehouse does not hold) before anything is created."""

import argparse
from collections.abc import Callable
from pathlib import Path

from pipelines.lib import paths

Echo = Callable[[str], None]

# Schemas that hold child-level rows: never written under published/.
CHILD_LEVEL_SCHEMAS = ("raw", "stg", "current")
EXPORT_SEARCH_ORDER = ("current", "stg", "meta", "ref", "raw")


def _resolve_table(con, name: str) -> str:  # type: ignore[no-untyped-def]
    parts = name.split(".")
    if len(parts) == 2:
        candidates = [tuple(parts)]
    else:
        candidates = [(schema, name) for schema in EXPORT_SEARCH_ORDER]
    for schema, table in candidates:
        found = con.execute(
            """select count(*) from information_schema.tables
               where table_schema = ? and table_name = ?""",
            [schema, table],
        ).fetchone()[0]
        if found:
            return f"{schema}.{table}"
    raise SystemExit(f"csc-kpis export: no table or view named '{name}' in the warehouse")


def unknown_la(data_paths: paths.DataPaths, la_code: str | None) -> str | None:
    """Why ``la_code`` cannot be asked for (no warehouse, not an LA code, an LA the warehouse
    has never loaded), or None. Nothing is created while asking."""
    from pipelines.lib import warehouse

    if not data_paths.warehouse.is_file():
        return (
            f"{data_paths.warehouse}: no warehouse in this data folder; run `csc-kpis run` "
            "first, or give the --data-dir that holds it"
        )
    if la_code is None:
        return None
    if problem := paths.la_code_problem(la_code):
        return f"--la: {problem}"
    with warehouse.connect(data_paths.warehouse) as con:
        known = [r[0] for r in con.execute(
            "select distinct la_code from meta.deliveries order by 1").fetchall()]  # fmt: skip
    if la_code not in known:
        return f"no LA {la_code} in the warehouse (LAs loaded: {', '.join(known) or 'none'})"
    return None


# The file name an export format is written under; another extension is refused, so a file
# named .xlsx never holds CSV text (write an XLSX with a spreadsheet from the CSV).
EXPORT_SUFFIXES = {"csv": ".csv", "parquet": ".parquet"}


def export_problem(args: argparse.Namespace, data_paths: paths.DataPaths, out: Path) -> str | None:
    suffix = EXPORT_SUFFIXES[args.format]
    if out.suffix and out.suffix.lower() != suffix:
        return (
            f"--out {out.name} does not match --format {args.format}: name the file "
            f"*{suffix}, or choose the format its name says (csv or parquet)"
        )
    return unknown_la(data_paths, args.la)


def export(args: argparse.Namespace, data_paths: paths.DataPaths, out: Path, echo: Echo) -> int:
    """Write the table (or `kpis`) once ``export_problem`` found nothing wrong."""
    from pipelines.lib import warehouse
    from pipelines.lib.publish import cells

    if args.table == "kpis":
        return _export_kpis(args, data_paths, out, echo)
    if args.grain or args.revisions:
        raise SystemExit("csc-kpis export: --grain and --revisions apply only to `export kpis`")
    with warehouse.connect(data_paths.warehouse) as con:
        table = _resolve_table(con, args.table)
        schema = table.split(".")[0]
        if schema in CHILD_LEVEL_SCHEMAS and out.is_relative_to(data_paths.published):
            raise SystemExit(
                f"csc-kpis export: {table} holds child-level rows; it may not be written under "
                f"{data_paths.published} (published outputs are aggregate only)."
            )
        columns = [r[0] for r in con.execute(f"describe {table}").fetchall()]
        where, params = "", []
        if args.la:
            if "la_code" not in columns:
                raise SystemExit(f"csc-kpis export: {table} has no la_code column to filter on")
            where, params = "where la_code = ?", [args.la]
        relation = con.sql(f"select * from {table} {where}", params=params)
        out.parent.mkdir(parents=True, exist_ok=True)
        if args.format == "csv":
            # Extract text (team names, codes, free text) must not become a live formula.
            cells.write_csv(relation.pl(), out, datetime_format="%Y-%m-%d %H:%M:%S")
        else:
            relation.write_parquet(str(out))
        rows = con.execute(f"select count(*) from {table} {where}", params).fetchone()[0]  # type: ignore[index]
    echo(f"Wrote {rows:,} rows of {table} to {out}")
    return 0


def _export_kpis(
    args: argparse.Namespace, data_paths: paths.DataPaths, out: Path, echo: Echo
) -> int:
    from pipelines.lib import warehouse
    from pipelines.lib.kpi.engine import GRAINS
    from pipelines.lib.kpi.outputs import kpi_export_frame
    from pipelines.lib.publish.kpi_export import write_kpi_export

    if args.grain and args.grain not in GRAINS:
        raise SystemExit(f"csc-kpis export: --grain must be one of {', '.join(GRAINS)}")
    with warehouse.connect(data_paths.warehouse) as con:
        frame = kpi_export_frame(con, args.la, args.grain, args.revisions)
    write_kpi_export(frame, out, args.format)
    which = "every extract's" if args.revisions else "current"
    echo(f"Wrote {frame.height:,} {which} KPI values to {out}")
    return 0
