"""Shared building blocks (``kpi_definitions/shared/*.sql``): each materialised once per extract,
the first time a KPI reads it."""

import re

import duckdb

from pipelines.lib.kpi.definitions import load_shared_views

_SQL_COMMENT = re.compile(r"--[^\n]*")
_SQL_WORD = re.compile(r"[a-z_][a-z0-9_]*")


def _words(sql: str) -> set[str]:
    """The identifiers a query names, comments left out (they mention blocks they do not read)."""
    return set(_SQL_WORD.findall(_SQL_COMMENT.sub("", sql.lower())))


def ensure_shared_blocks(con: duckdb.DuckDBPyConnection, sql: str, done: set[str]) -> None:
    """Materialise the shared blocks ``sql`` reads, and the blocks those read, unless ``done``
    already holds them (once per extract: several KPIs read each of them). Blocks are created in
    file-name order, so a block's own blocks come first."""
    views = load_shared_views()
    wanted = _words(sql)
    # A block may read only blocks before it: walking back from the last finds every one needed.
    for view in reversed(views):
        if view.name in wanted:
            wanted |= _words(view.sql)
    for view in views:
        if view.name in wanted and view.name not in done:
            con.execute(f"create or replace temp table {view.name} as {view.sql}")
            done.add(view.name)
