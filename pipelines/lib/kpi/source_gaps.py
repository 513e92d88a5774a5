"""Which KPIs an extract taken from statutory returns cannot give, and why, from what ingest
recorded of each return (``meta.source_columns``, ``meta.source_kpi_gaps``).

A KPI reads contract columns (in its own SQL and in the shared blocks it reads). A statutory
format fills only some columns of the tables it gives: a KPI that reads a column the format left
blank cannot be computed from it, however many rows there are.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import duckdb

from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.shared_blocks import SharedView, blocks_read, load_shared_views, sql_words

# Columns that only break a figure down by team: without them the KPI is still computed, for
# the whole LA, with no team or service-area breakdown.
BREAKDOWN_COLUMNS = frozenset(
    {
        ("ssd_cin_episodes", "cine_referral_team"),
        ("ssd_cin_assessments", "cina_assessment_team"),
        ("ssd_care_leavers", "clea_care_leaver_allocated_team"),
        ("ssd_involvements", "invo_professional_team"),
        ("ext_worker_periods", "team_id"),
    }
)
# Columns a KPI reads when a source gives them and does without otherwise, with what is lost
# without them: the number of previous CP plans (CIN census NumberOfPreviousCPP) falls back on
# the extract's own plans.
FALLBACK_COLUMNS = {
    ("ssd_cp_plans", "cppl_previous_cp_plans"): "no number of previous CP plans, so a plan "
    "that started before the extract's history is missed and a second plan can count as a first",
}


@cache
def _blocks() -> tuple[list[SharedView], dict[str, frozenset[str]]]:
    """The shared blocks, and the words of each (read once: SOURCES.md asks for every KPI)."""
    views = load_shared_views()
    return views, {view.name: frozenset(sql_words(view.sql)) for view in views}


def referenced_columns(kpi: KpiDefinition) -> dict[str, set[str]]:
    """Table -> the contract columns of that table the KPI reads (its SQL and shared blocks)."""
    words = sql_words(kpi.sql)
    views, block_words = _blocks()
    for name in blocks_read(kpi.sql, views):
        words |= block_words[name]
    return {
        table: {c for c in TABLES_BY_NAME[table].column_names if c in words}
        for table in kpi.all_tables
        if table in TABLES_BY_NAME
    }


@dataclass(frozen=True)
class SourceColumns:
    """What the statutory returns of an extract fill: ``formats`` table -> source format (tables
    from SSD files are absent); ``blank`` (table, column) -> why its format leaves it blank;
    ``kpi_gaps`` (source format, KPI id) -> why the format cannot serve the KPI."""

    formats: Mapping[str, str]
    blank: Mapping[tuple[str, str], str]
    kpi_gaps: Mapping[tuple[str, str], str]
    # Tables a return gave in a delivery received before ingest recorded what returns fill.
    unrecorded: frozenset[str] = frozenset()


def read_source_columns(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> SourceColumns:
    """What ingest recorded of the returns of the loaded delivery of an extract."""
    loaded = """join meta.deliveries d using (la_code, extract_date, delivery_id)
                where s.la_code = ? and s.extract_date = ? and d.status = 'loaded'"""
    columns = con.execute(
        f"select s.table_name, s.source_format, s.column_name, s.reason "
        f"from meta.source_columns s {loaded}",
        [la_code, extract_date],
    ).fetchall()
    gaps = con.execute(
        f"select s.source_format, s.kpi_id, s.reason from meta.source_kpi_gaps s {loaded}",
        [la_code, extract_date],
    ).fetchall()
    from_returns = con.execute(
        f"select s.table_name from meta.delivery_sources s {loaded} and s.source_format <> 'ssd'",
        [la_code, extract_date],
    ).fetchall()
    formats = {table: source_format for table, source_format, _, _ in columns}
    return SourceColumns(
        formats=formats,
        blank={(table, column): why for table, _, column, why in columns if why is not None},
        kpi_gaps={(source_format, kpi_id): why for source_format, kpi_id, why in gaps},
        unrecorded=frozenset(table for (table,) in from_returns if table not in formats),
    )


def _column_gaps(kpi: KpiDefinition, table: str, sources: SourceColumns) -> list[str]:
    """Why ``table`` as its return gives it cannot serve ``kpi`` (empty: it can)."""
    used = referenced_columns(kpi).get(table, set())
    return [
        sources.blank[(table, column)]
        for column in sorted(used)
        if (table, column) in sources.blank
        and (table, column) not in BREAKDOWN_COLUMNS
        and (table, column) not in FALLBACK_COLUMNS
    ]


def source_gaps(kpi: KpiDefinition, sources: SourceColumns) -> list[str]:
    """Why ``kpi`` cannot be computed from an extract whose returns filled ``sources``."""
    reasons: list[str] = [
        f"{table} came from a statutory return received before ingest recorded which columns a "
        "return fills: receive the extract again"
        for table in (*kpi.tables, *kpi.any_of_tables)
        if table in sources.unrecorded
    ]
    for table in (*kpi.tables, *kpi.any_of_tables):
        if table in sources.formats:
            reasons.extend(_column_gaps(kpi, table, sources))
    for source_format in dict.fromkeys(sources.formats.get(t, "ssd") for t in kpi.tables):
        if (source_format, kpi.id) in sources.kpi_gaps:
            reasons.append(sources.kpi_gaps[(source_format, kpi.id)])
    if kpi.any_of_tables and reasons:
        # any_of: it is enough that one of them is usable.
        usable = [
            t
            for t in kpi.any_of_tables
            if t not in sources.formats or not _column_gaps(kpi, t, sources)
        ]
        if usable:
            reasons = [r for r in reasons if not any(f" {t}" in r for t in kpi.any_of_tables)]
    return reasons
