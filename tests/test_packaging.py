"""Every file the pipeline reads beside its modules (an adapter's spec.yaml, the CIN census
XSDs and their licence note) ships with the package: ``[tool.setuptools.package-data]`` in
pyproject.toml names it, or an installed wheel would lack it."""

import fnmatch
import tomllib

from pipelines.lib.paths import PROJECT_ROOT

PIPELINES = PROJECT_ROOT / "pipelines"


def _package_data() -> dict[str, list[str]]:
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-data"]


def _ships(relative: str, package_data: dict[str, list[str]]) -> bool:
    """Whether a file (path from the repository root) matches a pattern of its package, or of
    ``"*"`` (every package); patterns are relative to the package's folder."""
    parts = relative.split("/")
    for depth in range(len(parts) - 1, 0, -1):
        package, inside = ".".join(parts[:depth]), "/".join(parts[depth:])
        if not (PROJECT_ROOT.joinpath(*parts[:depth]) / "__init__.py").is_file():
            continue
        patterns = package_data.get(package, []) + package_data.get("*", [])
        if any(fnmatch.fnmatch(inside, p) for p in patterns):
            return True
    return False


def test_every_data_file_beside_the_code_ships() -> None:
    package_data = _package_data()
    files = [
        p.relative_to(PROJECT_ROOT).as_posix()
        for p in PIPELINES.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert "pipelines/lib/adapters/cin_census/schemas/CIN_schema_2025.xsd" in files
    missing = [f for f in files if not _ships(f, package_data)]
    assert missing == [], "add them to [tool.setuptools.package-data] in pyproject.toml"


def test_a_file_no_pattern_names_is_caught() -> None:
    package_data = {"pipelines.lib.adapters.cin_census": ["schemas/*.xsd"]}
    assert _ships("pipelines/lib/adapters/cin_census/schemas/CIN_schema_2025.xsd", package_data)
    assert not _ships("pipelines/lib/adapters/cin_census/schemas/NOTICE.md", package_data)
    assert not _ships("pipelines/lib/adapters/ssda903/spec.yaml", package_data)
    assert _ships("pipelines/lib/adapters/ssda903/spec.yaml", {"*": ["spec.yaml"]})
