"""The extract contract as data: every table, column, type and code set the ingest accepts.

This mirrors ``extract-contract.md``. One place declares it; the readers, the staging step,
the synthetic generator and the tests all read it from here: ``model`` (a table, a column,
direct identifiers), ``codes`` (code sets), ``ssd_tables`` and ``extension_tables`` (the
tables).
"""

from pipelines.lib.contract.codes import ABUSE_CATEGORY_MAP
from pipelines.lib.contract.extension_tables import EXTENSION_TABLES
from pipelines.lib.contract.model import Column, Table, is_direct_identifier
from pipelines.lib.contract.ssd_tables import SSD_TABLES

__all__ = [
    "ABUSE_CATEGORY_MAP",
    "FILE_SUFFIXES",
    "LINEAGE_COLUMNS",
    "TABLES",
    "TABLES_BY_NAME",
    "Column",
    "Table",
    "is_direct_identifier",
]

TABLES: tuple[Table, ...] = (*SSD_TABLES, *EXTENSION_TABLES)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

# Lineage columns added to every raw and staging row.
LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("la_code", "VARCHAR"),
    ("extract_date", "DATE"),
    ("source_file", "VARCHAR"),
    ("file_sha256", "VARCHAR"),
    ("source_row", "BIGINT"),
)

FILE_SUFFIXES = (".csv", ".parquet", ".xlsx")
