"""A statutory format's spec as data: the ``spec.yaml`` beside an adapter's code.

What a format is (which contract columns it fills, what it cannot give, its lists, headers and
code labels) is data a reader can check against the format's own guidance without reading
code; the adapter's modules read it once, through ``load``, at import.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml


def load(path: Path) -> dict[str, Any]:
    """The spec file's top-level mapping."""
    with path.open(encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    if not isinstance(spec, dict):
        raise ValueError(f"{path}: a format spec must be a mapping")
    return spec


def provides(columns_by_table: Mapping[str, list[str]]) -> dict[str, frozenset[str]]:
    """``provides:`` (table -> the contract columns the format fills) as frozen sets, the shape
    ``availability`` reads from every adapter."""
    return {table: frozenset(columns) for table, columns in columns_by_table.items()}
