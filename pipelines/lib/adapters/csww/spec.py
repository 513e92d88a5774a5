"""The CSWW format as data (``spec.yaml``), read once, in the shapes the adapter uses."""

from pathlib import Path

from pipelines.lib.adapters import format_spec

_SPEC = format_spec.load(Path(__file__).with_name("spec.yaml"))
_ELEMENTS: dict[str, list[str]] = _SPEC["elements"]

PROVIDES = format_spec.provides(_SPEC["provides"])
LIMITS: dict[str, str] = _SPEC["limits"]
LEAVING_REASONS: dict[str, str] = _SPEC["leaving_reasons"]
ORG_ROLE_TITLES: dict[str, str] = _SPEC["org_role_titles"]

WORKER_ELEMENTS = frozenset(_ELEMENTS["worker"])
VACANCY_ELEMENTS = frozenset(_ELEMENTS["vacancies"])
REGISTRATION_ELEMENTS: tuple[str, ...] = tuple(_ELEMENTS["registration"])
AGENCY_ELEMENTS: tuple[str, ...] = tuple(_ELEMENTS["agency"])
USED_WORKER_ELEMENTS = frozenset(
    {*REGISTRATION_ELEMENTS, *AGENCY_ELEMENTS, *_ELEMENTS["worker_read"]}
)
