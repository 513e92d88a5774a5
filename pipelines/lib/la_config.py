"""Per-LA configuration: ``<inbox>/<la_code>/la.yaml`` (extract-contract.md)."""

import datetime as dt
import functools
import reprlib
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


# la.yaml is a page of settings. Bounds checked before anything is built from it, so that a file
# of hundreds of megabytes, or a "billion laughs" of nested aliases (a few lines that expand to
# billions of values), is refused in milliseconds instead of taking minutes and gigabytes.
MAX_BYTES = 1_000_000
MAX_ALIASES = 100
MAX_NODES = 100_000  # values after every alias is expanded
EXCERPT = 80  # the most of a value a message quotes

_EXCERPT = reprlib.Repr()
_EXCERPT.maxlevel, _EXCERPT.maxdict, _EXCERPT.maxlist = 2, 3, 3
_EXCERPT.maxstring = _EXCERPT.maxother = EXCERPT


def excerpt(value: Any) -> str:
    """A short quotation of a value for a message: never the whole of a large structure."""
    text = _EXCERPT.repr(value)
    return text if len(text) <= EXCERPT else text[: EXCERPT - 3] + "..."


def kind(value: Any) -> str:
    """What a YAML value is, in words."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else "text"


class _CountingLoader(yaml.SafeLoader):
    """The safe loader, refusing more than ``MAX_ALIASES`` aliases as it composes."""

    aliases = 0
    source = Path("la.yaml")

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise ConfigError(
                    f"{self.source}: more than {MAX_ALIASES} aliases (*name); an la.yaml may "
                    f"use at most {MAX_ALIASES}"
                )
        return super().compose_node(parent, index)  # type: ignore[no-any-return]


def _expanded_size(node: yaml.Node, path: Path) -> int:
    """How many values ``node`` holds with every alias expanded (a shared node counts each time
    it is referred to), computed over the shared graph without expanding it."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(n: yaml.Node) -> int:
        if id(n) in sizes:
            return sizes[id(n)]
        if id(n) in open_nodes:
            raise ConfigError(f"{path}: an alias refers to a value that contains it")
        open_nodes.add(id(n))
        if isinstance(n, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in n.value)
        elif isinstance(n, yaml.SequenceNode):
            total = 1 + sum(size(v) for v in n.value)
        else:
            total = 1
        open_nodes.discard(id(n))
        sizes[id(n)] = min(total, MAX_NODES + 1)
        return sizes[id(n)]

    return size(node)


def parse_bounded_yaml(path: Path) -> Any:
    """Another small YAML file an analyst writes (adviser commentary), within la.yaml's bounds:
    size, aliases and their expansion, no ``!!python`` tags."""
    return _parse(path)


