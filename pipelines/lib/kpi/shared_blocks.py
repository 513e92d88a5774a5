"""Shared building blocks (``kpi_definitions/shared/*.sql``): populations several KPIs read
(children looked after, their current placement...), each materialised once per extract as a
temporary table named after its file, the first time a KPI reads it.

A block reads the extract's tables and may read other blocks: the blocks it reads are the block
names its SQL mentions (comments left out), and blocks are created in that dependency order, so a
block never depends on its file name's place in the alphabet. A cycle is a definition error."""

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.lib.kpi.definitions import DEFINITIONS_DIR, DefinitionError

SHARED_DIR_NAME = "shared"
_SQL_COMMENT = re.compile(r"--[^\n]*")
_SQL_WORD = re.compile(r"[a-z_][a-z0-9_]*")


def sql_words(sql: str) -> set[str]:
    """The identifiers a query names, comments left out (they mention blocks they do not read)."""
    return set(_SQL_WORD.findall(_SQL_COMMENT.sub("", sql.lower())))


@dataclass(frozen=True)
class SharedView:
    """One block: its name (the file's), SQL, file and the blocks it reads."""

    name: str
    sql: str
    path: Path
    reads: frozenset[str] = frozenset()


def _dependency_order(views: dict[str, SharedView]) -> list[SharedView]:
    """Every block after the blocks it reads (by name among equals, so the order is stable)."""
    ordered: list[SharedView] = []
    placed: set[str] = set()
    while len(placed) < len(views):
        ready = sorted(n for n, v in views.items() if n not in placed and v.reads <= placed)
        if not ready:
            stuck = sorted(n for n in views if n not in placed)
            waits = [f"{n} reads {', '.join(sorted(views[n].reads - placed))}" for n in stuck]
            raise DefinitionError(
                f"{views[stuck[0]].path.parent}: shared blocks read each other in a cycle: "
                + "; ".join(waits)
            )
        ordered += [views[n] for n in ready]
        placed.update(ready)
    return ordered


def load_shared_views(root: Path = DEFINITIONS_DIR) -> list[SharedView]:
    """Every block under ``root/shared``, each after the blocks it reads."""
    texts = {}
    for path in sorted((root / SHARED_DIR_NAME).glob("*.sql")):
        if not path.stem.isidentifier():
            raise DefinitionError(f"{path}: a shared view's file name must be a SQL identifier")
        texts[path.stem] = (path, path.read_text(encoding="utf-8"))
    views = {
        name: SharedView(name, sql, path, frozenset(sql_words(sql) & texts.keys() - {name}))
        for name, (path, sql) in texts.items()
    }
    return _dependency_order(views)


def blocks_read(sql: str, views: list[SharedView]) -> set[str]:
    """The blocks ``sql`` reads, and the blocks those read, and so on."""
    by_name = {view.name: view for view in views}
    wanted = sql_words(sql) & by_name.keys()
    pending = list(wanted)
    while pending:
        for name in by_name[pending.pop()].reads - wanted:
            wanted.add(name)
            pending.append(name)
    return wanted


def ensure_shared_blocks(con: duckdb.DuckDBPyConnection, sql: str, done: set[str]) -> None:
    """Materialise the shared blocks ``sql`` reads, and the blocks those read, unless ``done``
    already holds them (once per extract: several KPIs read each of them), each after the blocks
    it reads."""
    views = load_shared_views()
    wanted = blocks_read(sql, views)
    for view in views:
        if view.name in wanted and view.name not in done:
            con.execute(f"create or replace temp table {view.name} as {view.sql}")
            done.add(view.name)
