"""The CIN census adapter: which files it claims, and each file parsed, checked against its
year's XSD and mapped to contract tables."""

import datetime as dt
import re
from pathlib import Path

import polars as pl

from pipelines.lib.adapters.base import (
    NOT_MAPPED,
    NOT_USED,
    Adapted,
    AdaptedTable,
    AdapterNote,
    ReferenceDate,
    text_frame,
)
from pipelines.lib.adapters.cin_census.mapping import CensusFile
from pipelines.lib.adapters.cin_census.reading import (
    collection_year,
    kid,
    kids,
    parse_census,
    reference_date,
)
from pipelines.lib.adapters.cin_census.schema import SCHEMA_ERROR, schema_errors
from pipelines.lib.adapters.cin_census.spec import SOURCE_FORMAT, TABLE_COLUMNS
from pipelines.lib.adapters.reference_dates import long_date


def adapt_file(path: Path) -> tuple[list[AdaptedTable], list[AdapterNote], dt.date | None]:
    """One census file's rows for every table, its notes and its reference date."""
    doc = parse_census(path)
    root = doc.getroot()
    out = CensusFile(path)
    year = collection_year(root)
    errors = schema_errors(doc, year)
    if errors is None:
        out.note(
            root,
            "cin_schema_unavailable",
            f"no CIN census XSD for collection year {year} is available: the file was read "
            "without schema validation",
            NOT_USED,
        )
    for line, xml_path, message in errors or []:
        out.notes.append(
            AdapterNote(
                source_file=path.name,
                rule=SCHEMA_ERROR,
                message=f"does not match the {year} CIN census schema: {message}",
                action=NOT_MAPPED,
                source_row=line,
                location=xml_path,
            )
        )
    for child in kids(kid(root, "children"), "child"):
        out.child(child)
    out.unmapped_notes(root)
    tables = [
        AdaptedTable(table=t, frame=text_frame(out.rows[t], cols), source_file=path)
        for t, cols in TABLE_COLUMNS.items()
    ]
    return tables, out.notes, reference_date(root)


class CinCensusAdapter:
    """CIN census XML files (any schema year 2017-2026)."""

    source_format = SOURCE_FORMAT
    label = "CIN census XML"  # how outputs name the format

    def claims(self, path: Path) -> bool:
        """An ``.xml`` file whose start looks like a CIN census: a ``<Message>`` with
        collection ``CIN`` or with ``CINdetails`` (the workforce census is also a Message)."""
        if path.suffix.lower() != ".xml" or not path.is_file():
            return False
        with path.open("rb") as handle:
            head = handle.read(16384).decode("utf-8", errors="ignore").lower()
        head = re.sub(r"\s+", "", head)
        if "<message" not in head:
            return False
        return "<collection>cin</collection>" in head or "<cindetails" in head

    def adapt(self, paths: list[Path], extract_date: dt.date) -> Adapted:
        """Every claimed census file of one extract folder; a file that is not well-formed XML
        raises ``FileLevelError``. ``extract_date`` is not needed: the census's dates are kept
        as they are (staging checks them against the extract date)."""
        result = Adapted(source_format=SOURCE_FORMAT)
        for path in paths:
            tables, notes, ref = adapt_file(path)
            result.tables.extend(tables)
            result.notes.extend(notes)
            if ref and (result.reference_date is None or ref > result.reference_date):
                result.reference_date = ref
            if ref:
                result.reference_dates.append(
                    ReferenceDate(
                        path.name,
                        ref,
                        f"the CIN census at {long_date(ref)}",
                        "ReferenceDate in its header",
                    )
                )
        return result


ADAPTER = CinCensusAdapter()


def frames_by_table(adapted: Adapted) -> dict[str, pl.DataFrame]:
    """All files' rows of each table stacked (the source file is dropped): for inspection and
    tests."""
    out: dict[str, list[pl.DataFrame]] = {}
    for piece in adapted.tables:
        out.setdefault(piece.table, []).append(piece.frame)
    return {t: pl.concat(frames) for t, frames in out.items()}
