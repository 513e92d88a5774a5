"""Schedules (Europe/London): the clinic pack for Monday 06:00, the board report on the first
working day of the month at 07:00, the report to the DfE adviser every sixth Monday at 07:00.

Each asks the warehouse which LAs have something to publish; an LA with nothing new is skipped
with the reason, and a warehouse busy with a run is tried again at the next tick."""

import datetime as dt
import os
from collections.abc import Callable, Iterator

import dagster as dg

from pipelines.defs.jobs import publish_adviser, publish_board, publish_clinic_pack
from pipelines.defs.resources import Warehouse
from pipelines.lib import schedule_rules, warehouse
from pipelines.lib.publish.clinic import extract_for_week, week_start

TIMEZONE = "Europe/London"
ADVISER_ANCHOR_ENV = "CSC_ADVISER_ANCHOR"


def _las_with_kpis(context: dg.ScheduleEvaluationContext) -> list[str]:
    known = context.instance.get_dynamic_partitions("la")
    paths = Warehouse().paths
    if not known or not paths.warehouse.exists():
        return []
    with warehouse.connect(paths.warehouse, timeout_s=30) as con:
        return [
            code
            for (code,) in con.execute(
                "select distinct la_code from kpi.kpi_runs order by 1"
            ).fetchall()
            if code in known
        ]


def _today(context: dg.ScheduleEvaluationContext) -> dt.date:
    moment = context.scheduled_execution_time
    return moment.date() if moment else dt.date.today()


@dg.schedule(
    cron_schedule="0 6 * * 1",
    execution_timezone=TIMEZONE,
    job=publish_clinic_pack,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Monday 06:00: each LA's clinic pack for the week that ended on Sunday (the "
    "inbox sensor has usually made it already, from Sunday night's extract).",
)
def weekly_clinic_pack(
    context: dg.ScheduleEvaluationContext,
) -> Iterator[dg.RunRequest | dg.SkipReason]:
    week = week_start(_today(context))
    paths = Warehouse().paths
    requested = False
    for la_code in _las_with_kpis(context):
        with warehouse.connect(paths.warehouse, timeout_s=30) as con:
            extract = extract_for_week(con, la_code, week)
        if extract is None:
            yield dg.SkipReason(f"LA {la_code}: no extract covers the week of {week}")
            continue
        requested = True
        yield dg.RunRequest(
            run_key=f"clinic:{la_code}:{week}:{extract}",
            partition_key=dg.MultiPartitionKey({"la": la_code, "week": week.isoformat()}),
            tags={"la_code": la_code},
        )
    if not requested:
        yield dg.SkipReason(f"no LA has an extract covering the week of {week}")


def _adviser_anchor() -> dt.date:
    anchor = os.environ.get(ADVISER_ANCHOR_ENV)
    return dt.date.fromisoformat(anchor) if anchor else schedule_rules.ADVISER_ANCHOR


def _report_schedule(
    name: str,
    cron: str,
    job: "dg.UnresolvedAssetJobDefinition",
    description: str,
    not_due: Callable[[dt.date], str | None],
) -> dg.ScheduleDefinition:
    """A report for every LA with KPIs, on the days ``not_due`` has nothing against."""

    @dg.schedule(
        name=name,
        cron_schedule=cron,
        execution_timezone=TIMEZONE,
        job=job,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=description,
    )
    def _schedule(
        context: dg.ScheduleEvaluationContext,
    ) -> Iterator[dg.RunRequest | dg.SkipReason]:
        today = _today(context)
        reason = not_due(today)
        if reason:
            yield dg.SkipReason(reason)
            return
        for la_code in _las_with_kpis(context):
            yield dg.RunRequest(
                run_key=f"{name}:{la_code}:{today}",
                partition_key=la_code,
                tags={"la_code": la_code},
            )

    return _schedule


monthly_board_report = _report_schedule(
    "monthly_board_report",
    "0 7 1-7 * *",
    publish_board,
    "07:00 on the first working day of each month (bank holidays skipped): every LA's "
    "improvement board report.",
    lambda day: (
        None
        if schedule_rules.is_first_working_day(day)
        else f"{day} is not the first working day of the month"
    ),
)
six_weekly_adviser_report = _report_schedule(
    "six_weekly_adviser_report",
    "0 7 * * 1",
    publish_adviser,
    "07:00 every sixth Monday from CSC_ADVISER_ANCHOR (default 24 October 2022, the 2022 "
    "notice): every LA's progress report to the DfE adviser.",
    lambda day: (
        None
        if schedule_rules.is_adviser_week(day, _adviser_anchor())
        else f"{day} is not a six-weekly adviser date (from {_adviser_anchor()})"
    ),
)
