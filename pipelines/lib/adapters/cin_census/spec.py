"""The CIN census as data (``spec.yaml``), read once, in the shapes the adapter uses: what it
gives each contract table, what it cannot, and its codes."""

from pathlib import Path

from pipelines.lib.adapters import format_spec

_SPEC = format_spec.load(Path(__file__).with_name("spec.yaml"))

SOURCE_FORMAT = "cin_census"

LIMITS: dict[str, str] = _SPEC["limits"]
TABLE_COLUMNS: dict[str, list[str]] = _SPEC["columns"]
# What the census fills: exactly the columns its rows carry.
PROVIDES = format_spec.provides(TABLE_COLUMNS)

SEX_CODES: dict[str, str] = _SPEC["sex_codes"]
TRUE_VALUES: frozenset[str] = frozenset(_SPEC["true_values"])
FALSE_VALUES: frozenset[str] = frozenset(_SPEC["false_values"])
REPEATED: frozenset[str] = frozenset(_SPEC["repeated"])
UNMAPPED_PARTS: dict[str, str] = _SPEC["unmapped_parts"]
