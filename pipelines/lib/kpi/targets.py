"""Improvement Notice and local-plan targets: ``kpi_definitions/targets/*.yaml``."""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipelines.lib.kpi.definitions import DEFINITIONS_DIR, DefinitionError

TARGETS_DIR = DEFINITIONS_DIR / "targets"
MEASURES = ("in_month", "in_quarter", "cumulative_quarter", "ytd", "rolling_12m", "snapshot")
DIRECTIONS = ("at_least", "at_most")
# Printed beside a plan whose file says ``illustrative: true``.
ILLUSTRATIVE_NOTE = (
    "These targets are illustrative: they were set for the demonstration, not by the notice "
    "(which sets no numeric targets) nor by the council."
)
TOLERANCE_KINDS = ("relative", "absolute")


@dataclass(frozen=True)
class Tolerance:
    """How far on the wrong side of a target a value may be and still be amber: ``relative``
    (a fraction of the target value: 0.10 is within 10% of it) or ``absolute`` (in the KPI's
    unit: percentage points for a percentage)."""

    kind: str
    amount: float

    def band(self, target_value: float) -> float:
        return self.amount * abs(target_value) if self.kind == "relative" else self.amount

    def describe(self) -> str:
        if self.kind == "relative":
            return f"within {self.amount * 100:g}% of the target value"
        return f"within {self.amount:g} of the target value"


# Amber within 10% of the target on the wrong side, unless a plan or a target says otherwise:
# relative, so a value more than double an "at most" target is red whatever its size.
DEFAULT_TOLERANCE = Tolerance("relative", 0.10)


@dataclass(frozen=True)
class Target:
    plan_id: str
    kpi_id: str
    area: str
    value: float | None  # None: resolved per LA (parameter or the LA's own value)
    value_parameter: str | None
    value_from: tuple[str, dt.date] | None  # (grain, period_end) of the LA's own value
    direction: str
    due: dt.date
    measure: str
    baseline_value: float | None
    baseline_date: dt.date | None
    baseline_label: str | None
    tolerance: Tolerance | None  # None: DEFAULT_TOLERANCE
    quote: str
    note: str | None
    quote_parts: tuple[str, ...] = ()  # the passages of the source quoted, in order

    @property
    def target_id(self) -> str:
        return f"{self.plan_id}:{self.kpi_id}:{self.due.isoformat()}"


@dataclass(frozen=True)
class Plan:
    id: str
    title: str
    issued: dt.date
    set_by: str
    areas: dict[str, str]
    targets: tuple[Target, ...]
    path: Path
    # True when the file's numbers only illustrate what a plan might set (the 2022 notice sets
    # none): every output that shows them says so.
    illustrative: bool = False
    # Area -> who contributes to it (services, partners): the adviser report names them where an
    # area gives concern, as the contributions to strengthen (2022 notice, paragraph 5d).
    owners: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DefinitionError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from exc


def _tolerance(raw: Any, where: str) -> Tolerance | None:
    """``{relative: 0.1}`` or ``{absolute: 2}``; a bare number is absolute (in the KPI's unit)."""
    if raw is None:
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return Tolerance("absolute", float(raw))
    if isinstance(raw, dict) and len(raw) == 1:
        ((kind, amount),) = raw.items()
        if kind in TOLERANCE_KINDS and isinstance(amount, int | float) and amount >= 0:
            return Tolerance(str(kind), float(amount))
    raise DefinitionError(
        f"{where}: tolerance must be {{relative: FRACTION}}, {{absolute: AMOUNT}} or a number, "
        f"not {raw!r}"
    )


def _quote_parts(raw: Any, where: str) -> tuple[str, ...]:
    parts = raw if isinstance(raw, list) else [raw]
    cleaned = tuple(" ".join(str(p).split()) for p in parts)
    if not cleaned or not all(cleaned):
        raise DefinitionError(f"{where}: quote must be text or a list of passages")
    return cleaned


def load_plan(path: Path) -> Plan:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise DefinitionError(f"{path}: expected a mapping")
    for key in ("id", "title", "issued", "set_by", "areas", "targets"):
        if key not in raw:
            raise DefinitionError(f"{path}: missing '{key}'")
    if raw["id"] != path.stem:
        raise DefinitionError(f"{path}: id '{raw['id']}' does not match the file name")
    areas = {str(a["id"]): str(a["title"]) for a in raw["areas"]}
    owners = {
        str(a["id"]): _owners(a.get("owners"), f"{path}: area {a['id']}") for a in raw["areas"]
    }
    plan_tolerance = _tolerance(raw.get("tolerance"), f"{path}: tolerance")
    targets = []
    for number, item in enumerate(raw["targets"], start=1):
        where = f"{path}: target {number} ({item.get('kpi_id', '?')})"
        for key in ("kpi_id", "area", "value", "direction", "due", "measure", "quote"):
            if key not in item:
                raise DefinitionError(f"{where}: missing '{key}'")
        if item["area"] not in areas:
            raise DefinitionError(f"{where}: area '{item['area']}' is not one of the file's areas")
        if item["direction"] not in DIRECTIONS:
            raise DefinitionError(f"{where}: direction must be one of {DIRECTIONS}")
        if item["measure"] not in MEASURES:
            raise DefinitionError(f"{where}: measure must be one of {', '.join(MEASURES)}")
        value, parameter, value_from = item["value"], None, None
        if isinstance(value, dict):
            parameter = value.get("parameter")
            source = value.get("else_kpi_value")
            if source:
                value_from = (str(source["grain"]), _date(source["period_end"], where))
            value = None
        elif not isinstance(value, int | float):
            raise DefinitionError(f"{where}: value must be a number or {{parameter: ...}}")
        baseline = item.get("baseline") or {}
        parts = _quote_parts(item["quote"], where)
        targets.append(
            Target(
                plan_id=str(raw["id"]),
                kpi_id=str(item["kpi_id"]),
                area=str(item["area"]),
                value=float(value) if value is not None else None,
                value_parameter=parameter,
                value_from=value_from,
                direction=str(item["direction"]),
                due=_date(item["due"], where),
                measure=str(item["measure"]),
                baseline_value=float(baseline["value"]) if "value" in baseline else None,
                baseline_date=_date(baseline["date"], where) if "date" in baseline else None,
                baseline_label=baseline.get("label"),
                tolerance=_tolerance(item.get("tolerance"), where) or plan_tolerance,
                quote=" ".join(parts),
                note=" ".join(str(item["note"]).split()) if item.get("note") else None,
                quote_parts=parts,
            )
        )
    return Plan(
        id=str(raw["id"]),
        title=str(raw["title"]),
        issued=_date(raw["issued"], str(path)),
        set_by=" ".join(str(raw["set_by"]).split()),
        areas=areas,
        targets=tuple(targets),
        path=path,
        illustrative=bool(raw.get("illustrative", False)),
        owners={area: names for area, names in owners.items() if names},
    )


def _owners(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(o, str) and o.strip() for o in raw):
        raise DefinitionError(f"{where}: owners must be a list of names of services or partners")
    return tuple(" ".join(o.split()) for o in raw)


def load_plans(root: Path = TARGETS_DIR) -> dict[str, Plan]:
    return {p.stem: load_plan(p) for p in sorted(root.glob("*.yaml"))}
