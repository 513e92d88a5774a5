"""Stage: a received delivery's raw rows (text) -> typed ``stg`` rows, and make it current.

Each table is typed by the rules in ``table_rules.py`` one file at a time; the links between tables
are checked once all are typed (orphans are kept, but flagged). Every issue goes to
``stg.quarantine`` with file, row, column and rule.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import duckdb
import polars as pl

from pipelines.lib import screening
from pipelines.lib.contract import TABLES, TABLES_BY_NAME, Table
from pipelines.lib.ingest.inbox import ExtractFolder
from pipelines.lib.ingest.records import DeliveryResult, Progress, lineage_values
from pipelines.lib.ingest.references import reference_columns, reference_issues
from pipelines.lib.ingest.table_rules import CLEAR, stage_table
from pipelines.lib.readers import ROW_COLUMN
from pipelines.lib.warehouse import transaction


class Insert(Protocol):
    """Writes a frame to a warehouse table, with constant columns (``warehouse.insert_frame``)."""

    def __call__(
        self,
        con: duckdb.DuckDBPyConnection,
        target: str,
        frame: pl.DataFrame,
        constants: Mapping[str, object] | None = None,
        /,
    ) -> None: ...


@dataclass
class StagedDelivery:
    """One delivery's tables typed, with every issue found (rows and references)."""

    # Issues as found, when they are not written away as found (a rejected delivery).
    quarantine: list[pl.DataFrame] = field(default_factory=list)
    rows_read: int = 0
    rows_staged: int = 0
    rows_rejected: int = 0
    values_cleared: int = 0


# Where a typed piece goes: (table, rows, constant columns). Staging writes into the warehouse.
Sink = Callable[[str, pl.DataFrame, Mapping[str, object]], None]


class _DeliveryStager:
    """Types a delivery's tables one file at a time, then checks the links between them.

    Only one table's rows are in memory at once: each is typed, handed to ``sink`` with its
    issues, and only the columns the link checks need are kept (ids, a few per table). Without a
    sink (a rejected delivery) the typed rows are dropped and the issues kept in ``quarantine``.
    """

    def __init__(self, extract: ExtractFolder, delivery_id: str, sink: Sink | None) -> None:
        self.extract = extract
        self.delivery_id = delivery_id
        self.sink = sink
        self.out = StagedDelivery()
        self.keys: dict[str, list[tuple[Path, str, pl.DataFrame]]] = {}

    def _issues(self, name: str, path: Path, sha: str, issues: pl.DataFrame) -> None:
        if issues.is_empty():
            return
        issues = screening.withhold(TABLES_BY_NAME[name], issues)
        lineage = {
            "la_code": self.extract.la_code,
            "extract_date": self.extract.extract_date,
            "delivery_id": self.delivery_id,
            "table_name": name,
            "source_file": path.name,
            "file_sha256": sha,
        }
        if self.sink is None:
            self.out.quarantine.append(
                issues.with_columns(**{k: pl.lit(v) for k, v in lineage.items()})
            )
        else:
            self.sink("stg.quarantine", issues, lineage)

    def add(self, name: str, path: Path, sha: str, frame: pl.DataFrame) -> None:
        """Type one file's rows of table ``name``."""
        result = stage_table(TABLES_BY_NAME[name], frame)
        self._issues(name, path, sha, result.issues)
        if self.sink is not None:
            self.sink(f"stg.{name}", result.frame, lineage_values(self.extract, path, sha))
        self.keys.setdefault(name, []).append(
            (path, sha, result.frame.select(ROW_COLUMN, *reference_columns(name)))
        )
        self.out.rows_read += frame.height
        self.out.rows_staged += result.frame.height
        self.out.rows_rejected += result.rejected_rows
        self.out.values_cleared += result.issues.filter(pl.col("action") == CLEAR).height

    def finish(self) -> StagedDelivery:
        """Flag the orphan references (kept rows whose partner is not in the delivery)."""
        tables = {
            name: pl.concat([keys for _, _, keys in pieces]) for name, pieces in self.keys.items()
        }
        for name, pieces in self.keys.items():
            for path, sha, keys in pieces:
                orphans = reference_issues({**tables, name: keys}, only=name).get(name)
                if orphans is not None:
                    self._issues(name, path, sha, orphans.sort("source_row", "column_name"))
        return self.out


