"""The SPC of a clinic pack's weekly series, and the sentences that describe it.

A pack shows each KPI's weekly series up to its week's Sunday, as the clinic saw it then. For
the week an extract completes (the usual weekly pack) that is exactly the series ``kpi.kpi_spc``
holds for the extract, so the stored rows are read; for a past week restated from a later extract,
or a KPI whose weekly series is made of successive extracts' values (``per_extract``), the
series differs and its SPC is computed from those points by ``spc.kpi_spc``, the same function
that fills ``kpi.kpi_spc``. Either way assurance is judged against the target the pack shows.

Publishing holds no SPC rule of its own: this module is where it meets SPC, and it calls
``pipelines.lib.kpi.spc`` only for what ``kpi.kpi_spc`` does not hold (a series cut at an earlier
week, the series of a ``per_extract`` KPI made of successive extracts' values).
"""

import datetime as dt
from collections.abc import Callable, Sequence

import duckdb
import polars as pl

from pipelines.lib.kpi import spc
from pipelines.lib.kpi.definitions import KpiDefinition


def week_spc(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    kpi: KpiDefinition,
    extract: dt.date,
    series: pl.DataFrame,
    notices: Sequence[dt.date],
    recorded: Sequence[dt.date],
    target: float | None,
) -> pl.DataFrame:
    """SPC columns for ``series`` (period_start, period_end, value: the points up to the
    week's end)."""
    series = series.filter(pl.col("value").is_not_null()).sort("period_end")
    if not kpi.per_extract and series.height:
        stored = con.execute(
            """select * exclude (la_code, kpi_id, grain, extract_date) from kpi.kpi_spc
               where la_code = ? and kpi_id = ? and grain = 'week' and extract_date = ?
               order by period_end""",
            [la_code, kpi.id, extract],
        ).pl()
        if stored["period_end"].to_list() == series["period_end"].to_list():
            return spc.with_assurance(stored, kpi.polarity, target)
    return spc.kpi_spc(series, kpi.kind, kpi.polarity, notices, recorded, target)


def spc_sentences(series: pl.DataFrame, unit: str, fmt: Callable[[float, str], str]) -> list[str]:
    """What the chart shows about the process, sentence by sentence (``fmt`` formats a value
    in ``unit``)."""
    last = series.row(-1, named=True)
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
            f"Too few points {since} ({current.height}; at least {spc.MIN_XMR_POINTS} needed) "
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
