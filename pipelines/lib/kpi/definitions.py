"""Discover and check KPI definitions: one ``<kpi_id>.yaml`` + one ``<kpi_id>.sql`` per KPI.

YAML fields (all required unless marked optional):

- ``id``: the catalogue id; the file names must match it.
- ``label``: short title for charts; ``description``: plain English, shown under charts.
- ``area``: business area (front_door, assessments, child_protection, children_in_care, missing,
  care_leavers, workforce, other, data_quality); ``notice_areas``: the notice areas it evidences.
- ``kind``: ``flow`` (events in a period), ``snapshot`` (state at the period end) or ``rolling``
  (the 12 months to the period end, whatever the grain).
- ``shape``: what the SQL returns: ``events`` (one row per event: ``event_date``, ``numerator``,
  ``denominator`` and dimensions) or ``as_at`` (given the table ``as_at_dates(as_at_date)``, one
  row per counted unit per date: ``as_at_date``, ``numerator``, ``denominator``, dimensions) or
  ``spans`` (one row per stretch of days in which a unit counts: ``from_date``, ``to_date``
  (the first day it no longer counts; blank: it still does), ``numerator``, ``denominator``,
  dimensions). Optional: ``events`` for flow and rolling, ``as_at`` for snapshot.
- ``unit``: percent, count, rate_per_10k, weeks, days or ratio; ``polarity``: up, down, neutral.
- ``tables``: tables the KPI needs (absent -> "not available"); ``optional_tables`` (optional):
  used when present; ``any_of_tables`` (optional): at least one of them must be present.
- ``requires_columns`` (optional): optional contract columns, as ``table.column``, without which
  the KPI means nothing (absent or blank in every row -> "not available", not 0%).
- ``source``: the DfE/LAIT reference, or ``local`` with the local standard.
- ``assumptions``: choices made where the definition is silent or ambiguous.
- ``dimensions`` (optional): extra columns the SQL returns (``team``); ``parameters`` (optional):
  values the SQL reads with ``getvariable('name')``.
- ``dfe_comparable`` (optional): ``true`` when the KPI counts as the DfE's published statistic
  does, so a DfE benchmark may stand beside it; ``false`` when it differs (no benchmark row may
  exist for it: ``benchmarks.csv``); absent for a local KPI with no DfE counterpart.
  ``dfe_definition`` (required with it): the DfE's definition and where it is published, and how
  this KPI differs.
- ``per_extract`` (optional, default false): the KPI describes the extract itself (rows quarantined,
  orphans), so it has one value, at the latest period end on or before the extract date; its
  weekly series is made of successive extracts' values.
- ``denominator`` (optional): ``sum`` (of the SQL's denominators), ``population`` (the LA's 0-17
  population at the period end) or ``none``. Default by unit: percent, weeks, days and ratio
  ``sum``; rate_per_10k ``population``; count ``none``.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.kpi.required_columns import parse_required_column
from pipelines.lib.paths import PROJECT_ROOT

DEFINITIONS_DIR = PROJECT_ROOT / "kpi_definitions"
KINDS = ("flow", "snapshot", "rolling")
SHAPES = ("events", "as_at", "spans")
UNITS = ("percent", "count", "rate_per_10k", "weeks", "days", "ratio")
POLARITIES = ("up", "down", "neutral")
AREAS = (
    "front_door",
    "assessments",
    "child_protection",
    "children_in_care",
    "missing",
    "care_leavers",
    "workforce",
    "other",
    "data_quality",
)
DIMENSIONS = ("team", "table_name")
DENOMINATORS = ("sum", "population", "none")
DEFAULT_DENOMINATOR = {
    "percent": "sum",
    "weeks": "sum",
    "days": "sum",
    "ratio": "sum",
    "rate_per_10k": "population",
    "count": "none",
}
REQUIRED = ("id", "label", "description", "area", "notice_areas", "kind", "unit", "polarity",
            "tables", "source", "assumptions")  # fmt: skip


class DefinitionError(ValueError):
    """A KPI definition file is wrong; the message names the file and the field."""


@dataclass(frozen=True)
class KpiDefinition:
    id: str
    label: str
    description: str
    area: str
    notice_areas: tuple[str, ...]
    kind: str
    shape: str
    unit: str
    polarity: str
    tables: tuple[str, ...]
    optional_tables: tuple[str, ...]
    source: str
    assumptions: tuple[str, ...]
    dimensions: tuple[str, ...]
    denominator: str = "sum"
    parameters: dict[str, Any] = field(default_factory=dict)
    any_of_tables: tuple[str, ...] = ()
    per_extract: bool = False
    requires_columns: tuple[str, ...] = ()
    dfe_comparable: bool | None = None
    dfe_definition: str = ""
    sql: str = ""
    path: Path | None = None

    @property
    def all_tables(self) -> tuple[str, ...]:
        return self.tables + self.optional_tables + self.any_of_tables


def _list(raw: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = raw.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DefinitionError(f"{path}: '{key}' must be a list of strings")
    return tuple(value)


def _choice(raw: dict[str, Any], key: str, options: tuple[str, ...], path: Path) -> str:
    value = raw.get(key)
    if value not in options:
        raise DefinitionError(f"{path}: '{key}' is {value!r}; expected one of {', '.join(options)}")
    return str(value)


def load_definition(yaml_path: Path) -> KpiDefinition:
    try:
        raw = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{yaml_path}: not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise DefinitionError(f"{yaml_path}: expected a mapping of fields")
    missing = [k for k in REQUIRED if k not in raw]
    if missing:
        raise DefinitionError(f"{yaml_path}: missing field(s) {', '.join(missing)}")
    kpi_id = str(raw["id"])
    if kpi_id != yaml_path.stem:
        raise DefinitionError(f"{yaml_path}: id '{kpi_id}' does not match the file name")
    sql_path = yaml_path.with_suffix(".sql")
    if not sql_path.is_file():
        raise DefinitionError(f"{yaml_path}: no SQL file {sql_path.name} beside it")
    kind = _choice(raw, "kind", KINDS, yaml_path)
    shape = raw.get("shape") or ("as_at" if kind == "snapshot" else "events")
    if shape not in SHAPES:
        raise DefinitionError(f"{yaml_path}: 'shape' is {shape!r}; expected one of {SHAPES}")
    unit = _choice(raw, "unit", UNITS, yaml_path)
    expected_unit = (
        "percent"
        if kpi_id.endswith("_pct")
        else "rate_per_10k"
        if kpi_id.endswith("_per_10k")
        else None
    )
    if expected_unit and unit != expected_unit:
        raise DefinitionError(f"{yaml_path}: an id ending like '{kpi_id}' has unit {expected_unit}")
    tables = _list(raw, "tables", yaml_path)
    optional = _list(raw, "optional_tables", yaml_path)
    any_of = _list(raw, "any_of_tables", yaml_path)
    for table in tables + optional + any_of:
        if table not in TABLES_BY_NAME:
            raise DefinitionError(f"{yaml_path}: table '{table}' is not in the extract contract")
    requires_columns = _list(raw, "requires_columns", yaml_path)
    for entry in requires_columns:
        try:
            table, _ = parse_required_column(entry)
        except ValueError as exc:
            raise DefinitionError(f"{yaml_path}: requires_columns {exc}") from exc
        if table not in tables + optional + any_of:
            raise DefinitionError(
                f"{yaml_path}: requires_columns '{entry}': {table} is not among the KPI's tables"
            )
    dimensions = _list(raw, "dimensions", yaml_path)
    for dim in dimensions:
        if dim not in DIMENSIONS:
            raise DefinitionError(f"{yaml_path}: dimension '{dim}' is not one of {DIMENSIONS}")
    area = _choice(raw, "area", AREAS, yaml_path)
    if yaml_path.parent.name != area:
        raise DefinitionError(
            f"{yaml_path}: area '{area}' but the file is in {yaml_path.parent.name}/"
        )
    denominator = raw.get("denominator") or DEFAULT_DENOMINATOR[unit]
    if denominator not in DENOMINATORS:
        raise DefinitionError(
            f"{yaml_path}: 'denominator' must be one of {', '.join(DENOMINATORS)}"
        )
    parameters = raw.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise DefinitionError(f"{yaml_path}: 'parameters' must be a mapping")
    dfe_comparable = raw.get("dfe_comparable")
    if dfe_comparable is not None and not isinstance(dfe_comparable, bool):
        raise DefinitionError(f"{yaml_path}: 'dfe_comparable' must be true or false")
    dfe_definition = " ".join(str(raw.get("dfe_definition") or "").split())
    if dfe_comparable is not None and not dfe_definition:
        raise DefinitionError(f"{yaml_path}: 'dfe_comparable' needs 'dfe_definition' beside it")
    for text_field in ("label", "description", "source"):
        if not str(raw[text_field]).strip():
            raise DefinitionError(f"{yaml_path}: '{text_field}' is empty")
    return KpiDefinition(
        id=kpi_id,
        label=str(raw["label"]).strip(),
        description=" ".join(str(raw["description"]).split()),
        area=area,
        notice_areas=_list(raw, "notice_areas", yaml_path),
        kind=kind,
        shape=shape,
        unit=unit,
        polarity=_choice(raw, "polarity", POLARITIES, yaml_path),
        tables=tables,
        optional_tables=optional,
        source=" ".join(str(raw["source"]).split()),
        assumptions=_list(raw, "assumptions", yaml_path),
        dimensions=dimensions,
        denominator=str(denominator),
        parameters=dict(parameters),
        any_of_tables=any_of,
        per_extract=bool(raw.get("per_extract", False)),
        requires_columns=requires_columns,
        dfe_comparable=dfe_comparable,
        dfe_definition=dfe_definition,
        sql=sql_path.read_text(encoding="utf-8"),
        path=yaml_path,
    )


def load_definitions(root: Path = DEFINITIONS_DIR) -> list[KpiDefinition]:
    """Every KPI under ``root`` (one folder per area; ``targets/`` is not a KPI folder)."""
    found = [
        load_definition(path)
        for path in sorted(root.glob("*/*.yaml"))
        if path.parent.name not in ("targets", "shared")
    ]
    seen: dict[str, Path] = {}
    for kpi in found:
        if kpi.id in seen:
            raise DefinitionError(
                f"{kpi.path}: KPI id '{kpi.id}' is also defined in {seen[kpi.id]}"
            )
        seen[kpi.id] = kpi.path  # type: ignore[assignment]
    return found
