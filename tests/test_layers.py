"""The layers meet only through the warehouse: a test walks every module's imports (issue 16).

- ``pipelines/lib`` never imports Dagster (the wiring lives in ``pipelines/defs``);
- the KPI engine (``lib/kpi``) imports no adapter, ingest or publishing module: what it needs to
  know of a statutory return, ingest recorded in ``meta.source_columns``;
- adapters import nothing of the KPIs;
- publishing reads SPC from the engine's tables and takes no function of ``kpi/spc.py`` or
  ``kpi/spc_weeks.py`` (constants only, such as a threshold its sentences name).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "pipelines" / "lib"

# (package, prefixes of modules it must not import)
RULES = (
    ("pipelines/lib", ("dagster",)),
    (
        "pipelines/lib/kpi",
        ("pipelines.lib.adapters", "pipelines.lib.ingest", "pipelines.lib.publish"),
    ),
    ("pipelines/lib/adapters", ("pipelines.lib.kpi",)),
)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function (``from a import b``
    gives ``a`` and ``a.b``, since ``b`` may be a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _breaks(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize(("package", "forbidden"), RULES, ids=[r[0] for r in RULES])
def test_layer_imports(package: str, forbidden: tuple[str, ...]) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, package
    wrong = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in files
        for module in sorted(imported_modules(path))
        if _breaks(module, forbidden)
    ]
    assert not wrong, "\n".join(wrong)


def test_the_walk_finds_imports_inside_functions(tmp_path: Path) -> None:
    # The check must not pass by missing imports: cli-style imports inside functions count.
    source = tmp_path / "m.py"
    source.write_text(
        "import os\n"
        "from pipelines.lib import ingest\n"
        "def f():\n"
        "    from pipelines.lib.adapters.dispatch import FORMAT_LABELS\n"
        "    import dagster as dg\n"
    )
    found = imported_modules(source)
    assert _breaks("pipelines.lib.ingest", ("pipelines.lib.ingest",))
    assert {"os", "pipelines.lib.ingest", "pipelines.lib.adapters.dispatch", "dagster"} <= found
    assert not _breaks("pipelines.lib.ingestion_notes", ("pipelines.lib.ingest",))


# The engine stores SPC (kpi.kpi_spc, kpi_spc_restated, kpi_spc_weeks); publishing reads it.
SPC_MODULES = ("pipelines.lib.kpi.spc", "pipelines.lib.kpi.spc_weeks")


def spc_imports(path: Path) -> list[str]:
    """What a file takes from the SPC modules other than constants (UPPER_CASE names such as
    the thresholds its sentences name)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if _breaks(a.name, SPC_MODULES)]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if f"{node.module}.{alias.name}" in SPC_MODULES or (
                    node.module in SPC_MODULES and not alias.name.isupper()
                ):
                    found.append(f"{node.module}.{alias.name}")
    return found


def test_publishing_never_computes_spc(tmp_path: Path) -> None:
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((LIB / "publish").rglob("*.py"))
        for name in spc_imports(path)
    ]
    assert not wrong, "\n".join(wrong)
    # The check catches each way of reaching the computation.
    source = tmp_path / "m.py"
    source.write_text(
        "from pipelines.lib.kpi import spc\n"
        "import pipelines.lib.kpi.spc_weeks\n"
        "from pipelines.lib.kpi.spc import MIN_XMR_POINTS, kpi_spc\n"
    )
    assert spc_imports(source) == [
        "pipelines.lib.kpi.spc",
        "pipelines.lib.kpi.spc_weeks",
        "pipelines.lib.kpi.spc.kpi_spc",
    ]
