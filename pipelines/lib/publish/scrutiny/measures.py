"""One KPI's published figure: its value, numerator and denominator for a period, each rounded
as published and given a status where it must not be shown (small counts suppressed by the
disclosure policy, ``kpi_definitions/disclosure.yaml``)."""

import calendar
import datetime as dt
from typing import Any

import polars as pl

from pipelines.lib.formatting import round_half_up
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.publish.disclosure import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    SUPPRESSED,
    DisclosurePolicy,
    derived_status,
    rounded_status,
)
from pipelines.lib.publish.suppression import complement_is_small

# Units whose numerator is a length of time, not a count of children (the denominator is).
DURATION_UNITS = ("weeks", "days")
PARTS = ("value", "numerator", "denominator")
# Column prefixes of the latest month's figure and the same month a year earlier.
LATEST, LAST_YEAR = "", "last_year_"
# The columns of a figure in both months: dates, and each part with its status.
MEASURE_SCHEMA = {
    **{f"{prefix}{name}": dtype for prefix in (LATEST, LAST_YEAR)
       for name, dtype in (("period_start", pl.Date), ("period_end", pl.Date))},
    **{f"{prefix}{part}{suffix}": (pl.Float64 if not suffix else pl.String)
       for prefix in (LATEST, LAST_YEAR) for part in PARTS for suffix in ("", "_status")},
}  # fmt: skip


def same_month_last_year(period_start: dt.date) -> tuple[dt.date, dt.date]:
    year, month = period_start.year - 1, period_start.month
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def primary_suppression(
    kpi: KpiDefinition,
    policy: DisclosurePolicy,
    numerator: float | None,
    denominator: float | None,
    value: float | None,
) -> set[str]:
    """The parts of an LA-level figure that are small counts."""
    if policy.is_exempt(kpi.id):
        return set()
    if kpi.denominator == "none":
        return {"value"} if policy.is_small(value) else set()
    small = set()
    if kpi.unit not in DURATION_UNITS and policy.is_small(numerator):
        small.add("numerator")
    # A population is not a count to protect; every other denominator counts children or FTEs.
    if kpi.denominator != "population" and policy.is_small(denominator):
        small.add("denominator")
    if (
        kpi.unit == "percent"
        and "denominator" not in small
        and complement_is_small(numerator, denominator, policy)
    ):
        small.add("numerator")  # the count left out (3 late of 35) would show by subtraction
    return small


def component_decimals(value: float, policy: DisclosurePolicy) -> int:
    # Numerators and denominators are whole counts, except FTEs and lengths of time.
    return 0 if float(value).is_integer() else policy.other_decimals


def measure(
    kpi: KpiDefinition,
    policy: DisclosurePolicy,
    prefix: str,
    *,
    present: bool,
    missing: str = NOT_AVAILABLE,
    numerator: float | None,
    denominator: float | None,
    value: float | None,
    suppress: set[str],
) -> dict[str, Any]:
    """A figure's value, numerator and denominator as published: rounded, with a status each;
    a number with a status (suppressed, not applicable...) is dropped, so it cannot leak."""
    if not present:
        numbers: dict[str, float | None] = dict.fromkeys(PARTS)
        statuses: dict[str, str | None] = dict.fromkeys(PARTS, missing)
    elif kpi.denominator == "none":
        # The value is itself the count (or the FTE): there is no numerator or denominator.
        numbers = {"value": value, "numerator": None, "denominator": None}
        statuses = {"value": None, "numerator": NOT_APPLICABLE, "denominator": NOT_APPLICABLE}
        if suppress & {"value", "numerator"}:
            statuses["value"] = SUPPRESSED
        elif value is None:
            statuses["value"] = NOT_AVAILABLE
    else:
        numbers = {"value": value, "numerator": numerator, "denominator": denominator}
        statuses = {}
        for part in ("numerator", "denominator"):
            if part in suppress:
                statuses[part] = SUPPRESSED
            elif numbers[part] is None:
                statuses[part] = NOT_AVAILABLE
            else:
                statuses[part] = None
        if (
            statuses["denominator"] == SUPPRESSED
            and kpi.unit in DURATION_UNITS
            and statuses["numerator"] is None
        ):
            # A total length of time over a suppressed number of cases goes with it.
            statuses["numerator"] = SUPPRESSED
        if value is None:
            statuses["value"] = NOT_APPLICABLE if denominator == 0 else NOT_AVAILABLE
        else:
            statuses["value"] = SUPPRESSED if "value" in suppress else None
        statuses["value"] = derived_status(
            statuses["value"], [statuses["numerator"], statuses["denominator"]]
        )
    row: dict[str, Any] = {}
    for part in PARTS:
        number, status = numbers[part], statuses[part]
        if number is not None and status is None:
            decimals = (
                policy.decimals(kpi.unit) if part == "value" else component_decimals(number, policy)
            )
            status = rounded_status(number, status, decimals)
            number = round_half_up(number, decimals) + 0.0 if status is None else None
        row[f"{prefix}{part}"] = number if status is None else None
        row[f"{prefix}{part}_status"] = status
    return row
