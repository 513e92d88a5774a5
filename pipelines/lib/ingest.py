"""Land extract folders in the warehouse: inbox -> raw (as received) -> staging (typed).

An extract folder is ``<inbox>/<la_code>/<YYYY-MM-DD>/``; its files, hashed together, make a
*delivery*. The same delivery twice is skipped (loading is idempotent). A delivery with a
file-level problem (unreadable file, missing required column, header-only file) is
*rejected*: its defects are recorded, its readable rows are checked so every row-level defect is
reported too, and nothing it holds reaches staging, so the last good extract stays current.
Each step writes in one transaction: readers never see half a load.
"""

import datetime as dt
import hashlib
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines.lib import screening
from pipelines.lib.adapters.dispatch import adapt_folder
from pipelines.lib.adapters.source_columns import record_source_columns
from pipelines.lib.contract import (
    FILE_SUFFIXES,
    TABLES,
    TABLES_BY_NAME,
    Table,
    is_direct_identifier,
)
from pipelines.lib.la_config import ConfigError, LAConfig, load_la_config
from pipelines.lib.paths import link_outside
from pipelines.lib.readers import ROW_COLUMN, FileLevelError, RawFile, read_table_file
from pipelines.lib.staging import (
    CLEAR,
    reference_columns,
    reference_issues,
    stage_table,
)
from pipelines.lib.validation.defects import quarantine_lines
from pipelines.lib.warehouse import insert_frame as _insert
from pipelines.lib.warehouse import transaction

Progress = Callable[[str], None]
_DATE_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Marker files a sender may drop beside the tables (see the inbox sensor); never data.
MARKER_FILES = frozenset({"_ready", "_ready.txt", ".ds_store", "thumbs.db"})
PERSON = "ssd_person"


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class ExtractFolder:
    la_code: str
    extract_date: dt.date
    path: Path


@dataclass
class InboxLA:
    """One LA's folder in the inbox: its configuration and extract folders, oldest first."""

    la_code: str
    path: Path
    config: LAConfig | None
    config_error: str | None
    extracts: list[ExtractFolder] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def folder_signature(folder: Path) -> str:
    """Names, sizes and modification times of a folder's files: changes whenever a file is
    added, replaced or still being written (cheap: no file is read)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def is_complete(folder: Path, quiet_seconds: float, now: float | None = None) -> bool:
    """A delivery is complete when the sender dropped a ``_READY`` marker in it, or when it has
    files and none changed for ``quiet_seconds`` (a copy still running keeps touching them)."""
    files = [p for p in folder.iterdir() if p.is_file()]
    if any(p.name.lower() in ("_ready", "_ready.txt") for p in files):
        return True
    data = [p for p in files if p.name.lower() not in MARKER_FILES and not p.name.startswith(".")]
    if not data:
        return False
    newest = max(max(p.stat().st_mtime for p in data), folder.stat().st_mtime)
    return (now if now is not None else time.time()) - newest >= quiet_seconds


def scan_la(inbox: Path, la_code: str, quiet_seconds: float | None = None) -> InboxLA:
    """The LA's configuration and extract folders. With ``quiet_seconds`` (runs started by the
    inbox sensor), folders not complete yet are left for a later run and said so."""
    la_dir = inbox / la_code
    if not la_dir.is_dir():
        raise ConfigError(f"{la_dir}: no such LA folder in the inbox")
    try:
        config: LAConfig | None = load_la_config(la_dir)
        error = None
    except ConfigError as exc:
        config, error = None, str(exc)
    la = InboxLA(la_code=la_code, path=la_dir, config=config, config_error=error)
    for child in sorted(la_dir.iterdir()):
        if not child.is_dir() or child.name.startswith("."):
            continue
        if not _DATE_FOLDER.match(child.name):
            la.problems.append(
                f"{child}: not an extract folder (expected a YYYY-MM-DD name); ignored"
            )
            continue
        try:
            day = dt.date.fromisoformat(child.name)
        except ValueError:
            la.problems.append(f"{child}: '{child.name}' is not a real date; ignored")
            continue
        # A link out of the inbox (a folder, or a file in it) is never read.
        refused = [(p, link_outside(p, inbox)) for p in [child]]
        refused += [] if refused[0][1] else [(p, link_outside(p, inbox)) for p in child.iterdir()]
        la.problems += [f"{p}: a link to {t}, outside the inbox; refused (not read)"
                        for p, t in refused if t is not None]  # fmt: skip
        if refused[0][1]:
            continue
        if quiet_seconds is not None and not is_complete(child, quiet_seconds):
            la.problems.append(
                f"{child}: not complete yet (no _READY marker, and files changed in the last "
                f"{quiet_seconds:g} s); left for a later run"
            )
            continue
        la.extracts.append(ExtractFolder(la_code, day, child))
    la.extracts.sort(key=lambda e: e.extract_date)
    return la


def scan_inbox(inbox: Path, quiet_seconds: float | None = None) -> list[InboxLA]:
    if not inbox.is_dir():
        raise ConfigError(f"{inbox}: the inbox folder does not exist")
    return [
        scan_la(inbox, child.name, quiet_seconds)
        for child in sorted(inbox.iterdir())
        if child.is_dir() and not child.name.startswith(".")
    ]


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


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _table_for_file(path: Path) -> Table | None:
    if path.suffix.lower() not in FILE_SUFFIXES:
        return None
    return TABLES_BY_NAME.get(path.stem.strip().lower())


def _select_contract_columns(table: Table, raw: RawFile) -> pl.DataFrame:
    """The contract's columns (aliases renamed; missing optional ones blank), all as text."""
    present = set(raw.columns)
    columns = [pl.col(ROW_COLUMN)]
    for col in table.columns:
        source = next((n for n in (col.name, *col.aliases) if n in present), None)
        if source is None:
            columns.append(pl.lit(None, dtype=pl.String).alias(col.name))
        else:
            columns.append(pl.col(source).cast(pl.String).alias(col.name))
    return raw.frame.select(columns)


