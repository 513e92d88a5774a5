"""The SSDA903 format as data (``spec.yaml``), read once, in the shapes the adapter uses.

``SIGNATURES`` and ``NAMES`` recognise a table by its columns or its file name; ``PROVIDES`` is
what the return fills in each contract table and ``LIMITS`` what it cannot (read by
``availability`` to say which KPIs a 903 can compute); the rest are the codes and element names
the reading and the mapping turn on.
"""

from pathlib import Path

from pipelines.lib.adapters import format_spec
from pipelines.lib.contract import TABLES_BY_NAME

_SPEC = format_spec.load(Path(__file__).with_name("spec.yaml"))

SOURCE_FORMAT = "ssda903"
XML_ROOT = "EXPSSDA903"

SIGNATURES: dict[str, tuple[str, ...]] = {
    table: tuple(columns) for table, columns in _SPEC["signatures"].items()
}
NAMES: dict[str, str] = _SPEC["names"]
UNUSED_TABLES: dict[str, str] = _SPEC["unused_tables"]
PROVIDES = format_spec.provides(_SPEC["provides"])
LIMITS: dict[str, str] = _SPEC["limits"]

ROLE: str = _SPEC["role"]
PLACEMENT_CHANGE: frozenset[str] = frozenset(_SPEC["placement_change"])
LEGAL_CHANGE: frozenset[str] = frozenset(_SPEC["legal_change"])
LIIA_MARKERS: frozenset[str] = frozenset(_SPEC["liia_markers"])

XML_GROUPS: dict[str, str] = _SPEC["xml_groups"]
XML_RENAME: dict[str, str] = _SPEC["xml_rename"]
XML_UNUSED: dict[str, str] = _SPEC["xml_unused"]
HEADER_FIELDS: set[str] = set(_SPEC["header_fields"])
OC3_FIELDS: set[str] = set(_SPEC["oc3_fields"])
UASC_FIELDS: set[str] = set(_SPEC["uasc_fields"])
OC2_CHECKS: dict[str, str] = _SPEC["oc2_checks"]
UASC_STATUS: str = _SPEC["uasc_status"]

NOUNS: dict[str, str] = _SPEC["nouns"]

# The columns each table's frame carries: exactly what PROVIDES declares, in contract order.
COLUMNS: dict[str, list[str]] = {
    table: [c for c in TABLES_BY_NAME[table].column_names if c in columns]
    for table, columns in PROVIDES.items()
}