def check_delivery(
    extract: ExtractFolder,
    delivery_id: str,
    inputs: Sequence[tuple[str, Path, str, pl.DataFrame]],
) -> StagedDelivery:
    """Type each table and check the links between them (orphans are kept, but flagged), for
    the issues only: the typed rows are not kept (a rejected delivery is never staged).
    ``inputs``: (table, file, sha256, rows) per piece; a table may come in several pieces."""
    stager = _DeliveryStager(extract, delivery_id, sink=None)
    for name, path, sha, frame in inputs:
        stager.add(name, path, sha, frame)
    return stager.finish()


def _largest_first(con: duckdb.DuckDBPyConnection, key: list[object]) -> list[Table]:
    """The contract's tables, the one with most raw rows in the delivery first.

    Typing a table needs several times its raw size for a moment, and the process keeps part of
    what each table used (the link-check columns and memory the allocators hold on to). Typed
    last, at scale 50 the largest table (ext_case_oversight, 5.5 million rows) took the peak from
    3.3 to 4.3 GB; typed first, while the process holds least, it sets no peak. Each table is
    typed and written the same whatever the order."""
    counts = {
        table.name: con.execute(
            f"""select count(*) from raw.{table.name}
                where la_code = ? and extract_date = ? and delivery_id = ?""",
            key,
        ).fetchone()
        for table in TABLES
    }
    return sorted(TABLES, key=lambda t: -(counts[t.name] or (0,))[0])


def stage_received(
    con: duckdb.DuckDBPyConnection, la_code: str, progress: Progress, insert: Insert
) -> list[DeliveryResult]:
    """Type every received delivery of an LA into ``stg`` and make it current, oldest first.

    A delivery is typed and written table by table inside one transaction, so memory holds one
    table at a time and readers still never see half a load."""
    pending = con.execute(
        """select extract_date, delivery_id from meta.deliveries
           where la_code = ? and status = 'received' order by extract_date""",
        [la_code],
    ).fetchall()
    results = []
    for extract_date, delivery_id in pending:
        progress(f"{la_code} {extract_date}: staging")
        key = [la_code, extract_date, delivery_id]
        with transaction(con):
            for table in TABLES:
                con.execute(
                    f"delete from stg.{table.name} where la_code = ? and extract_date = ?",
                    [la_code, extract_date],
                )
            stager = _DeliveryStager(
                ExtractFolder(la_code, extract_date, Path()),
                delivery_id,
                sink=lambda target, frame, constants: insert(con, target, frame, constants),
            )
            for table in _largest_first(con, key):
                where = "la_code = ? and extract_date = ? and delivery_id = ?"
                # One piece per file (a table merged from several returns has several).
                files = con.execute(
                    f"""select distinct source_file, file_sha256 from raw.{table.name}
                        where {where} order by source_file""",
                    key,
                ).fetchall()
                for source_file, sha in files:
                    raw = con.execute(
                        f"""select {ROW_COLUMN}, {", ".join(table.column_names)}
                            from raw.{table.name} where {where} and source_file = ?""",
                        [*key, source_file],
                    ).pl()
                    stager.add(table.name, Path(source_file), sha, raw)
                    del raw
            checked = stager.finish()
            result = DeliveryResult(
                la_code,
                extract_date,
                delivery_id,
                "loaded",
                rows_read=checked.rows_read,
                rows_staged=checked.rows_staged,
                rows_rejected=checked.rows_rejected,
                values_cleared=checked.values_cleared,
            )
            con.execute(
                """update meta.deliveries set status = 'superseded'
                   where la_code = ? and extract_date = ? and status = 'loaded'""",
                [la_code, extract_date],
            )
            con.execute(
                """update meta.deliveries set status = 'loaded', rows_read = ?, rows_staged = ?,
                   rows_rejected = ?, values_cleared = ?
                   where la_code = ? and extract_date = ? and delivery_id = ?""",
                [
                    result.rows_read,
                    result.rows_staged,
                    result.rows_rejected,
                    result.values_cleared,
                    la_code,
                    extract_date,
                    delivery_id,
                ],
            )
        progress(
            f"{la_code} {extract_date}: loaded {result.rows_staged:,} rows"
            + (f", {result.rows_rejected:,} rows quarantined" if result.rows_rejected else "")
        )
        results.append(result)
    return results