def _parse(path: Path) -> Any:
    """The YAML of ``path``, within the bounds above; ``!!python`` tags are refused (safe)."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ConfigError(
            f"{path}: {size:,} bytes, more than an la.yaml may be ({MAX_BYTES:,}); not read"
        )
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:  # grew while being read
        raise ConfigError(f"{path}: more than {MAX_BYTES:,} bytes; not read")
    try:
        text = data.decode("utf-8-sig")
        loader = _CountingLoader(text)
        loader.source = path
        try:
            root = loader.get_single_node()
            if root is None:
                return {}
            if _expanded_size(root, path) > MAX_NODES:
                raise ConfigError(
                    f"{path}: its aliases expand to more than {MAX_NODES:,} values; not read"
                )
            return loader.construct_document(root)
        finally:
            loader.dispose()
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        reason = str(exc)
        if len(reason) > 300:
            reason = reason[:297] + "..."
        raise ConfigError(f"{path}: not valid YAML ({reason})") from exc


def _text(value: Any, where: str, path: Path) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{path}: {where} must be text, got {kind(value)}")
    return value


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
        raise ConfigError(f"{path}: '{key}' must be a mapping (key: value), got {kind(raw)}")
    return raw


def _text_mapping(raw: Any, key: str, path: Path) -> dict[str, str]:
    """A mapping of codes to text: keys may be numbers (a team code 12), values must be text."""
    return {
        str(k).strip(): _text(v, f"{key}: {excerpt(k)}", path).strip()
        for k, v in _mapping(raw, key, path).items()
    }


def load_la_config(la_dir: Path) -> LAConfig:
    """Read and check ``la.yaml`` in an LA's inbox folder. Parsed once per version of the file
    (the command line and the Dagster run that follows read it in one process)."""
    path = la_dir / "la.yaml"
    if not path.is_file():
        raise ConfigError(
            f"{path}: missing. Every LA folder in the inbox needs an la.yaml beside its extract "
            "folders (la_name, population_0_17, roles, service_areas, targets)."
        )
    stat = path.stat()
    outcome = _load_version(la_dir, stat.st_ino, stat.st_size, stat.st_mtime_ns)
    if isinstance(outcome, ConfigError):
        raise ConfigError(str(outcome))
    return outcome


@functools.lru_cache(maxsize=64)
def _load_version(la_dir: Path, inode: int, size: int, mtime_ns: int) -> LAConfig | ConfigError:
    try:
        return _load(la_dir)
    except ConfigError as exc:
        return exc


def _load(la_dir: Path) -> LAConfig:
    path = la_dir / "la.yaml"
    raw = _parse(path) or {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, got {kind(raw)}")
    la_name = raw.get("la_name")
    if la_name is None or la_name == "":
        raise ConfigError(f"{path}: 'la_name' is required (the council's name)")
    la_name = _text(la_name, "'la_name'", path)

    population: dict[int, int] = {}
    for year, value in _mapping(raw.get("population_0_17"), "population_0_17", path).items():
        try:
            population[int(year)] = int(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(
                f"{path}: population_0_17 entry {excerpt(year)}: {excerpt(value)} must be a "
                "whole number keyed by year"
            ) from exc
        if population[int(year)] <= 0:
            raise ConfigError(f"{path}: population_0_17 entry {year}: must be positive")

    roles = {
        k.upper(): v.upper() for k, v in _text_mapping(raw.get("roles"), "roles", path).items()
    }
    for code, role in roles.items():
        if role not in ROLE_VALUES:
            raise ConfigError(
                f"{path}: roles: {excerpt(code)}: {excerpt(role)} must be one of "
                f"{', '.join(ROLE_VALUES)}"
            )

    areas = _text_mapping(raw.get("service_areas"), "service_areas", path)
    for team, area in areas.items():
        if area not in SERVICE_AREAS:
            raise ConfigError(
                f"{path}: service_areas: {excerpt(team)}: {excerpt(area)} must be one of "
                f"{', '.join(SERVICE_AREAS)}"
            )

    targets = raw.get("targets") or []
    if isinstance(targets, str):
        targets = [targets]
    if not isinstance(targets, list):
        raise ConfigError(f"{path}: 'targets' must be a list of target file names")
    targets = [_text(t, "'targets' entries", path) for t in targets]

    parameters: dict[str, float] = {}
    for key, value in _mapping(raw.get("target_parameters"), "target_parameters", path).items():
        try:
            parameters[str(key)] = float(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(
                f"{path}: target_parameters: {excerpt(key)}: {excerpt(value)} must be a number"
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
            raise ConfigError(
                f"{path}: spc_changes: {excerpt(key)}: dates must be YYYY-MM-DD"
            ) from exc

    history_start = raw.get("history_start")
    if history_start is not None and not isinstance(history_start, dt.date):
        try:
            history_start = dt.date.fromisoformat(str(history_start))
        except ValueError as exc:
            raise ConfigError(
                f"{path}: history_start: {excerpt(history_start)} is not YYYY-MM-DD"
            ) from exc

    benchmark_areas = _text_mapping(raw.get("benchmarks"), "benchmarks", path)
    for key in benchmark_areas:
        if key not in BENCHMARK_KINDS:
            raise ConfigError(
                f"{path}: benchmarks: {excerpt(key)} must be one of {', '.join(BENCHMARK_KINDS)}"
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
