"""Save or compare the engine's output tables, to prove a refactor changed no figure.

    python bench/kpi_tables.py save WAREHOUSE DIR      # before the change
    python bench/kpi_tables.py compare WAREHOUSE DIR   # after: exit 1 and a summary if any differ

The tables compared are the ones every output reads (`kpi.kpi_values`,
`kpi.kpi_values_by_dimension`, `kpi.kpi_status`, `kpi.kpi_spc`). Rows are sorted on every column
so the order a query happens to return does not count as a difference; doubles are compared
after rounding to 9 decimal places, because summing the same values in another order may move
the last bit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
import polars as pl

TABLES = ("kpi_values", "kpi_values_by_dimension", "kpi_status", "kpi_spc")
DECIMALS = 9


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def read_table(warehouse: Path, table: str) -> pl.DataFrame:
    """One table in a canonical form: doubles rounded, rows sorted on every column."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        frame = con.sql(f"select * from kpi.{table}").pl()
    frame = frame.with_columns(pl.col(pl.Float64).round(DECIMALS))
    return frame.sort(frame.columns, nulls_last=True)


def save(warehouse: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        frame = read_table(warehouse, table)
        frame.write_parquet(folder / f"{table}.parquet")
        say(f"{table}: {frame.height} rows saved")


def compare(warehouse: Path, folder: Path) -> int:
    differing = 0
    for table in TABLES:
        before = pl.read_parquet(folder / f"{table}.parquet")
        after = read_table(warehouse, table)
        if before.columns != after.columns:
            say(f"{table}: columns differ: {before.columns} vs {after.columns}")
            differing += 1
            continue
        only_before = before.join(after, on=before.columns, how="anti", nulls_equal=True)
        only_after = after.join(before, on=before.columns, how="anti", nulls_equal=True)
        if before.height == after.height and only_before.is_empty() and only_after.is_empty():
            say(f"{table}: identical ({after.height} rows)")
            continue
        differing += 1
        say(
            f"{table}: {before.height} rows before, {after.height} after; "
            f"{only_before.height} only before, {only_after.height} only after"
        )
        for label, rows in (("only before", only_before), ("only after", only_after)):
            if not rows.is_empty():
                counts = rows.group_by("kpi_id").len().sort("len", descending=True).head(10)
                say(f"  {label}, by KPI: {dict(counts.iter_rows())}")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    if args.action == "save":
        save(args.warehouse, args.folder)
        return 0
    return compare(args.warehouse, args.folder)


if __name__ == "__main__":
    sys.exit(main())
