"""Per-LA configuration: ``<inbox>/<la_code>/la.yaml`` (extract-contract.md)."""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROLE_VALUES = ("ALLOCATED_SOCIAL_WORKER", "PERSONAL_ADVISER")
SERVICE_AREAS = (
    "front_door",
    "assessment",
    "fieldwork",
    "children_in_care",
    "care_leavers",
    "disability",
    "other",
)


# Which published figures to show beside the LA's (area codes of kpi_definitions/benchmarks.csv).
BENCHMARK_KINDS = ("local_authority", "statistical_neighbours")


class ConfigError(ValueError):
    """A configuration file is missing or wrong; the message names the file and the key."""


@dataclass(frozen=True)
class LAConfig:
    la_code: str
    la_name: str
    population_0_17: dict[int, int] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    service_areas: dict[str, str] = field(default_factory=dict)
    targets: tuple[str, ...] = ()
    target_parameters: dict[str, float] = field(default_factory=dict)
    history_start: dt.date | None = None
    benchmark_areas: dict[str, str] = field(default_factory=dict)
    spc_changes: dict[str, tuple[dt.date, ...]] = field(default_factory=dict)
    source: Path | None = None

    def population_at(self, day: dt.date) -> int | None:
        """The DfE pairing: the latest estimate whose 30 June is on or before ``day``,
        else the earliest one given; None when the LA gave no population."""
        if not self.population_0_17:
            return None
        years = sorted(self.population_0_17)
        usable = [y for y in years if dt.date(y, 6, 30) <= day]
        return self.population_0_17[usable[-1] if usable else years[0]]


def _mapping(raw: Any, key: str, path: Path) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{path}: '{key}' must be a mapping (key: value), got {type(raw).__name__}"
        )
    return raw


def load_la_config(la_dir: Path) -> LAConfig:
    """Read and check ``la.yaml`` in an LA's inbox folder."""
    path = la_dir / "la.yaml"
    if not path.is_file():
        raise ConfigError(
            f"{path}: missing. Every LA folder in the inbox needs an la.yaml beside its extract "
            "folders (la_name, population_0_17, roles, service_areas, targets)."
        )
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, got {type(raw).__name__}")
    la_name = raw.get("la_name")
    if not la_name or not isinstance(la_name, str):
        raise ConfigError(f"{path}: 'la_name' is required (the council's name)")

    population: dict[int, int] = {}
    for year, value in _mapping(raw.get("population_0_17"), "population_0_17", path).items():
        try:
            population[int(year)] = int(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(
                f"{path}: population_0_17 entry {year!r}: {value!r} must be a whole number "
                "keyed by year"
            ) from exc
        if population[int(year)] <= 0:
            raise ConfigError(f"{path}: population_0_17 entry {year}: must be positive")

    roles = {
        str(k).strip().upper(): str(v).strip().upper()
        for k, v in _mapping(raw.get("roles"), "roles", path).items()
    }
    for code, role in roles.items():
        if role not in ROLE_VALUES:
            raise ConfigError(
                f"{path}: roles: {code}: '{role}' must be one of {', '.join(ROLE_VALUES)}"
            )

    areas = {
        str(k).strip(): str(v).strip()
        for k, v in _mapping(raw.get("service_areas"), "service_areas", path).items()
    }
    for team, area in areas.items():
        if area not in SERVICE_AREAS:
            raise ConfigError(
                f"{path}: service_areas: {team}: '{area}' must be one of {', '.join(SERVICE_AREAS)}"
            )

    targets = raw.get("targets") or []
    if isinstance(targets, str):
        targets = [targets]
    if not isinstance(targets, list):
        raise ConfigError(f"{path}: 'targets' must be a list of target file names")

    parameters: dict[str, float] = {}
    for key, value in _mapping(raw.get("target_parameters"), "target_parameters", path).items():
        try:
            parameters[str(key)] = float(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(
                f"{path}: target_parameters: {key}: {value!r} must be a number"
            ) from exc

    # Known changes (a new MASH system, a restructure) after which SPC limits are recalculated:
    # {kpi_id: [dates]}, or "all" for every KPI.
    spc_changes: dict[str, tuple[dt.date, ...]] = {}
    for key, dates in _mapping(raw.get("spc_changes"), "spc_changes", path).items():
        values = dates if isinstance(dates, list) else [dates]
        try:
            spc_changes[str(key)] = tuple(
                sorted(
                    d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)) for d in values
                )
            )
        except ValueError as exc:
            raise ConfigError(f"{path}: spc_changes: {key}: dates must be YYYY-MM-DD") from exc

    history_start = raw.get("history_start")
    if history_start is not None and not isinstance(history_start, dt.date):
        try:
            history_start = dt.date.fromisoformat(str(history_start))
        except ValueError as exc:
            raise ConfigError(
                f"{path}: history_start: {history_start!r} is not YYYY-MM-DD"
            ) from exc

    benchmark_areas = {
        str(k): str(v) for k, v in _mapping(raw.get("benchmarks"), "benchmarks", path).items()
    }
    for key in benchmark_areas:
        if key not in BENCHMARK_KINDS:
            raise ConfigError(
                f"{path}: benchmarks: '{key}' must be one of {', '.join(BENCHMARK_KINDS)}"
            )

    return LAConfig(
        la_code=la_dir.name,
        la_name=la_name,
        population_0_17=population,
        roles=roles,
        service_areas=areas,
        targets=tuple(str(t) for t in targets),
        target_parameters=parameters,
        history_start=history_start,
        benchmark_areas=benchmark_areas,
        spc_changes=spc_changes,
        source=path,
    )
