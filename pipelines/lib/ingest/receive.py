"""Receive: read a delivery's files into ``raw`` (as received, screened), or reject it.

A file is read through its reader (``readers.py``) when it is named after a contract table, or
through the statutory-return adapters (``returns.py``) otherwise. Direct identifiers are dropped
and free text screened (``screening.py``) before anything is written. A delivery with a
file-level problem (unreadable file, missing required column, header-only file) is *rejected*:
its defects are recorded, its readable rows are checked so every row-level defect is reported
too (``stage.check_delivery``), and nothing it holds reaches staging. The same delivery twice is
skipped. One transaction per delivery: readers see the whole of it or none.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import polars as pl

from pipelines.lib import screening
from pipelines.lib.adapters.source_columns import record_source_columns
from pipelines.lib.contract import TABLES_BY_NAME, is_direct_identifier
from pipelines.lib.ingest import inbox
from pipelines.lib.ingest.columns import (
    check_columns,
    select_contract_columns,
    table_for_file,
    table_name,
)
from pipelines.lib.ingest.inbox import ExtractFolder
from pipelines.lib.ingest.records import (
    DELIVERY_COLUMNS,
    ERROR_COLUMNS,
    FILE_COLUMNS,
    NOTE_COLUMNS,
    SOURCE_COLUMNS,
    DeliveryResult,
    Progress,
    lineage_values,
    rows_frame,
)
from pipelines.lib.ingest.returns import adapt_statutory
from pipelines.lib.ingest.stage import Insert, check_delivery
from pipelines.lib.readers import ROW_COLUMN, FileLevelError, RawFile
from pipelines.lib.warehouse import transaction

PERSON = "ssd_person"
# Reads a contract table's file (``readers.read_table_file``).
Read = Callable[[Path, str], RawFile]


@dataclass(frozen=True)
class Io:
    """How files are read and rows written (``readers.read_table_file``,
    ``warehouse.insert_frame``): handed down by the package's entry points, so that a test can
    make a read or a write fail at a chosen point."""

    read: Read
    insert: Insert


def receive_extract(
    con: duckdb.DuckDBPyConnection, extract: ExtractFolder, progress: Progress, io: Io
) -> DeliveryResult:
    """Read one extract folder into ``raw`` (or reject it), unless this exact delivery was seen.

    One transaction: each file's rows are written to ``raw`` as soon as the file is read (so one
    file at a time is in memory), and readers see the whole delivery or none of it."""
    with transaction(con):
        return _receive_extract(con, extract, progress, io)


def _seen(con: duckdb.DuckDBPyConnection, extract: ExtractFolder, delivery_id: str) -> str | None:
    """The status this exact delivery was given before, if it was seen."""
    seen = con.execute(
        """select status from meta.deliveries
           where la_code = ? and extract_date = ? and delivery_id = ?""",
        [extract.la_code, extract.extract_date, delivery_id],
    ).fetchone()
    return str(seen[0]) if seen else None


def receive_la(
    con: duckdb.DuckDBPyConnection, extracts: Sequence[ExtractFolder], progress: Progress, io: Io
) -> list[DeliveryResult]:
    """Receive an LA's extract folders, newest first, up to the first usable one.

    Every extract is a full-history snapshot, so of several extracts that arrive together only
    the newest good one is loaded: the older ones would publish nothing (KPIs are computed from
    the newest extract of a run) and cost a full load each. They are recorded as ``superseded``
    without being read, and stay in the inbox. When the newest is rejected, the next older one
    is tried, so the newest *good* extract becomes current. Extracts seen before are skipped, as
    ever; a folder dropped alone (the weekly case) is loaded as it always was."""
    results: list[DeliveryResult] = []
    usable: ExtractFolder | None = None
    for extract in sorted(extracts, key=lambda e: e.extract_date, reverse=True):
        if usable is not None:
            results.append(_record_superseded(con, extract, usable, progress, io.insert))
            continue
        result = receive_extract(con, extract, progress, io)
        results.append(result)
        if result.status == "received" or result.seen_status in ("loaded", "received"):
            usable = extract
    return results[::-1]


def _record_superseded(
    con: duckdb.DuckDBPyConnection,
    extract: ExtractFolder,
    newer: ExtractFolder,
    progress: Progress,
    insert: Insert,
) -> DeliveryResult:
    files, _, delivery_id = inbox.delivery(extract)
    result = DeliveryResult(extract.la_code, extract.extract_date, delivery_id, "skipped")
    result.seen_status = _seen(con, extract, delivery_id)
    if result.seen_status is not None:
        return result
    message = (
        f"not loaded: the extract of {newer.extract_date} arrived with it and holds the full "
        "history"
    )
    with transaction(con):
        insert(
            con,
            "meta.deliveries",
            rows_frame(
                [{"status": "superseded", "folder": str(extract.path), "n_files": len(files),
                  "message": message}],
                DELIVERY_COLUMNS,
                {"la_code": extract.la_code, "extract_date": extract.extract_date,
                 "delivery_id": delivery_id},
            ),
        )  # fmt: skip
    result.status = "superseded"
    progress(f"{extract.la_code} {extract.extract_date}: {message}")
    return result


def _receive_extract(
    con: duckdb.DuckDBPyConnection, extract: ExtractFolder, progress: Progress, io: Io
) -> DeliveryResult:
    files, hashes, delivery_id = inbox.delivery(extract)
    result = DeliveryResult(extract.la_code, extract.extract_date, delivery_id, "received")
    result.seen_status = _seen(con, extract, delivery_id)
    if result.seen_status:
        result.status = "skipped"
        progress(
            f"{extract.la_code} {extract.extract_date}: already {result.seen_status} "
            "(same files); skipped"
        )
        return result

    progress(f"{extract.la_code} {extract.extract_date}: reading {len(files)} files")
    errors: list[FileLevelError] = []
    warnings: list[FileLevelError] = []
    readable: dict[str, tuple[Path, pl.DataFrame]] = {}  # rows written to raw: row numbers kept
    landing = _RawLanding(con, extract, delivery_id, hashes, io.insert)
    file_rows: list[dict[str, object]] = []
    by_table: dict[str, Path] = {}
    unusable: set[str] = set()  # tables with a file-level problem: their rows are not checked
    statutory: list[Path] = []
    # The person file first: its name columns, read before they are dropped, screen the others.
    for path in sorted(files, key=lambda p: getattr(table_for_file(p), "name", "") != PERSON):
        table = table_for_file(path)
        info: dict[str, object] = {
            "table_name": table.name if table else None,
            "source_file": path.name,
            "file_sha256": hashes[path.name],
            "rows_read": None,
            "dropped_identifier_columns": None,
            "ignored_columns": None,
        }
        file_rows.append(info)
        if table is None:
            statutory.append(path)  # perhaps a statutory return: offered to the adapters below
            continue
        if table.name in by_table:
            errors.append(
                FileLevelError(
                    path,
                    f"table {table.name} is delivered twice (also {by_table[table.name].name})",
                )
            )
            continue
        by_table[table.name] = path
        try:
            raw = io.read(path, table.name)
        except FileLevelError as exc:
            errors.append(exc)
            continue
        except Exception as exc:  # a reader's library failing on a malformed file: reject it
            detail = (str(exc).splitlines() or [""])[0]
            errors.append(FileLevelError(path, f"cannot be read ({type(exc).__name__}: {detail})"))
            continue
        if table.name == PERSON:
            landing.screen = screening.Screen.from_person_file(raw.frame)
        problems = check_columns(table, raw)
        errors.extend(problems)
        if problems:
            unusable.add(table.name)
        known = {n for c in table.columns for n in (c.name, *c.aliases)}
        extra = [c for c in raw.columns if c not in known]
        info["rows_read"] = raw.frame.height
        info["dropped_identifier_columns"] = (
            ",".join(c for c in extra if is_direct_identifier(c)) or None
        )
        info["ignored_columns"] = ",".join(c for c in extra if not is_direct_identifier(c)) or None
        if raw.frame.height:
            readable[table.name] = landing.land(
                table.name, path, select_contract_columns(table, raw)
            )

    adapted = adapt_statutory(extract, statutory, by_table, file_rows, errors, warnings)
    adapted.parts = [
        replace(p, frame=landing.screened(p.table, p.label, hashes[p.path.name], p.frame))
        for p in adapted.parts
    ]
    if not by_table:
        # An empty folder (a copy in progress) or misnamed files: loading it would make an
        # extract with no rows current.
        errors.append(
            FileLevelError(
                extract.path,
                "no file is named after a table of the extract contract (ssd_person.csv, "
                "ssd_contacts.parquet, ext_vacancies.xlsx...) or is a statutory return "
                "(Annex_A*.xlsx, cin*.xml, header.csv + episodes.csv, *workforce*.xml); "
                "nothing to load",
            )
        )
    result.rows_read = sum(frame.height for _, frame in readable.values()) + sum(
        part.frame.height for part in adapted.parts
    )
    result.status = "rejected" if errors else "received"
    result.file_errors = [str(e) for e in errors]
    quarantine: list[pl.DataFrame] = []
    if errors:
        # Nothing of a rejected delivery is staged, but every row-level defect is still reported.
        checked = check_delivery(
            extract,
            delivery_id,
            [
                (name, path, hashes[path.name], landing.rows(name, path))
                for name, (path, _) in readable.items()
                if name not in unusable
            ]
            + [
                (part.table, Path(part.label), hashes[part.path.name], part.frame)
                for part in adapted.parts
            ],
        )
        quarantine = checked.quarantine
        result.rows_rejected = checked.rows_rejected
        result.values_cleared = checked.values_cleared

    with transaction(con):
        # The contract tables' files are in raw already (``landing``); the returns' pieces now.
        for part in adapted.parts:
            # The piece's label (file, and sheet) is its source_file: errors name the sheet.
            constants = lineage_values(extract, Path(part.label), hashes[part.path.name])
            io.insert(
                con, f"raw.{part.table}", part.frame, {**constants, "delivery_id": delivery_id}
            )
        for frame in quarantine:
            io.insert(con, "stg.quarantine", frame)
        delivery = {
            "la_code": extract.la_code,
            "extract_date": extract.extract_date,
            "delivery_id": delivery_id,
        }
        io.insert(con, "meta.delivery_files", rows_frame(file_rows, FILE_COLUMNS, delivery))
        error_rows = [
            {
                "table_name": table_name(e.file),
                "source_file": Path(e.file).name,
                "column_name": e.column,
                "severity": severity,
                "message": e.detail,
            }
            for severity, found in (("error", errors), ("warning", warnings))
            for e in found
        ]
        io.insert(con, "meta.file_errors", rows_frame(error_rows, ERROR_COLUMNS, delivery))
        io.insert(
            con,
            "meta.delivery_sources",
            rows_frame(adapted.sources(readable), SOURCE_COLUMNS, delivery),
        )
        io.insert(con, "meta.adapter_notes", rows_frame(adapted.notes, NOTE_COLUMNS, delivery))
        record_source_columns(con, delivery, adapted.formats)
        rejected = bool(errors)
        io.insert(
            con,
            "meta.deliveries",
            rows_frame(
                [
                    {
                        "status": result.status,
                        "folder": str(extract.path),
                        "n_files": len(files),
                        "rows_read": result.rows_read,
                        "rows_rejected": result.rows_rejected if rejected else None,
                        "values_cleared": result.values_cleared if rejected else None,
                        "message": "; ".join(result.file_errors) or None,
                    }
                ],
                DELIVERY_COLUMNS,
                delivery,
            ),
        )
    if errors:
        count = f"{len(errors)} file-level problem" + ("s" if len(errors) > 1 else "")
        progress(f"{extract.la_code} {extract.extract_date}: REJECTED ({count})")
    return result


class _RawLanding:
    """Writes each file's rows into ``raw`` as soon as it is read, inside the delivery's
    transaction, so a delivery never has to fit in memory whole."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        extract: ExtractFolder,
        delivery_id: str,
        hashes: Mapping[str, str],
        insert: Insert,
    ) -> None:
        self.con = con
        self.insert = insert
        self.extract = extract
        self.delivery_id = delivery_id
        self.hashes = hashes
        self.screen = screening.Screen()  # with names once the person file is read

    def land(self, name: str, path: Path, frame: pl.DataFrame) -> tuple[Path, pl.DataFrame]:
        """Write a file's contract columns, screened, to ``raw.<name>``; keep its row numbers."""
        constants = lineage_values(self.extract, path, self.hashes[path.name])
        frame = self.screened(name, path.name, self.hashes[path.name], frame)
        self.insert(self.con, f"raw.{name}", frame, {**constants, "delivery_id": self.delivery_id})
        return path, frame.select(ROW_COLUMN)

    def screened(self, name: str, label: str, sha: str, frame: pl.DataFrame) -> pl.DataFrame:
        """``frame`` with personal data removed (``screening.py``); what was removed goes to
        the quarantine, by row, column and rule."""
        frame, removed = self.screen.apply(TABLES_BY_NAME[name], frame)
        if not removed.is_empty():
            constants = {"la_code": self.extract.la_code, "extract_date": self.extract.extract_date,
                         "delivery_id": self.delivery_id, "table_name": name,
                         "source_file": label, "file_sha256": sha}  # fmt: skip
            self.insert(self.con, "stg.quarantine", removed, constants)
        return frame

    def rows(self, name: str, path: Path) -> pl.DataFrame:
        """A written file's rows read back (contract columns as text, and source_row)."""
        table = TABLES_BY_NAME[name]
        return self.con.execute(
            f"""select {ROW_COLUMN}, {", ".join(table.column_names)} from raw.{name}
                where la_code = ? and extract_date = ? and delivery_id = ? and source_file = ?
                order by {ROW_COLUMN}""",
            [self.extract.la_code, self.extract.extract_date, self.delivery_id, path.name],
        ).pl()
