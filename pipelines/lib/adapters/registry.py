"""The statutory formats the pipeline reads: one adapter package each (``annex_a/``,
``cin_census/``, ``ssda903/``, ``csww/``: the format as data in ``spec.yaml``, reading, repairs,
mapping to the contract tables). Adding a format is a package beside them with an ``ADAPTER``
(``base.Adapter``) and its ``PROVIDES`` / ``LIMITS`` / ``NOT_AVAILABLE``, and one line in
``PACKAGES`` below: dispatch, the source-column record and ``SOURCES.md`` all read it from here.
"""

from types import ModuleType

from pipelines.lib.adapters import annex_a, cin_census, csww, ssda903
from pipelines.lib.adapters.base import Adapter

# Most detailed first: the order a table's source is chosen in when two formats give it.
PACKAGES: tuple[ModuleType, ...] = (cin_census, ssda903, annex_a, csww)
ADAPTERS: tuple[Adapter, ...] = tuple(p.ADAPTER for p in PACKAGES)
SOURCE_MODULES: dict[str, ModuleType] = {p.ADAPTER.source_format: p for p in PACKAGES}
FORMAT_LABELS: dict[str, str] = {
    "ssd": "SSD extract",
    **{p.ADAPTER.source_format: p.ADAPTER.label for p in PACKAGES},
}
