"""Every third-party package the code imports is declared in pyproject.toml: the pipeline's in
``dependencies`` (what a council installs), the tests' and benchmarks' there or in the ``dev``
extra. A package that arrives only as another's dependency (lxml came with python-docx) could
disappear with a version bump of that other package."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from pipelines.lib.paths import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# The repository's own top-level packages (pipelines, tests, bench...).
FIRST_PARTY = {p.parent.name for p in PROJECT_ROOT.glob("*/__init__.py")}


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(*groups: list[str]) -> set[str]:
    """Distribution names of requirement strings (``lxml==6.1.3`` -> ``lxml``)."""
    names = set()
    for group in groups:
        for requirement in group:
            found = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
            assert found, requirement
            names.add(_normalised(found.group(0)))
    return names


def _imported(folders: list[str]) -> dict[str, str]:
    """Top-level module -> one file that imports it, for every non-standard, non-local import
    (nested imports included: the CLI imports some packages inside its commands)."""
    found: dict[str, str] = {}
    for folder in folders:
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if top in sys.stdlib_module_names or top in FIRST_PARTY:
                        continue
                    found.setdefault(top, str(path.relative_to(PROJECT_ROOT)))
    return found


def _undeclared(folders: list[str], declared: set[str]) -> list[str]:
    distributions = packages_distributions()
    missing = []
    for module, where in sorted(_imported(folders).items()):
        names = {_normalised(d) for d in distributions.get(module, [module])}
        if not names & declared:
            missing.append(f"{module} (imported in {where}; installed as {sorted(names)})")
    return missing


def _shipped_packages() -> list[str]:
    """The top-level folders the wheel ships (``[tool.setuptools.packages.find] include``)."""
    patterns = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted(p for p in FIRST_PARTY if any(Path(p).match(pattern) for pattern in patterns))


def test_the_pipeline_declares_every_package_it_imports() -> None:
    shipped = _shipped_packages()
    assert "pipelines" in shipped
    declared = _declared(PYPROJECT["project"]["dependencies"])
    assert _undeclared(shipped, declared) == []


def test_tests_and_benchmarks_declare_every_package_they_import() -> None:
    project = PYPROJECT["project"]
    declared = _declared(project["dependencies"], project["optional-dependencies"]["dev"])
    assert _undeclared(["tests", "bench"], declared) == []


def test_an_undeclared_import_is_caught() -> None:
    # The check itself: lxml without lxml in the list is reported, with the file importing it.
    missing = _undeclared(["pipelines"], _declared(["polars==2.1.0"]))
    assert any(m.startswith("lxml (imported in pipelines/") for m in missing), missing
