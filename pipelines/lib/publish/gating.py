"""The publishing gate, per KPI: an output publishes with its withheld KPIs marked, and is refused
only when nothing it shows passed (or a failure was not dealt with).

A blocking (error-level) failure on a staged table withholds the KPIs that read it
(``pipelines.lib.kpi.withholding``); a failure on a KPI's own values withholds that KPI. Those
are recorded in ``kpi.kpi_withheld`` and shown by every output. A failure that was not turned
into withheld KPIs (the KPI step did not run after it, or it was recorded by hand) still refuses
the output, as does an extract whose tables or KPI values were never validated.
"""

import datetime as dt
from collections.abc import Sequence
from functools import cache
from itertools import groupby

import duckdb

from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.kpi.withholding import Withheld, withheld_kpis


@cache
def _readers() -> dict[str, frozenset[str]]:
    """Table -> the ids of the KPIs that read it (from kpi_definitions/)."""
    out: dict[str, set[str]] = {}
    for kpi in load_definitions():
        for table in kpi.all_tables:
            out.setdefault(table, set()).add(kpi.id)
    return {table: frozenset(ids) for table, ids in out.items()}


def refusals(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    kpi_ids: Sequence[str] | None = None,
) -> list[str]:
    """Why an output of this extract (showing ``kpi_ids``, default every KPI of the extract)
    must not be published; empty when it may be, with any withheld KPIs marked."""
    failures = con.execute(
        """select layer, asset, check_description, unexpected_count, element_count
           from meta.validation_results
           where la_code = ? and extract_date = ? and not success and severity = 'error'
           order by layer desc, asset""",
        [la_code, extract_date],
    ).fetchall()
    withheld = withheld_kpis(con, la_code, extract_date)
    dealt_with = {(w.layer, w.asset, w.rule) for w in withheld}
    shown = set(kpi_ids) if kpi_ids is not None else None
    reasons = []
    for layer, asset, description, unexpected, total in failures:
        if (layer, asset, description) in dealt_with:
            continue
        if layer == "stg" and not _readers().get(asset):
            continue  # no KPI reads the table: nothing published rests on it
        if layer == "kpi" and shown is not None and asset not in shown:
            continue
        reasons.append(f"{layer}/{asset}: {description} ({unexpected:,} of {total:,} rows)")
    validated = {
        layer
        for (layer,) in con.execute(
            """select distinct layer from meta.validation_results
               where la_code = ? and extract_date = ?""",
            [la_code, extract_date],
        ).fetchall()
    }
    for layer, what in (("stg", "staging tables"), ("kpi", "KPI values")):
        if layer not in validated:
            reasons.append(f"the {what} of this extract have not been validated")
    if not reasons and withheld:
        passed = _available_kpis(con, la_code, extract_date) - {w.kpi_id for w in withheld}
        if not (passed if shown is None else passed & shown):
            reasons.append("no KPI it shows passed: " + "; ".join(summary_lines(withheld)))
    return reasons


def _available_kpis(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> set[str]:
    rows = con.execute(
        """select kpi_id from kpi.kpi_availability
           where la_code = ? and extract_date = ? and available""",
        [la_code, extract_date],
    ).fetchall()
    return {r[0] for r in rows}


def shown_withheld(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    kpi_ids: Sequence[str] | None = None,
) -> list[Withheld]:
    """The withheld KPIs among those an output shows (default: all of the extract's)."""
    withheld = withheld_kpis(con, la_code, extract_date)
    return [w for w in withheld if kpi_ids is None or w.kpi_id in kpi_ids]


def summary_parts(withheld: Sequence[Withheld]) -> list[tuple[str, list[str], str]]:
    """Per failed table (or KPI): since when, the KPIs it withholds, and why (which rules failed
    on how many rows, and whose values are shown instead)."""

    def failed(w: Withheld) -> tuple[str, str]:
        return (w.layer, w.asset)

    parts = []
    for (layer, asset), group in groupby(sorted(withheld, key=failed), key=failed):
        items = list(group)
        kpis = sorted({w.kpi_id for w in items})
        rules = sorted({(w.rule, w.unexpected_count, w.element_count) for w in items})
        since = min(w.since for w in items)
        sources = sorted({w.values_from for w in items if w.values_from is not None})
        shown = (
            "the last good values shown are from the extract of "
            + ", ".join(f"{d:%d %B %Y}" for d in sources)
            if sources
            else "no earlier values to show"
        )
        because = " and ".join(f"'{r}' ({n:,} of {t:,} rows)" for r, n, t in rules)
        parts.append(
            (
                f"withheld since the extract of {since:%d %B %Y}",
                kpis,
                f"because {layer}/{asset} failed {because}; {shown}",
            )
        )
    return parts


def summary_lines(withheld: Sequence[Withheld]) -> list[str]:
    """One sentence per failed table (or KPI): since when, which KPIs it withholds, which rules
    failed on how many rows, and whose values are shown instead."""
    return [f"{since}: {', '.join(kpis)}, {why}" for since, kpis, why in summary_parts(withheld)]
