"""Statutory returns in a delivery (Annex A, CIN census, SSDA903, CSWW): the files no contract
table name matched, offered to the adapters, as pieces of contract tables."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.lib.adapters.dispatch import adapt_folder
from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.ingest.columns import select_contract_columns
from pipelines.lib.ingest.inbox import ExtractFolder
from pipelines.lib.readers import FileLevelError, RawFile


@dataclass(frozen=True)
class Part:
    """Rows of one contract table from one file (and sheet) of a statutory return."""

    table: str
    path: Path  # the file delivered
    label: str  # the file's name, with the sheet when it has several: "Annex_A.xlsx [List 3]"
    frame: pl.DataFrame  # contract columns as text + source_row


@dataclass
class Statutory:
    """The statutory returns of one delivery, as contract-table pieces (one file each)."""

    parts: list[Part] = field(default_factory=list)
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


def adapt_statutory(
    extract: ExtractFolder,
    paths: list[Path],
    by_table: dict[str, Path],
    file_rows: list[dict[str, object]],
    errors: list[FileLevelError],
    warnings: list[FileLevelError],
) -> Statutory:
    """Offer the files no contract table name matched to the statutory-return adapters."""
    out = Statutory()
    if not paths:
        return out
    folder = adapt_folder(paths, extract.extract_date, ssd_tables=list(by_table))
    errors.extend(folder.errors)
    rows_by_file: dict[str, int] = {}
    for name, pieces in folder.parts.items():
        table = TABLES_BY_NAME[name]
        for piece in pieces:
            raw = RawFile(piece.source_file, piece.frame, tuple(piece.frame.columns))
            frame = select_contract_columns(table, raw)
            out.parts.append(Part(name, piece.source_file, piece.source_name, frame))
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
