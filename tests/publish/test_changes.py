"""'From X (date) to Y (date)' sentences: the figures are the month values `export kpis` gives,
rounded half up; the change is the difference of the printed figures; the verdict follows the
KPI's polarity. Every expected sentence below is worked out by hand from the rows written."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import duckdb
import pytest

from pipelines.lib.kpi.definitions import KpiDefinition, load_definitions
from pipelines.lib.kpi.engine import ensure_kpi_schema
from pipelines.lib.kpi.targets import DEFAULT_TOLERANCE, Target
from pipelines.lib.publish.changes import baseline_change, month_change

LA = "900"
OLD, NEW = dt.date(2023, 11, 30), dt.date(2023, 12, 3)
# (kpi_id, grain, period_end, value, extract_date): the newest extract (NEW) is the current one.
ROWS = [
    ("assessments_45wd_pct", "month", "2023-01-31", 32.04, NEW),
    ("assessments_45wd_pct", "month", "2023-11-30", 40.06, NEW),
    ("assessments_45wd_pct", "month", "2023-11-30", 99.0, OLD),  # superseded: never read
    ("assessments_45wd_pct", "month", "2023-06-30", 32.0, NEW),
    ("assessments_45wd_pct", "month", "2023-07-31", 32.04, NEW),
    ("cp_share_of_open_cases_pct", "month", "2022-10-31", 7.7, NEW),
    ("cp_share_of_open_cases_pct", "month", "2023-11-30", 3.25, NEW),
    ("cla_open", "month", "2023-01-31", 412, NEW),
    ("cla_open", "month", "2023-11-30", 455, NEW),
    ("turnover_rate_pct", "month", "2023-11-30", 18.0, NEW),
    ("turnover_rate_pct", "rolling_12m", "2023-11-30", 18.0, NEW),
    ("turnover_rate_pct", "rolling_12m", "2023-01-31", 21.25, NEW),
]


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    ensure_kpi_schema(connection)
    for kpi_id, grain, end, value, extract in ROWS:
        connection.execute(
            "insert into kpi.kpi_values values (?, ?, ?, ?, ?, null, null, ?, 'percent', ?)",
            [LA, kpi_id, grain, end, end, value, extract],
        )
    for extract in (OLD, NEW):
        connection.execute("insert into kpi.kpi_runs values (?, ?, 'h', 1, 1, null)", [LA, extract])
    yield connection
    connection.close()


def kpi(kpi_id: str) -> KpiDefinition:
    return next(k for k in load_definitions() if k.id == kpi_id)


def target(kpi_id: str, **fields: object) -> Target:
    base = Target(
        plan_id="plan", kpi_id=kpi_id, area="a", value=10.0, value_parameter=None,
        value_from=None, direction="at_most", due=dt.date(2024, 3, 31), measure="snapshot",
        baseline_value=None, baseline_date=None, baseline_label=None,
        tolerance=DEFAULT_TOLERANCE, quote="q", note=None,
    )  # fmt: skip
    return replace(base, **fields)  # type: ignore[arg-type]


# (KPI, first month end, second month end, measure, the sentence worked out by hand)
MONTH_CASES = [
    # A flow KPI, rising is better: 32.04 prints 32.0; 40.06 prints 40.1; 40.1 - 32.0 = 8.1
    # (not 8.02 -> 8.0).
    ("assessments_45wd_pct", "2023-01-31", "2023-11-30", None,
     "Assessments completed within 45 working days: from 32.0% in January 2023 "
     "to 40.1% in November 2023, up 8.1 points, an improvement."),
    # Figures that print the same are no change: 32.0 and 32.04 both print 32.0%.
    ("assessments_45wd_pct", "2023-06-30", "2023-07-31", None,
     "Assessments completed within 45 working days: from 32.0% in June 2023 "
     "to 32.0% in July 2023, no change."),
    # A snapshot is at the month end; a neutral KPI has no verdict.
    ("cla_open", "2023-01-31", "2023-11-30", None,
     "Children looked after: from 412 at the end of January 2023 "
     "to 455 at the end of November 2023, up 43."),
    # A rolling measure names its 12 months; 21.25 rounds half up to 21.3; 21.3 - 18.0 = 3.3;
    # turnover falling is better.
    ("turnover_rate_pct", "2023-01-31", "2023-11-30", "rolling_12m",
     "Social worker turnover (12 months): from 21.3% in the 12 months to January 2023 "
     "to 18.0% in the 12 months to November 2023, down 3.3 points, an improvement."),
    # A month without a figure is said.
    ("assessments_45wd_pct", "2022-12-31", "2023-11-30", None,
     "Assessments completed within 45 working days: no figure for December 2022, "
     "so no change can be given."),
]  # fmt: skip


@pytest.mark.parametrize(("kpi_id", "first", "last", "measure", "expected"), MONTH_CASES)
def test_two_months(
    con: duckdb.DuckDBPyConnection,
    kpi_id: str,
    first: str,
    last: str,
    measure: str | None,
    expected: str,
) -> None:
    day = dt.date.fromisoformat
    assert month_change(con, kpi(kpi_id), LA, day(first), day(last), measure) == expected


def test_from_a_baseline_the_la_measured(con: duckdb.DuckDBPyConnection) -> None:
    # Baseline given as a date only: the LA's own figure then (7.7%); 3.25 prints 3.3 (half up).
    targets = [target("cp_share_of_open_cases_pct", baseline_date=dt.date(2022, 10, 31))]
    text = baseline_change(con, kpi("cp_share_of_open_cases_pct"), LA, targets, OLD)
    assert text == (
        "Share of open cases on a child protection plan: from 7.7% at the end of October 2022 "
        "(the baseline) to 3.3% at the end of November 2023, down 4.4 points, an improvement."
    )


def test_from_a_baseline_the_notice_gives(con: duckdb.DuckDBPyConnection) -> None:
    targets = [
        target(
            "assessments_45wd_pct", direction="at_least", value=60.0, measure="in_month",
            due=dt.date(2024, 3, 31), baseline_value=54.0, baseline_date=dt.date(2010, 3, 31),
            baseline_label="provisional 2009-10 baseline",
        )
    ]  # fmt: skip
    text = baseline_change(con, kpi("assessments_45wd_pct"), LA, targets, OLD)
    assert text == (
        "Assessments completed within 45 working days: from 54.0% (provisional 2009-10 "
        "baseline, 31 March 2010) to 40.1% in November 2023, down 13.9 points, a deterioration."
    )
    assert baseline_change(con, kpi("assessments_45wd_pct"), LA, [target("x")], OLD) is None
