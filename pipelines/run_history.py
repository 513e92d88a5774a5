"""Dagster's run history (the SQLite event log under DAGSTER_HOME), written and read cheaply.

Dagster's own consolidated SQLite event log makes a new SQLAlchemy engine for every query it
runs, opens a new SQLite connection with it, and asks first whether the query's table exists,
with an engine and a connection of its own. A run stores and reads thousands of events (an
asset and a check per table and per KPI, and each publishing step reads the data version of its
112 inputs): a new engine compiles every statement again, and a new connection reads the
database's schema again; in the demo that was about a seventh of all the CPU time. This storage
keeps one engine for its life, so a statement is compiled once, with SQLAlchemy's usual pool of
SQLite connections (``QueuePool``: a connection is reused, by one thread at a time), and
remembers the tables it has found (Dagster adds tables by migrating, never drops them).

``dagster.yaml`` names this class as the ``event_log_storage``.

:func:`leave_logging_alone`: runs that ``csc-kpis`` starts do not reconfigure Python's logging.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

import dagster as dg
from dagster._core.storage.event_log import ConsolidatedSqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy.engine import Connection, Engine


class EventLogStorage(ConsolidatedSqliteEventLogStorage):
    """The consolidated SQLite event log with one engine and the tables it has seen."""

    @cached_property
    def _engine(self) -> Engine:
        return create_engine(
            self._conn_string, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
        )

    @cached_property
    def _tables_seen(self) -> set[str]:
        return set()

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        with self._engine.connect() as conn, conn.begin():
            yield conn

    def has_table(self, table_name: str) -> bool:
        if table_name not in self._tables_seen:
            with self._engine.connect() as conn:
                if self._engine.dialect.has_table(conn, table_name):
                    self._tables_seen.add(table_name)
        return table_name in self._tables_seen

    def dispose(self) -> None:
        super().dispose()
        if "_engine" in self.__dict__:
            self._engine.dispose()  # the pooled connections are closed


def leave_logging_alone(instance: dg.DagsterInstance) -> dg.DagsterInstance:
    """``instance``, whose runs leave Python's logging as it is when ``dagster.yaml`` adds no
    ``python_logs`` handlers. Dagster otherwise reconfigures logging at the start of every run
    (``logging.config.dictConfig``, to add those handlers, even when there are none): that
    closes every handler of the process, and it deadlocked with a clinic pack's run logging in
    its thread (the new run held logging's lock and waited for a handler's, which the pack's
    run held while it waited for logging's lock)."""
    if not instance.get_python_log_dagster_handler_config():
        instance.get_yaml_python_handlers = list  # type: ignore[method-assign]
    return instance
