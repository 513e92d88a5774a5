"""Ingest: land extract folders in the warehouse, inbox -> raw (as received) -> stg (typed).

- ``inbox``: which LA folders and extract folders (deliveries) exist, and which are complete;
- ``receive``: read a delivery's files into ``raw`` through their readers, or the statutory
  returns through their adapters (``returns``), screened; or reject it;
- ``stage``: type a received delivery into ``stg`` and make it current, by the rules of
  ``table_rules`` (each table's rows) and ``references`` (links between the tables);
- ``records``: what ``meta`` records about each delivery, and its defects in words;
- ``columns``: a delivered file against the contract (its table, its columns).

The entry points below are the ones the Dagster assets, the tests and the benchmark call. They
hand the file reader and the warehouse writer down, looked up here when called, so that a test
can make one fail at a chosen point and see the delivery's transaction roll back.
"""

from collections.abc import Sequence

import duckdb

from pipelines.lib.adapters.source_columns import record_unrecorded
from pipelines.lib.ingest import receive, stage
from pipelines.lib.ingest.inbox import (
    ExtractFolder,
    InboxLA,
    as_scanned,
    folder_signature,
    is_complete,
    scan_inbox,
    scan_la,
)
from pipelines.lib.ingest.records import (
    DeliveryResult,
    Progress,
    issue_lines,
    quiet,
    save_la_config,
)
from pipelines.lib.la_config import ConfigError
from pipelines.lib.readers import read_table_file
from pipelines.lib.warehouse import insert_frame as _insert

__all__ = [
    "ConfigError",
    "DeliveryResult",
    "ExtractFolder",
    "InboxLA",
    "as_scanned",
    "folder_signature",
    "is_complete",
    "issue_lines",
    "receive_extract",
    "receive_la",
    "save_la_config",
    "scan_inbox",
    "scan_la",
    "stage_received",
]


def _io() -> receive.Io:
    return receive.Io(read=read_table_file, insert=_insert)


def receive_extract(
    con: duckdb.DuckDBPyConnection, extract: ExtractFolder, progress: Progress = quiet
) -> DeliveryResult:
    """Read one extract folder into ``raw`` in one transaction, or reject it; skipped when this
    exact delivery was seen before."""
    return receive.receive_extract(con, extract, progress, _io())


def receive_la(
    con: duckdb.DuckDBPyConnection, extracts: Sequence[ExtractFolder], progress: Progress = quiet
) -> list[DeliveryResult]:
    """Receive an LA's extract folders, newest first, up to the first usable one (the older
    ones are recorded as superseded, unread: see ``receive.receive_la``)."""
    return receive.receive_la(con, extracts, progress, _io())


def stage_received(
    con: duckdb.DuckDBPyConnection, la_code: str, progress: Progress = quiet
) -> list[DeliveryResult]:
    """Type every received delivery of an LA into ``stg`` and make it current, oldest first.
    Deliveries from statutory returns received before ingest recorded their source columns
    get that record first, so the KPI engine can read it."""
    record_unrecorded(con, la_code)
    return stage.stage_received(con, la_code, progress, _insert)
