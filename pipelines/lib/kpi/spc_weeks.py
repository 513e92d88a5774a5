"""The SPC of every week a clinic pack shows from an extract, stored so that publishing only reads.

The pack for a week uses the first extract with KPIs computed dated on or after the week's Sunday
and cuts that extract's weekly series at the Sunday: limits come from those points only, as the
clinic saw them (``publish/clinic_read``). An extract therefore *serves* the Sundays after the
previous extract with KPIs (``kpi.kpi_runs``) up to its own week, the last Sunday on or before it.
For each served Sunday and each KPI with weekly values up to it:

- **the series cut at the Sunday.** When none of the extract's weekly points lies after it (its
  own week, as a rule) the cut is the series ``kpi.kpi_spc`` holds. A past week restated from a
  later extract is a shorter series: a run chart's rows are those of ``kpi.kpi_spc`` up to the
  Sunday (it has no limits: ``spc.same_as_head``); any other's SPC (XmR limits from those points
  only, or values only) is computed here by ``spc.kpi_spc``, the same function, and stored in
  ``kpi.kpi_spc_restated``;
- **the target the pack judges assurance against** (``kpi.kpi_spc_weeks``, with the assurance
  against it): the one the pack's RAG is judged against, the current target in ``kpi.kpi_status``
  at the last month end on or before the Sunday; without one, the next target due on or after the
  Sunday (else the last), as the pack's target steps show it. ``kpi.kpi_spc`` keeps the target in
  force at the extract date, which differs in the days after a target falls due.

Bounded to ``RESTATED_WEEKS`` (13, a quarter) before the extract's own week: a first extract
would otherwise serve every week back to the start of its history (the clinic's partitions start
in 2006), each a cut of every KPI. A pack for an older week says its SPC is not held and shows
the values as a table.

A ``per_extract`` KPI (it describes the extract itself) has one value per extract, so its weekly
series is stitched from successive extracts: the newest value for each week over this extract
and the earlier ones (``outputs.stitched_weeks``). ``kpi.kpi_spc`` holds that series' SPC.

An older extract loaded after a newer one gets no KPIs (the engine computes the newest loaded
extract only: ``engine.pending_extracts``), so it serves no week and changes no stored row.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.spc import SPC_SCHEMA, kpi_spc, same_as_head, with_assurance
from pipelines.lib.kpi.status import current_targets
from pipelines.lib.kpi.targets import Target

RESTATED_WEEKS = 13
_KEYS = {"la_code": pl.String, "kpi_id": pl.String, "extract_date": pl.Date, "week_end": pl.Date}
RESTATED_SCHEMA = _KEYS | {
    k: v for k, v in SPC_SCHEMA.items() if k not in ("la_code", "kpi_id", "grain", "extract_date")
}
WEEKS_SCHEMA = _KEYS | {
    # kpi_spc (its rows up to week_end) or kpi_spc_restated (the rows of the cut at week_end)
    "held_in": pl.String,
    "points": pl.Int64,
    "target_value": pl.Float64,
    "assurance": pl.String,
}


def served_weeks(con: duckdb.DuckDBPyConnection, la_code: str, extract: dt.date) -> list[dt.date]:
    """The Sundays whose pack ``extract`` serves, newest (its own week) first, at most
    ``RESTATED_WEEKS`` before its own."""
    own = extract - dt.timedelta(days=(extract.weekday() + 1) % 7)
    row = con.execute(
        "select max(extract_date) from kpi.kpi_runs where la_code = ? and extract_date < ?",
        [la_code, extract],
    ).fetchone()
    previous = row[0] if row else None
    weeks = [own - dt.timedelta(weeks=k) for k in range(RESTATED_WEEKS + 1)]
    return [day for day in weeks if previous is None or day > previous]


@dataclass(frozen=True)
class LaRules:
    """What an LA's SPC and targets depend on besides the values."""

    notices: Sequence[dt.date]  # the issue dates of its plans: limits are recalculated there
    recorded: Mapping[str, Sequence[dt.date]]  # per KPI, the la.yaml spc_changes dates
    targets: Sequence[Target]  # its plans' targets
    parameters: Mapping[str, float]  # the target parameters its la.yaml sets


def week_targets(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract: dt.date,
    week_end: dt.date,
    rules: LaRules,
    values: pl.DataFrame,
) -> dict[str, float | None]:
    """Per KPI with targets, the target the pack of the week ending ``week_end`` judges against
    (see the module's docstring); ``values``: the extract's KPI values, every grain."""
    judged = dict(
        con.execute(
            """select kpi_id, first(target_value order by due_date)
               from kpi.kpi_status
               where la_code = ? and extract_date = ? and is_current_target
                 and as_at_date = (select max(as_at_date) from kpi.kpi_status
                                   where la_code = ? and extract_date = ? and as_at_date <= ?)
               group by kpi_id""",
            [la_code, extract, la_code, extract, week_end],
        ).fetchall()
    )
    # Before the first month end the status judged, the target in force on the Sunday.
    in_force = current_targets(rules.targets, values, week_end, dict(rules.parameters))
    found: dict[str, float | None] = {}
    for kpi_id in {t.kpi_id for t in rules.targets}:
        held = judged.get(kpi_id)
        found[kpi_id] = float(held) if held is not None else in_force.get(kpi_id)
    return found


def pack_weeks(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract: dt.date,
    definitions: Sequence[KpiDefinition],
    weekly: Mapping[str, pl.DataFrame],
    spc: pl.DataFrame,
    rules: LaRules,
    values: pl.DataFrame,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(``kpi.kpi_spc_restated`` rows, ``kpi.kpi_spc_weeks`` rows) for the weeks ``extract``
    serves. ``weekly``: each KPI's weekly series (non-null values, by period end) that ``spc``,
    the extract's weekly ``kpi.kpi_spc`` rows, was computed from; ``values``: the extract's KPI
    values, every grain (a target can be the LA's own value)."""
    cuts, weeks = [], []
    own = {
        k[0]: rows.sort("period_end")
        for k, rows in spc.partition_by("kpi_id", as_dict=True).items()
    }
    for week_end in served_weeks(con, la_code, extract):
        in_force = week_targets(con, la_code, extract, week_end, rules, values)
        for kpi in definitions:
            series = weekly.get(kpi.id)
            if series is None:
                continue
            cut = series.filter(pl.col("period_end") <= week_end)
            if cut.is_empty():
                continue
            target = in_force.get(kpi.id)
            keys = {"la_code": la_code, "kpi_id": kpi.id, "extract_date": extract,
                    "week_end": week_end}  # fmt: skip
            if cut.height == series.height or same_as_head(kpi.kind, cut.height):
                held = own[kpi.id].head(cut.height)
                held_in = "kpi_spc"
            else:
                recorded = rules.recorded.get(kpi.id, [])
                held = kpi_spc(cut, kpi.kind, kpi.polarity, rules.notices, recorded, target)
                held_in = "kpi_spc_restated"
                cuts.append(held.with_columns(pl.lit(v).alias(k) for k, v in keys.items()))
            judged = with_assurance(held, kpi.polarity, target)["assurance"][-1]
            weeks.append(keys | {"held_in": held_in, "points": held.height,
                                 "target_value": target, "assurance": judged})  # fmt: skip
    restated = (
        pl.concat(cuts, how="vertical_relaxed").select(list(RESTATED_SCHEMA))
        if cuts
        else pl.DataFrame(schema=RESTATED_SCHEMA)
    )
    return restated, pl.DataFrame(weeks, schema=WEEKS_SCHEMA)
