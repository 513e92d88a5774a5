"""The synthetic-data generator is kept apart from the pipeline: no module of the pipeline
imports it, at any depth of its code, and the command line imports it only inside the
``generate`` and ``demo`` commands (so ``csc-kpis run`` never loads it).

Read from the source with ``ast``, not by importing: an import inside a function counts, and so
does a module named in a string (``importlib.import_module("pipelines.synthetic...")``).
"""

import ast
from pathlib import Path

import pipelines

PACKAGE = "pipelines.synthetic"
ROOT = Path(pipelines.__file__).parent
CLI = ROOT / "cli.py"
# The functions of cli.py that may import the generator: the two commands and the helper that
# writes the generate command's statutory return.
CLI_USERS = {"cmd_generate", "_write_return", "cmd_demo"}


def _names_generator(node: ast.AST) -> bool:
    """Whether ``node`` imports the generator package or a module of it, or names one in a string."""
    if isinstance(node, ast.Import):
        return any(_is_generator(alias.name) for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        if _is_generator(module):
            return True
        return module == "pipelines" and any(alias.name == "synthetic" for alias in node.names)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return PACKAGE in node.value
    return False


def _is_generator(module: str) -> bool:
    return module == PACKAGE or module.startswith(PACKAGE + ".")


def _offences(tree: ast.AST) -> list[int]:
    return [node.lineno for node in ast.walk(tree) if _names_generator(node)]  # type: ignore[attr-defined]


def _pipeline_modules() -> list[Path]:
    generator = ROOT / "synthetic"
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if path != CLI and generator not in path.parents and ".venv" not in path.parts
    )


def test_the_pipeline_never_imports_the_generator() -> None:
    modules = _pipeline_modules()
    # The walk found the pipeline's layers (a wrong root would pass with nothing to check).
    found = {path.relative_to(ROOT).parts[0] for path in modules}
    assert {"lib", "defs", "runner.py", "definitions.py"} <= found
    offences = {
        str(path.relative_to(ROOT)): lines
        for path in modules
        if (lines := _offences(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offences == {}, f"pipeline modules that import {PACKAGE} (file: lines): {offences}"


def test_the_command_line_imports_it_only_inside_generate_and_demo() -> None:
    tree = ast.parse(CLI.read_text(encoding="utf-8"))
    users = {
        node.name for node in tree.body if isinstance(node, ast.FunctionDef) and _offences(node)
    }
    assert users == CLI_USERS
    at_top = [
        node.lineno
        for node in tree.body
        if not isinstance(node, ast.FunctionDef) and _offences(node)
    ]
    assert at_top == []


def test_the_check_sees_every_way_of_importing() -> None:
    """The rule itself: each form of import is caught, and a look-alike name is not."""
    caught = [
        "import pipelines.synthetic",
        "from pipelines.synthetic import generate_la",
        "from pipelines.synthetic.writer import write_xlsx",
        "from pipelines import synthetic",
        "def f():\n    from pipelines.synthetic import demo",
        "importlib.import_module('pipelines.synthetic.demo')",
    ]
    for source in caught:
        assert _offences(ast.parse(source)), source
    for source in (
        "from pipelines import paths",
        "import pipelines.synthetics_like",
        "x = 'synthetic'",
    ):
        assert not _offences(ast.parse(source)), source
