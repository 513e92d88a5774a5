"""What the ingest records about each delivery in ``meta``, and reads back from it: the tables'
schemas, a delivery's outcome, the LA's configuration, and the defects in words.

``meta.deliveries`` (one row per delivery and its status), ``meta.delivery_files``,
``meta.file_errors``, ``meta.delivery_sources`` and ``meta.adapter_notes`` are written by
``receive``; ``stage`` moves a delivery from received to loaded.
"""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines.lib.ingest.inbox import ExtractFolder
from pipelines.lib.la_config import LAConfig
from pipelines.lib.validation.defects import quarantine_lines
from pipelines.lib.warehouse import transaction

Progress = Callable[[str], None]


def quiet(_: str) -> None:
    return None


@dataclass
class DeliveryResult:
    la_code: str
    extract_date: dt.date
    delivery_id: str
    status: str  # received, rejected, skipped (already seen), superseded (not read), loaded
    file_errors: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_staged: int = 0
    rows_rejected: int = 0
    values_cleared: int = 0
    seen_status: str | None = None  # for a delivery seen before: the status it was given


SOURCE_COLUMNS = {
    "table_name": pl.String,
    "source_format": pl.String,
    "source_files": pl.String,
    "rows_read": pl.Int64,
}
NOTE_COLUMNS = {
    "source_format": pl.String,
    "source_file": pl.String,
    "source_row": pl.Int64,
    "location": pl.String,
    "column_name": pl.String,
    "value": pl.String,
    "rule": pl.String,
    "action": pl.String,
    "message": pl.String,
}
FILE_COLUMNS = {
    "table_name": pl.String,
    "source_file": pl.String,
    "file_sha256": pl.String,
    "rows_read": pl.Int64,
    "dropped_identifier_columns": pl.String,
    "ignored_columns": pl.String,
}
ERROR_COLUMNS = {
    "table_name": pl.String,
    "source_file": pl.String,
    "column_name": pl.String,
    "severity": pl.String,
    "message": pl.String,
}
DELIVERY_COLUMNS = {
    "status": pl.String,
    "folder": pl.String,
    "n_files": pl.Int32,
    "rows_read": pl.Int64,
    "rows_rejected": pl.Int64,
    "values_cleared": pl.Int64,
    "message": pl.String,
}


def rows_frame(
    rows: Sequence[Mapping[str, Any]], schema: Mapping[str, Any], constants: Mapping[str, Any]
) -> pl.DataFrame:
    """A frame of ``rows`` with the given schema, plus constant columns (the delivery's key)."""
    frame = pl.DataFrame(rows, schema=schema)
    return frame.with_columns(**{name: pl.lit(value) for name, value in constants.items()})


def lineage_values(extract: ExtractFolder, path: Path, sha: str) -> dict[str, object]:
    """The lineage columns of a file's rows (the same on every row)."""
    return {
        "la_code": extract.la_code,
        "extract_date": extract.extract_date,
        "source_file": path.name,
        "file_sha256": sha,
    }


def save_la_config(con: duckdb.DuckDBPyConnection, config: LAConfig) -> None:
    """Replace an LA's configuration tables (idempotent: same config, same rows)."""
    rows: dict[str, list[list[Any]]] = {
        "la": [
            [
                config.la_code,
                config.la_name,
                list(config.targets),
                config.history_start,
                config.benchmark_areas.get("local_authority"),
                config.benchmark_areas.get("statistical_neighbours"),
            ]
        ],
        "la_population": [
            [config.la_code, y, p] for y, p in sorted(config.population_0_17.items())
        ],
        "la_roles": [[config.la_code, c, r] for c, r in sorted(config.roles.items())],
        "la_service_areas": [
            [config.la_code, t, a] for t, a in sorted(config.service_areas.items())
        ],
        "la_target_parameters": [
            [config.la_code, k, v] for k, v in sorted(config.target_parameters.items())
        ],
        "la_spc_changes": [
            [config.la_code, k, d] for k, dates in sorted(config.spc_changes.items()) for d in dates
        ],
    }
    with transaction(con):
        for name, values in rows.items():
            con.execute(f"delete from meta.{name} where la_code = ?", [config.la_code])
            if values:
                marks = ", ".join("?" * len(values[0]))
                con.executemany(f"insert into meta.{name} values ({marks})", values)


def issue_lines(con: duckdb.DuckDBPyConnection, la_code: str, delivery_ids: list[str]) -> list[str]:
    """Human-readable defects of some deliveries: each file problem, and row-level defects
    summarised per file, column and rule (count and first rows)."""
    if not delivery_ids:
        return []
    file_errors = con.execute(
        """select la_code, extract_date, source_file, column_name, severity, message
           from meta.file_errors where la_code = ? and delivery_id in (select unnest(?))
           order by extract_date, source_file""",
        [la_code, delivery_ids],
    ).fetchall()
    lines = []
    for la, day, file, col, severity, msg in file_errors:
        where = f"{la} {day} {file}" + (f", column '{col}'" if col else "")
        lines.append(f"{where}: {msg}" + ("" if severity == "error" else " (warning)"))
    lines += quarantine_lines(con, la_code, delivery_ids)  # per file, column and rule
    # What the statutory-return adapters changed or could not use, summarised per file and rule
    # (every note, with its row or XML path, is in meta.adapter_notes).
    notes = con.execute(
        """select la_code, extract_date, source_file, action, rule, count(*), min(message)
           from meta.adapter_notes where la_code = ? and delivery_id in (select unnest(?))
           group by all order by extract_date, source_file, action, rule""",
        [la_code, delivery_ids],
    ).fetchall()
    for la, day, file, action, rule, count, example in notes:
        times = f" ({count} times; see meta.adapter_notes)" if count > 1 else ""
        lines.append(f"{la} {day} {file}: {action.replace('_', ' ')} [{rule}]: {example}{times}")
    return lines
