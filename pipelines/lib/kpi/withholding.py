"""Withhold the KPIs that read a table which failed a blocking check; publish the rest.

A staged table that fails an error-level expectation (or loses an implausible share of its rows
on the way in) makes only the KPIs that read it unreliable. Those KPIs are *withheld* for the
extract: ``kpi.kpi_withheld`` records each with the table, the rule and the rows that failed,
since when it has been withheld and the extract whose values are shown in its place; its rows in
``kpi.kpi_values`` (and by dimension, and its availability) are replaced by that last good
extract's, so every output keeps showing the last good figures, marked as withheld. A KPI whose
own values fail an error-level check is withheld the same way. Every other KPI is published as
usual.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.validation.run import table_exists
from pipelines.lib.warehouse import transaction

WITHHELD_DDL = """
create table if not exists kpi.kpi_withheld (
    la_code varchar not null,
    extract_date date not null,
    kpi_id varchar not null,
    layer varchar not null,              -- stg: a staged table failed; kpi: the KPI's own values
    asset varchar not null,              -- the table (or KPI) whose check failed
    rule varchar not null,               -- the expectation that failed
    unexpected_count bigint,
    element_count bigint,
    since date not null,                 -- first extract of the unbroken run it was withheld in
    values_from date                     -- the extract whose values are shown (null: none)
)
"""
# The tables that hold a KPI's figures for one extract, replaced together.
VALUE_TABLES = ("kpi_values", "kpi_values_by_dimension", "kpi_availability")


@dataclass(frozen=True)
class Withheld:
    kpi_id: str
    layer: str
    asset: str
    rule: str
    unexpected_count: int
    element_count: int
    since: dt.date
    values_from: dt.date | None

    def line(self) -> str:
        shown = (
            f"showing the values of the extract of {self.values_from}"
            if self.values_from
            else "no earlier values to show"
        )
        return (
            f"{self.kpi_id} withheld since the extract of {self.since}: {self.layer}/{self.asset}: "
            f"{self.rule} ({self.unexpected_count:,} of {self.element_count:,} rows); {shown}"
        )


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists kpi")
    con.execute(WITHHELD_DDL)


def _failures(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date, layer: str
) -> list[tuple[str, str, int, int]]:
    if not table_exists(con, "meta", "validation_results"):
        return []
    return con.execute(
        """select asset, check_description, coalesce(unexpected_count, 0),
                  coalesce(element_count, 0)
           from meta.validation_results
           where la_code = ? and extract_date = ? and layer = ? and not success
             and severity = 'error'
           order by asset, check_description""",
        [la_code, extract_date, layer],
    ).fetchall()


def _previous(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> tuple[dt.date | None, dict[str, tuple[dt.date, dt.date | None]]]:
    """The LA's last computed extract before this one, and its withheld KPIs with (since,
    values_from)."""
    row = con.execute(
        "select max(extract_date) from kpi.kpi_runs where la_code = ? and extract_date < ?",
        [la_code, extract_date],
    ).fetchone()
    previous = row[0] if row and row[0] else None
    if previous is None:
        return None, {}
    withheld = con.execute(
        """select kpi_id, min(since), min(values_from) from kpi.kpi_withheld
           where la_code = ? and extract_date = ? group by kpi_id""",
        [la_code, previous],
    ).fetchall()
    return previous, {k: (since, values_from) for k, since, values_from in withheld}


def withhold_extract(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    definitions: Sequence[KpiDefinition],
    just_computed: bool = False,
) -> list[Withheld]:
    """Record the KPIs of this extract that must be withheld, and put their last good values in
    place of this extract's. Run with ``just_computed`` right after the KPIs are computed (every
    value is then the extract's own), and again after their values are validated: KPIs whose
    values were replaced before keep the values they were given."""
    ensure_table(con)
    reads = {k.id: set(k.all_tables) for k in definitions}
    failed: dict[str, list[tuple[str, str, str, int, int]]] = {}
    for asset, rule, unexpected, total in _failures(con, la_code, extract_date, "stg"):
        for kpi_id, tables in reads.items():
            if asset in tables:
                failed.setdefault(kpi_id, []).append(("stg", asset, rule, unexpected, total))
    for asset, rule, unexpected, total in _failures(con, la_code, extract_date, "kpi"):
        if asset in reads:
            failed.setdefault(asset, []).append(("kpi", asset, rule, unexpected, total))
    already = (
        {}
        if just_computed
        else dict(
            con.execute(
                """select kpi_id, min(values_from) from kpi.kpi_withheld
               where la_code = ? and extract_date = ? group by kpi_id""",
                [la_code, extract_date],
            ).fetchall()
        )
    )
    previous, before = _previous(con, la_code, extract_date)
    out: list[Withheld] = []
    with transaction(con):
        con.execute(
            "delete from kpi.kpi_withheld where la_code = ? and extract_date = ?",
            [la_code, extract_date],
        )
        for kpi_id, reasons in failed.items():
            if kpi_id in already:  # its values were replaced by an earlier call: keep them
                values_from = already[kpi_id]
            elif kpi_id in before:
                values_from = before[kpi_id][1]
            else:
                values_from = previous
            since = before[kpi_id][0] if kpi_id in before else extract_date
            if kpi_id not in already:
                values_from = _replace_values(con, la_code, extract_date, kpi_id, values_from)
            for layer, asset, rule, unexpected, total in reasons:
                item = Withheld(kpi_id, layer, asset, rule, unexpected, total, since, values_from)
                out.append(item)
                con.execute(
                    "insert into kpi.kpi_withheld values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [la_code, extract_date, kpi_id, layer, asset, rule, unexpected, total,
                     since, values_from],
                )  # fmt: skip
    return out


def _replace_values(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    kpi_id: str,
    values_from: dt.date | None,
) -> dt.date | None:
    """This extract's figures of one KPI become those of ``values_from`` (none when there is no
    earlier extract, or it had no values either); returns the extract whose values are shown."""
    key = [la_code, extract_date, kpi_id]
    for table in VALUE_TABLES:
        con.execute(
            f"delete from kpi.{table} where la_code = ? and extract_date = ? and kpi_id = ?", key
        )
    copied = 0
    if values_from is not None:
        for table in VALUE_TABLES:
            columns = [
                r[0]
                for r in con.execute(
                    """select column_name from information_schema.columns
                       where table_schema = 'kpi' and table_name = ? order by ordinal_position""",
                    [table],
                ).fetchall()
            ]
            select = ", ".join("?::date" if c == "extract_date" else c for c in columns)
            copied += con.execute(
                f"""insert into kpi.{table} ({", ".join(columns)})
                    select {select} from kpi.{table}
                    where la_code = ? and extract_date = ? and kpi_id = ?""",
                [extract_date, la_code, values_from, kpi_id],
            ).fetchone()[0]  # type: ignore[index]
    if not copied:
        con.execute(
            "insert into kpi.kpi_availability values (?, ?, ?, false, ?)",
            [
                *key,
                "withheld: a blocking check it rests on failed, and no earlier extract has values",
            ],
        )
        return None
    return values_from


def withheld_kpis(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> list[Withheld]:
    """The KPIs withheld from one extract, one entry per failed rule (read-only: none before the
    KPI step first made the table)."""
    if not table_exists(con, "kpi", "kpi_withheld"):
        return []
    rows = con.execute(
        """select kpi_id, layer, asset, rule, unexpected_count, element_count, since, values_from
           from kpi.kpi_withheld where la_code = ? and extract_date = ?
           order by kpi_id, layer desc, asset, rule""",
        [la_code, extract_date],
    ).fetchall()
    return [Withheld(*row) for row in rows]
