"""The Annex A format as data (``spec.yaml``), read once, in the shapes the adapter uses."""

import re
from pathlib import Path

from pipelines.lib.adapters import format_spec

_SPEC = format_spec.load(Path(__file__).with_name("spec.yaml"))
_LISTS: dict[int, dict] = _SPEC["lists"]

PROVIDES = format_spec.provides(_SPEC["provides"])
NOT_AVAILABLE: dict[str, str] = _SPEC["not_available"]
LIMITS: dict[str, str] = _SPEC["limits"]

LIST_TITLES: dict[int, str] = {n: spec["title"] for n, spec in _LISTS.items()}
NOT_USED_LISTS: dict[int, str] = {n: s["not_used"] for n, s in _LISTS.items() if "not_used" in s}
KEY_FIELDS: dict[int, str] = {n: s["key_field"] for n, s in _LISTS.items() if "key_field" in s}
COMMON_FIELDS: tuple[tuple[str, str], ...] = tuple(map(tuple, _SPEC["common_fields"]))
LIST_FIELDS: dict[int, tuple[tuple[str, str], ...]] = {
    n: tuple(map(tuple, spec["fields"])) for n, spec in _LISTS.items()
}
# Checked from List 11 down: a later list's signature is more specific than an earlier one's.
SIGNATURES: tuple[tuple[int, str], ...] = tuple(
    (n, _LISTS[n]["signature"]) for n in sorted(_LISTS, reverse=True)
)
ADOPTER_ID: str = _LISTS[11]["signature"]
IGNORED = re.compile("|".join(_SPEC["ignored_headers"]))
IDENTIFIERS = re.compile("|".join(_SPEC["identifier_headers"]))

YES = frozenset(_SPEC["answers"]["yes"])
NO = frozenset(_SPEC["answers"]["no"])
UNKNOWN = frozenset(_SPEC["answers"]["unknown"])
SOURCE_LABELS: dict[str, str] = _SPEC["source_labels"]
SEX_LABELS: dict[str, str] = _SPEC["sex_labels"]
ELIGIBILITY: tuple[tuple[str, str], ...] = tuple(map(tuple, _SPEC["eligibility"]))
SUITABILITY: dict[str, str] = _SPEC["accommodation_suitability"]
NO_ADVISER = frozenset(_SPEC["no_adviser"])
