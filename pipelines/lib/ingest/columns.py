"""A delivered file against the extract contract: which table it is, its contract columns.

A file is a contract table when its name is the table's (``ssd_person.csv``); its columns are
matched by name or alias, and a required one missing is a file-level error.
"""

from pathlib import Path

import polars as pl

from pipelines.lib.contract import FILE_SUFFIXES, TABLES_BY_NAME, Table
from pipelines.lib.readers import ROW_COLUMN, FileLevelError, RawFile


def table_for_file(path: Path) -> Table | None:
    if path.suffix.lower() not in FILE_SUFFIXES:
        return None
    return TABLES_BY_NAME.get(path.stem.strip().lower())


def select_contract_columns(table: Table, raw: RawFile) -> pl.DataFrame:
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


def check_columns(table: Table, raw: RawFile) -> list[FileLevelError]:
    present = set(raw.columns)
    errors = [
        FileLevelError(raw.path, "a required column is missing", column=col.name)
        for col in table.columns
        if col.required and not ({col.name, *col.aliases} & present)
    ]
    if raw.frame.height == 0:
        errors.append(FileLevelError(raw.path, "the file has a header but no rows"))
    return errors


def table_name(file: str) -> str | None:
    table = table_for_file(Path(file))
    return table.name if table else None
