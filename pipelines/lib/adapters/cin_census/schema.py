"""The CIN census XSDs shipped beside the adapter (``schemas/``, with their licence note), and
a file's validation against its collection year's schema."""

import os
from pathlib import Path

from lxml import etree

from pipelines.lib.adapters.cin_census.reading import xml_path

SCHEMA_DIR_ENV = "CSC_CIN_SCHEMA_DIR"  # a folder searched before the shipped one
# CIN_schema_<year>.xsd of the collection years shipped (liia-tools-pipeline; see NOTICE.md).
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMA_ERROR = "cin_schema"  # rule of a note for an XSD validation error


def schema_path(year: int) -> Path | None:
    """The XSD for a collection year, if one is available here."""
    dirs = [Path(os.environ[SCHEMA_DIR_ENV])] if os.environ.get(SCHEMA_DIR_ENV) else []
    dirs.append(SCHEMA_DIR)
    for folder in dirs:
        candidate = folder / f"CIN_schema_{year}.xsd"
        if candidate.is_file():
            return candidate
    return None


def schema_errors(doc: etree._ElementTree, year: int | None) -> list[tuple[int, str, str]] | None:
    """(line, XML path, message) of every XSD error, or None when no XSD is available."""
    path = schema_path(year) if year else None
    if path is None:
        return None
    schema = etree.XMLSchema(etree.parse(str(path)))
    if schema.validate(doc):
        return []
    out = []
    for error in schema.error_log:
        # lxml's path leaves out [1] on an only child; give every path the adapter's form.
        found = doc.xpath(error.path) if error.path else []
        where = xml_path(found[0]) if found and isinstance(found[0], etree._Element) else error.path
        out.append((error.line, where, error.message))
    return out
