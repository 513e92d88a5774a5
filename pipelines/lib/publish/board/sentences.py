"""The sentences a paper quotes beside each figure of the board and adviser reports: how a KPI
with a target moved from its baseline to the reported month ("from X (date) to Y (date)",
``publish/changes.py``), and where the council stands among English LAs and its statistical
neighbours at the latest published year (``publish/standing.py``)."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import duckdb

from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.targets import Plan
from pipelines.lib.publish.board.content import BoardContent
from pipelines.lib.publish.changes import kpi_change
from pipelines.lib.publish.standing import standing, standing_sentence


def _standings_loaded(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        """select count(*) from information_schema.tables
           where table_schema = 'ref' and table_name = 'benchmark_distributions'"""
    ).fetchone()
    return bool(row and row[0])


def standing_text(
    con: duckdb.DuckDBPyConnection, la_code: str, kpi: KpiDefinition | None
) -> str | None:
    """Where the council stands on ``kpi``, or None (not counted the DfE's way, no published
    distribution, no figure of its own for a published year)."""
    if kpi is None or not _standings_loaded(con):
        return None
    found = standing(con, la_code, kpi)
    return standing_sentence(found) if found else None


def with_sentences(
    con: duckdb.DuckDBPyConnection,
    content: BoardContent,
    plans: Sequence[Plan],
    definitions: Sequence[KpiDefinition],
) -> BoardContent:
    """The report's content with each target's change since its baseline and each figure's
    standing filled in."""
    by_id = {k.id: k for k in definitions}
    latest: dt.date = content.period_end
    plan_of = {p.id: p for p in plans}
    areas = []
    for area in content.areas:
        targets = []
        for row in area.targets:
            kpi = by_id.get(row.kpi_id)
            own = [t for t in plan_of[area.plan_id].targets if t.kpi_id == row.kpi_id]
            change = (
                kpi_change(con, kpi, content.la_code, own, latest, content.extract_date)
                if kpi and own
                else None
            )
            standing_now = standing_text(con, content.la_code, kpi)
            targets.append(replace(row, change=change, standing=standing_now))
        evidence = tuple(
            replace(e, standing=standing_text(con, content.la_code, by_id.get(e.kpi_id)))
            for e in area.evidence
        )
        areas.append(replace(area, targets=tuple(targets), evidence=evidence))
    return replace(content, areas=tuple(areas))