def _check_columns(table: Table, raw: RawFile) -> list[FileLevelError]:
    present = set(raw.columns)
    errors = [
        FileLevelError(raw.path, "a required column is missing", column=col.name)
        for col in table.columns
        if col.required and not ({col.name, *col.aliases} & present)
    ]
    if raw.frame.height == 0:
        errors.append(FileLevelError(raw.path, "the file has a header but no rows"))
    return errors


def receive_extract(
    con: duckdb.DuckDBPyConnection, extract: ExtractFolder, progress: Progress = _quiet
) -> DeliveryResult:
    """Read one extract folder into ``raw`` (or reject it), unless this exact delivery was seen.

    One transaction: each file's rows are written to ``raw`` as soon as the file is read (so one
    file at a time is in memory), and readers see the whole delivery or none of it."""
    with transaction(con):
        return _receive_extract(con, extract, progress)


def _delivery(extract: ExtractFolder) -> tuple[list[Path], dict[str, str], str]:
    """An extract folder's files, their SHA-256, and the delivery id they make together."""
    files = sorted(
        f
        for f in extract.path.iterdir()
        if f.is_file()
        and f.name.lower() not in MARKER_FILES
        and not f.name.startswith(".")
        and link_outside(f, extract.path.parents[1]) is None
    )
    hashes = {f.name: sha256_file(f) for f in files}
    # The date is part of the delivery: the same files sent for two dates are two deliveries.
    fingerprint = hashlib.sha256(
        (extract.extract_date.isoformat() + "\n")
        .join([""] + [f"{n}:{h}\n" for n, h in sorted(hashes.items())])
        .encode()
    ).hexdigest()
    return files, hashes, fingerprint[:16]


def _seen(con: duckdb.DuckDBPyConnection, extract: ExtractFolder, delivery_id: str) -> str | None:
    """The status this exact delivery was given before, if it was seen."""
    seen = con.execute(
        """select status from meta.deliveries
           where la_code = ? and extract_date = ? and delivery_id = ?""",
        [extract.la_code, extract.extract_date, delivery_id],
    ).fetchone()
    return str(seen[0]) if seen else None


