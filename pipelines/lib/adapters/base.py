"""What every statutory-return adapter produces: rows in the extract contract's tables.

An adapter turns one statutory format (Annex A, CIN census XML, SSDA903, the workforce census)
into the same text rows an SSD extract file gives the ingest, so staging, validation and every
KPI run unchanged on them. It does not type or check values beyond what the format needs (the
staging step does that, with its quarantine); it maps the format's fields to contract columns,
its codes to contract codes, its dates to ``YYYY-MM-DD`` text, and says what it repaired,
could not map, or left out.

Row numbers: ``source_row`` is the spreadsheet row of a CSV or workbook row (header = row 1),
or the line of the XML element the row came from, so every error still names the place in the
file the council sent.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import polars as pl

from pipelines.lib.readers import ROW_COLUMN

# Adapter notes' actions.
REPAIRED = "repaired"  # a rule of the format changed a value (e.g. an SSDA903 episode fix)
ROW_DROPPED = "row_dropped"  # the adapter left a row out (e.g. a duplicate 903 episode)
NOT_MAPPED = "not_mapped"  # a value or column that has no place in the contract
NOT_USED = "not_used"  # a whole list or table not used (another source gave that table)


@dataclass(frozen=True)
class AdaptedTable:
    """Rows for one contract table. ``frame``: String columns named as the contract's columns
    (a subset is fine: absent optional columns are blank) plus ``source_row`` (Int64), unique
    within one piece (so rows of one table from two sheets are two pieces, each with its
    ``sheet``)."""

    table: str
    frame: pl.DataFrame
    source_file: Path
    sheet: str | None = None  # the workbook sheet the rows came from, if the file has several

    @property
    def source_name(self) -> str:
        """How staging and the quarantine name the rows' origin: the file, and its sheet."""
        name = self.source_file.name
        return f"{name} [{self.sheet}]" if self.sheet else name


@dataclass(frozen=True)
class AdapterNote:
    """Something the adapter did or could not do, at a place in the source file."""

    source_file: str
    rule: str  # short code, e.g. "903_rule_1", "unknown_header", "excel_formula"
    message: str  # plain English, says what happened and to what
    action: str  # REPAIRED, ROW_DROPPED, NOT_MAPPED, NOT_USED
    source_row: int | None = None  # spreadsheet row or XML line
    location: str | None = None  # e.g. "List 3 (Referrals)" or "/Message/Children/Child[3]/..."
    column: str | None = None  # the source's column or element name
    value: str | None = None


@dataclass(frozen=True)
class ReferenceDate:
    """The date a statutory file describes the council at: its own period end."""

    source_file: str  # the file's name
    date: dt.date
    what: str  # "the workforce census at 30 September 2022"
    told_by: str  # where the date comes from: "ReferenceDate in its header"
    # Read from the file's header or name (True) or inferred from its newest row (False: a single
    # mistyped date could move it, so only a date within a year of the folder's is trusted).
    explicit: bool = True


@dataclass
class Adapted:
    """One format's output for one extract folder."""

    source_format: str  # "annex_a", "cin_census", "ssda903", "csww"
    tables: list[AdaptedTable] = field(default_factory=list)
    notes: list[AdapterNote] = field(default_factory=list)
    reference_date: dt.date | None = None  # the collection's "as at" date, when it has one
    reference_dates: list[ReferenceDate] = field(default_factory=list)  # per file, when known


class Adapter(Protocol):
    """A statutory format. ``claims`` is cheap (name and a peek at the content); ``adapt``
    reads every file it claimed in one extract folder together (a 903 return is several CSVs)
    and raises ``readers.FileLevelError`` (file, column) for a file it cannot use."""

    source_format: str
    label: str  # how outputs name the format ("CIN census XML")

    def claims(self, path: Path) -> bool: ...

    def adapt(self, paths: list[Path], extract_date: dt.date) -> Adapted: ...


def text_frame(rows: list[dict[str, object]], columns: list[str]) -> pl.DataFrame:
    """Rows (each with ``source_row``) as the String frame an ``AdaptedTable`` holds."""
    schema: dict[str, pl.DataType] = {ROW_COLUMN: pl.Int64()}
    schema.update({c: pl.String() for c in columns})
    return pl.DataFrame(rows, schema=schema)
