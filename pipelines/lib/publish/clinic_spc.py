"""The SPC of a clinic pack's weekly series, read from the engine's tables, and the sentences that
describe it.

A pack shows each KPI's weekly series up to its week's Sunday, as the clinic saw it then. The
engine stores the SPC of every week an extract's pack shows (``pipelines.lib.kpi.spc_weeks``):
``kpi.kpi_spc_weeks`` says, per KPI and week, where the series is held (``kpi.kpi_spc``'s rows up
to the week's end for the extract's own series or a run chart, ``kpi.kpi_spc_restated`` for any
other series cut at an earlier Sunday) and its assurance against the target the pack's RAG is
judged against. Publishing computes no SPC: a week the engine holds none for (more than
``RESTATED_WEEKS`` before its extract's own week) shows its values as a table and says why.
"""

import datetime as dt
from collections.abc import Callable

import duckdb
import polars as pl

from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.spc import MIN_XMR_POINTS, SPC_SCHEMA
from pipelines.lib.kpi.spc_weeks import RESTATED_WEEKS

NOT_HELD = (
    "SPC is not held for this week's series (the engine keeps it for each extract's own week and "
    f"the {RESTATED_WEEKS} weeks before it only): the values are shown as a table"
)
# period_start, period_end, value, then the SPC columns, as a pack's series holds them.
_COLUMNS = [k for k in SPC_SCHEMA if k not in ("la_code", "kpi_id", "grain", "extract_date")]


def week_spc(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    kpi: KpiDefinition,
    extract: dt.date,
    week_end: dt.date,
    series: pl.DataFrame,
) -> pl.DataFrame:
    """SPC columns for ``series`` (period_start, period_end, value: the points up to the week's
    end), as the engine stored them for the pack of the week ending ``week_end``."""
    series = series.filter(pl.col("value").is_not_null()).sort("period_end")
    # A warehouse whose KPIs were last refreshed before the engine stored each week's SPC has no
    # such table yet (the next KPI run adds it): nothing is held.
    stored = con.execute(
        """select count(*) from information_schema.tables
           where table_schema = 'kpi' and table_name = 'kpi_spc_weeks'"""
    ).fetchone()
    week = None
    if stored and stored[0]:
        week = con.execute(
            """select held_in, target_value, assurance from kpi.kpi_spc_weeks
               where la_code = ? and kpi_id = ? and extract_date = ? and week_end = ?""",
            [la_code, kpi.id, extract, week_end],
        ).fetchone()
    held = None
    if week is not None and week[0] == "kpi_spc":
        held = con.execute(
            """select * exclude (la_code, kpi_id, grain, extract_date) from kpi.kpi_spc
               where la_code = ? and kpi_id = ? and grain = 'week' and extract_date = ?
                 and period_end <= ?
               order by period_end""",
            [la_code, kpi.id, extract, week_end],
        ).pl()
    elif week is not None:
        held = con.execute(
            """select * exclude (la_code, kpi_id, extract_date, week_end) from kpi.kpi_spc_restated
               where la_code = ? and kpi_id = ? and extract_date = ? and week_end = ?
               order by period_end""",
            [la_code, kpi.id, extract, week_end],
        ).pl()
    if held is not None and held["period_end"].to_list() == series["period_end"].to_list():
        return held.with_columns(
            target_value=pl.lit(week[1], dtype=pl.Float64),  # type: ignore[index]
            assurance=pl.lit(week[2], dtype=pl.String),  # type: ignore[index]
        )
    # Nothing held for these points (an empty series has none to hold): the values, no verdict.
    held_not = {"chart_type": "values_only", "chart_reason": NOT_HELD} if series.height else {}
    return series.select(
        *_COLUMNS[:3],
        *(pl.lit(held_not.get(k), dtype=SPC_SCHEMA[k]).alias(k) for k in _COLUMNS[3:]),
    )


def spc_sentences(series: pl.DataFrame, unit: str, fmt: Callable[[float, str], str]) -> list[str]:
    """What the chart shows about the process, sentence by sentence (``fmt`` formats a value
    in ``unit``)."""
    last = series.row(-1, named=True)
    if last["chart_reason"] == NOT_HELD:
        return [f"{NOT_HELD}."]
    if last["chart_type"] == "values_only":
        return [f"{series.height} value(s) only: shown as a table, not as a chart of a process."]
    if last["chart_type"] == "run_chart":
        return [f"Run chart, with no process limits and no special-cause verdict: "
                f"{last['chart_reason']}."]  # fmt: skip
    text = []
    for row in (
        series.filter(pl.col("segment_reason").is_not_null())
        .unique("segment_start", keep="first", maintain_order=True)
        .iter_rows(named=True)
    ):
        text.append(
            f"Limits recalculated from the week ending {row['period_end']:%d %B %Y}: "
            f"{row['segment_reason']}."
        )
    current = series.filter(pl.col("segment_start") == last["segment_start"])
    since = f"since the week ending {current['period_end'][0]:%d %B %Y}"
    if last["variation"] == "too_few_points":
        text.append(
            f"Too few points {since} ({current.height}; at least {MIN_XMR_POINTS} needed) "
            "for limits: no verdict on variation or assurance yet."
        )
        return text
    limits = "trial limits" if last["trial_limits"] else "process limits"
    lower = max(last["lower_process_limit"], 0.0)
    upper = last["upper_process_limit"]
    upper = min(upper, 100.0) if unit == "percent" else upper
    text.append(
        f"Mean {fmt(last['mean'], unit)}; {limits} {fmt(lower, unit)} to {fmt(upper, unit)} "
        f"({current.height} points {since})."
    )
    causes = current.filter(pl.col("variation") != "common_cause")
    if causes.height:
        recent = causes.row(-1, named=True)
        text.append(
            f"{causes.height} of {current.height} points {since} show special cause; the latest, "
            f"week ending {recent['period_end']:%d %B %Y}, is "
            f"{recent['variation'].replace('_', ' ')} "
            f"({str(recent['special_cause_rule']).replace('_', ' ')})."
        )
    else:
        text.append(f"Every point {since} shows common-cause variation only.")
    return text