def receive_la(
    con: duckdb.DuckDBPyConnection, extracts: Sequence[ExtractFolder], progress: Progress = _quiet
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
            results.append(_record_superseded(con, extract, usable, progress))
            continue
        result = receive_extract(con, extract, progress)
        results.append(result)
        if result.status == "received" or result.seen_status in ("loaded", "received"):
            usable = extract
    return results[::-1]


def _record_superseded(
    con: duckdb.DuckDBPyConnection,
    extract: ExtractFolder,
    newer: ExtractFolder,
    progress: Progress,
) -> DeliveryResult:
    files, _, delivery_id = _delivery(extract)
    result = DeliveryResult(extract.la_code, extract.extract_date, delivery_id, "skipped")
    result.seen_status = _seen(con, extract, delivery_id)
    if result.seen_status is not None:
        return result
    message = (
        f"not loaded: the extract of {newer.extract_date} arrived with it and holds the full "
        "history"
    )
    with transaction(con):
        _insert(
            con,
            "meta.deliveries",
            _rows(
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
    con: duckdb.DuckDBPyConnection, extract: ExtractFolder, progress: Progress
) -> DeliveryResult:
    files, hashes, delivery_id = _delivery(extract)
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
    landing = _RawLanding(con, extract, delivery_id, hashes)
    file_rows: list[dict[str, object]] = []
    by_table: dict[str, Path] = {}
    unusable: set[str] = set()  # tables with a file-level problem: their rows are not checked
    statutory: list[Path] = []
    # The person file first: its name columns, read before they are dropped, screen the others.
    for path in sorted(files, key=lambda p: getattr(_table_for_file(p), "name", "") != PERSON):
        table = _table_for_file(path)
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
            raw = read_table_file(path, table.name)
        except FileLevelError as exc:
            errors.append(exc)
            continue
        except Exception as exc:  # a reader's library failing on a malformed file: reject it
            detail = (str(exc).splitlines() or [""])[0]
            errors.append(FileLevelError(path, f"cannot be read ({type(exc).__name__}: {detail})"))
            continue
        if table.name == PERSON:
            landing.screen = screening.Screen.from_person_file(raw.frame)
        problems = _check_columns(table, raw)
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
                table.name, path, _select_contract_columns(table, raw)
            )

    adapted = _adapt_statutory(extract, statutory, by_table, file_rows, errors, warnings)
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
        checked = _stage_delivery(
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
            constants = _lineage_values(extract, Path(part.label), hashes[part.path.name])
            _insert(con, f"raw.{part.table}", part.frame, {**constants, "delivery_id": delivery_id})
        for frame in quarantine:
            _insert(con, "stg.quarantine", frame)
        delivery = {
            "la_code": extract.la_code,
            "extract_date": extract.extract_date,
            "delivery_id": delivery_id,
        }
        _insert(con, "meta.delivery_files", _rows(file_rows, FILE_COLUMNS, delivery))
        error_rows = [
            {
                "table_name": _table_name(e.file),
                "source_file": Path(e.file).name,
                "column_name": e.column,
                "severity": severity,
                "message": e.detail,
            }
            for severity, found in (("error", errors), ("warning", warnings))
            for e in found
        ]
        _insert(con, "meta.file_errors", _rows(error_rows, ERROR_COLUMNS, delivery))
        _insert(
            con, "meta.delivery_sources", _rows(adapted.sources(readable), SOURCE_COLUMNS, delivery)
        )
        _insert(con, "meta.adapter_notes", _rows(adapted.notes, NOTE_COLUMNS, delivery))
        record_source_columns(con, delivery, adapted.formats)
        rejected = bool(errors)
        _insert(
            con,
            "meta.deliveries",
            _rows(
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


@dataclass(frozen=True)
class _Part:
    """Rows of one contract table from one file (and sheet) of a statutory return."""

    table: str
    path: Path  # the file delivered
    label: str  # the file's name, with the sheet when it has several: "Annex_A.xlsx [List 3]"
    frame: pl.DataFrame  # contract columns as text + source_row


@dataclass
class _Statutory:
    """The statutory returns of one delivery, as contract-table pieces (one file each)."""

    parts: list[_Part] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)  # table -> source format
    notes: list[dict[str, object]] = field(default_factory=list)

    def sources(self, readable: Mapping[str, tuple[Path, pl.DataFrame]]) -> list[dict[str, object]]:
        """One row per table of the delivery: the format its rows came from and the files."""
        rows: list[dict[str, object]] = [
            {
                "table_name": name,
                "source_format": "ssd",
                "source_files": path.name,
                "rows_read": frame.height,
            }
            for name, (path, frame) in readable.items()
        ]
        files: dict[str, list[str]] = {}
        counts: dict[str, int] = {}
        for part in self.parts:
            files.setdefault(part.table, []).append(part.label)
            counts[part.table] = counts.get(part.table, 0) + part.frame.height
        rows += [
            {
                "table_name": name,
                "source_format": self.formats[name],
                "source_files": ", ".join(labels),
                "rows_read": counts[name],
            }
            for name, labels in files.items()
        ]
        return rows


def _adapt_statutory(
    extract: ExtractFolder,
    paths: list[Path],
    by_table: dict[str, Path],
    file_rows: list[dict[str, object]],
    errors: list[FileLevelError],
    warnings: list[FileLevelError],
) -> _Statutory:
    """Offer the files no contract table name matched to the statutory-return adapters."""
    out = _Statutory()
    if not paths:
        return out
    folder = adapt_folder(paths, extract.extract_date, ssd_tables=list(by_table))
    errors.extend(folder.errors)
    rows_by_file: dict[str, int] = {}
    for name, pieces in folder.parts.items():
        table = TABLES_BY_NAME[name]
        for piece in pieces:
            raw = RawFile(piece.source_file, piece.frame, tuple(piece.frame.columns))
            frame = _select_contract_columns(table, raw)
            out.parts.append(_Part(name, piece.source_file, piece.source_name, frame))
            rows_by_file[piece.source_file.name] = (
                rows_by_file.get(piece.source_file.name, 0) + piece.frame.height
            )
        by_table.setdefault(name, pieces[0].source_file)
        out.formats[name] = folder.formats[name]
    for info in file_rows:
        name = str(info["source_file"])
        if name in folder.claimed:
            info["rows_read"] = rows_by_file.get(name, 0)
    for path in paths:
        if path.name not in folder.claimed:
            warnings.append(
                FileLevelError(
                    path, "neither a table of the extract contract nor a statutory return; ignored"
                )
            )
    out.notes = [
        {
            "source_format": source_format,
            "source_file": Path(note.source_file).name,
            "source_row": note.source_row,
            "location": note.location,
            "column_name": note.column,
            "value": note.value,
            "rule": note.rule,
            "action": note.action,
            "message": note.message,
        }
        for source_format, note in folder.notes
    ]
    return out


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


def _rows(
    rows: Sequence[Mapping[str, Any]], schema: Mapping[str, Any], constants: Mapping[str, Any]
) -> pl.DataFrame:
    """A frame of ``rows`` with the given schema, plus constant columns (the delivery's key)."""
    frame = pl.DataFrame(rows, schema=schema)
    return frame.with_columns(**{name: pl.lit(value) for name, value in constants.items()})


def _table_name(file: str) -> str | None:
    table = _table_for_file(Path(file))
    return table.name if table else None


class _RawLanding:
    """Writes each file's rows into ``raw`` as soon as it is read, inside the delivery's
    transaction, so a delivery never has to fit in memory whole."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        extract: ExtractFolder,
        delivery_id: str,
        hashes: Mapping[str, str],
    ) -> None:
        self.con = con
        self.extract = extract
        self.delivery_id = delivery_id
        self.hashes = hashes
        self.screen = screening.Screen()  # with names once the person file is read

    def land(self, name: str, path: Path, frame: pl.DataFrame) -> tuple[Path, pl.DataFrame]:
        """Write a file's contract columns, screened, to ``raw.<name>``; keep its row numbers."""
        constants = _lineage_values(self.extract, path, self.hashes[path.name])
        frame = self.screened(name, path.name, self.hashes[path.name], frame)
        _insert(self.con, f"raw.{name}", frame, {**constants, "delivery_id": self.delivery_id})
        return path, frame.select(ROW_COLUMN)

    def screened(self, name: str, label: str, sha: str, frame: pl.DataFrame) -> pl.DataFrame:
        """``frame`` with personal data removed (``screening.py``); what was removed goes to
        the quarantine, by row, column and rule."""
        frame, removed = self.screen.apply(TABLES_BY_NAME[name], frame)
        if not removed.is_empty():
            constants = {"la_code": self.extract.la_code, "extract_date": self.extract.extract_date,
                         "delivery_id": self.delivery_id, "table_name": name,
                         "source_file": label, "file_sha256": sha}  # fmt: skip
            _insert(self.con, "stg.quarantine", removed, constants)
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


def _lineage_values(extract: ExtractFolder, path: Path, sha: str) -> dict[str, object]:
    """The lineage columns of a file's rows (the same on every row)."""
    return {
        "la_code": extract.la_code,
        "extract_date": extract.extract_date,
        "source_file": path.name,
        "file_sha256": sha,
    }


def _lineage(extract: ExtractFolder, path: Path, sha: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "la_code": [extract.la_code],
            "extract_date": [extract.extract_date],
            "source_file": [path.name],
            "file_sha256": [sha],
        }
    )


@dataclass
class StagedDelivery:
    """One delivery's tables typed, with every issue found (rows and references)."""

    # Issues as found, when they are not written away as found (a rejected delivery).
    quarantine: list[pl.DataFrame] = field(default_factory=list)
    rows_read: int = 0
    rows_staged: int = 0
    rows_rejected: int = 0
    values_cleared: int = 0


# Where a typed piece goes: (table, rows, constant columns). Staging writes into the warehouse.
Sink = Callable[[str, pl.DataFrame, Mapping[str, object]], None]


class _DeliveryStager:
    """Types a delivery's tables one file at a time, then checks the links between them.

    Only one table's rows are in memory at once: each is typed, handed to ``sink`` with its
    issues, and only the columns the link checks need are kept (ids, a few per table). Without a
    sink (a rejected delivery) the typed rows are dropped and the issues kept in ``quarantine``.
    """

    def __init__(self, extract: ExtractFolder, delivery_id: str, sink: Sink | None) -> None:
        self.extract = extract
        self.delivery_id = delivery_id
        self.sink = sink
        self.out = StagedDelivery()
        self.keys: dict[str, list[tuple[Path, str, pl.DataFrame]]] = {}

    def _issues(self, name: str, path: Path, sha: str, issues: pl.DataFrame) -> None:
        if issues.is_empty():
            return
        issues = screening.withhold(TABLES_BY_NAME[name], issues)
        lineage = {
            "la_code": self.extract.la_code,
            "extract_date": self.extract.extract_date,
            "delivery_id": self.delivery_id,
            "table_name": name,
            "source_file": path.name,
            "file_sha256": sha,
        }
        if self.sink is None:
            self.out.quarantine.append(
                issues.with_columns(**{k: pl.lit(v) for k, v in lineage.items()})
            )
        else:
            self.sink("stg.quarantine", issues, lineage)

    def add(self, name: str, path: Path, sha: str, frame: pl.DataFrame) -> None:
        """Type one file's rows of table ``name``."""
        result = stage_table(TABLES_BY_NAME[name], frame)
        self._issues(name, path, sha, result.issues)
        if self.sink is not None:
            self.sink(f"stg.{name}", result.frame, _lineage_values(self.extract, path, sha))
        self.keys.setdefault(name, []).append(
            (path, sha, result.frame.select(ROW_COLUMN, *reference_columns(name)))
        )
        self.out.rows_read += frame.height
        self.out.rows_staged += result.frame.height
        self.out.rows_rejected += result.rejected_rows
        self.out.values_cleared += result.issues.filter(pl.col("action") == CLEAR).height

    def finish(self) -> StagedDelivery:
        """Flag the orphan references (kept rows whose partner is not in the delivery)."""
        tables = {
            name: pl.concat([keys for _, _, keys in pieces]) for name, pieces in self.keys.items()
        }
        for name, pieces in self.keys.items():
            for path, sha, keys in pieces:
                orphans = reference_issues({**tables, name: keys}, only=name).get(name)
                if orphans is not None:
                    self._issues(name, path, sha, orphans.sort("source_row", "column_name"))
        return self.out


def _stage_delivery(
    extract: ExtractFolder,
    delivery_id: str,
    inputs: Sequence[tuple[str, Path, str, pl.DataFrame]],
) -> StagedDelivery:
    """Type each table and check the links between them (orphans are kept, but flagged), for
    the issues only: the typed rows are not kept (a rejected delivery is never staged).
    ``inputs``: (table, file, sha256, rows) per piece; a table may come in several pieces."""
    stager = _DeliveryStager(extract, delivery_id, sink=None)
    for name, path, sha, frame in inputs:
        stager.add(name, path, sha, frame)
    return stager.finish()


def stage_received(
    con: duckdb.DuckDBPyConnection, la_code: str, progress: Progress = _quiet
) -> list[DeliveryResult]:
    """Type every received delivery of an LA into ``stg`` and make it current, oldest first.

    A delivery is typed and written table by table inside one transaction, so memory holds one
    table at a time and readers still never see half a load."""
    pending = con.execute(
        """select extract_date, delivery_id from meta.deliveries
           where la_code = ? and status = 'received' order by extract_date""",
        [la_code],
    ).fetchall()
    results = []
    for extract_date, delivery_id in pending:
        progress(f"{la_code} {extract_date}: staging")
        key = [la_code, extract_date, delivery_id]
        with transaction(con):
            for table in TABLES:
                con.execute(
                    f"delete from stg.{table.name} where la_code = ? and extract_date = ?",
                    [la_code, extract_date],
                )
            stager = _DeliveryStager(
                ExtractFolder(la_code, extract_date, Path()),
                delivery_id,
                sink=lambda target, frame, constants: _insert(con, target, frame, constants),
            )
            for table in TABLES:
                where = "la_code = ? and extract_date = ? and delivery_id = ?"
                # One piece per file (a table merged from several returns has several).
                files = con.execute(
                    f"""select distinct source_file, file_sha256 from raw.{table.name}
                        where {where} order by source_file""",
                    key,
                ).fetchall()
                for source_file, sha in files:
                    raw = con.execute(
                        f"""select {ROW_COLUMN}, {", ".join(table.column_names)}
                            from raw.{table.name} where {where} and source_file = ?""",
                        [*key, source_file],
                    ).pl()
                    stager.add(table.name, Path(source_file), sha, raw)
                    del raw
            checked = stager.finish()
            result = DeliveryResult(
                la_code,
                extract_date,
                delivery_id,
                "loaded",
                rows_read=checked.rows_read,
                rows_staged=checked.rows_staged,
                rows_rejected=checked.rows_rejected,
                values_cleared=checked.values_cleared,
            )
            con.execute(
                """update meta.deliveries set status = 'superseded'
                   where la_code = ? and extract_date = ? and status = 'loaded'""",
                [la_code, extract_date],
            )
            con.execute(
                """update meta.deliveries set status = 'loaded', rows_read = ?, rows_staged = ?,
                   rows_rejected = ?, values_cleared = ?
                   where la_code = ? and extract_date = ? and delivery_id = ?""",
                [
                    result.rows_read,
                    result.rows_staged,
                    result.rows_rejected,
                    result.values_cleared,
                    la_code,
                    extract_date,
                    delivery_id,
                ],
            )
        progress(
            f"{la_code} {extract_date}: loaded {result.rows_staged:,} rows"
            + (f", {result.rows_rejected:,} rows quarantined" if result.rows_rejected else "")
        )
        results.append(result)
    return results


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
