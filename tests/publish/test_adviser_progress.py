"""Progress or concern since the last adviser report: each rule of `adviser_progress.RULES` on a
hand-made plan and warehouse, the months compared, and the slow-to-progress and contributions
lists."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import duckdb
import pytest

from pipelines.lib.kpi.definitions import KpiDefinition, load_definitions
from pipelines.lib.kpi.engine import ensure_kpi_schema
from pipelines.lib.kpi.outputs import ensure_output_schema
from pipelines.lib.kpi.targets import DEFAULT_TOLERANCE, Plan, Target
from pipelines.lib.publish.adviser_progress import adviser_progress, judge, whole_month_before
from pipelines.lib.publish.changes import Figure

LA, EXTRACT = "900", dt.date(2024, 3, 31)
JAN, MAR = dt.date(2024, 1, 31), dt.date(2024, 3, 31)
# kpi -> (January value, March value, January RAG, March RAG, slow in March)
CASES = {
    "contact_decision_1wd_pct": (90.5, 91.4, "green", "green", False),  # progress: improved
    "mash_contact_seen_5d_pct": (81.9, 87.1, "amber", "amber", True),  # concern: slow
    "agency_rate_pct": (14.3, 14.26, "green", "green", False),  # steady: 14.3 both as printed
    "caseload_avg": (16.1, 17.0, "green", "amber", False),  # concern: RAG worse
    "cla_with_family_pct": (37.6, 37.0, "amber", "green", False),  # progress: RAG better
}
AREAS = {
    "mash_responses": ["contact_decision_1wd_pct", "mash_contact_seen_5d_pct"],
    "social_work_capacity": ["agency_rate_pct", "caseload_avg"],
    "placement_sufficiency": ["cla_with_family_pct"],
    "missing_education_ehe": [],
}


def _target(kpi_id: str, area: str) -> Target:
    return Target(
        plan_id="plan", kpi_id=kpi_id, area=area, value=50.0, value_parameter=None,
        value_from=None, direction="at_least", due=dt.date(2024, 12, 31), measure="snapshot",
        baseline_value=None, baseline_date=None, baseline_label=None,
        tolerance=DEFAULT_TOLERANCE, quote="q", note=None,
    )  # fmt: skip


PLAN = Plan(
    id="plan", title="Plan", issued=dt.date(2022, 10, 24), set_by="the council",
    areas={a: a.replace("_", " ") for a in AREAS},
    targets=tuple(_target(k, a) for a, kpis in AREAS.items() for k in kpis),
    path=None,  # type: ignore[arg-type]
    owners={"mash_responses": ("MASH service manager", "Police"), "placement_sufficiency": ("X",)},
)  # fmt: skip


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    ensure_kpi_schema(connection)
    ensure_output_schema(connection)
    connection.execute("insert into kpi.kpi_runs values (?, ?, 'h', 1, 1, null)", [LA, EXTRACT])
    for kpi_id, (jan, mar, rag_jan, rag_mar, slow) in CASES.items():
        for day, value, rag, slow_then in ((JAN, jan, rag_jan, False), (MAR, mar, rag_mar, slow)):
            connection.execute(
                "insert into kpi.kpi_values values (?, ?, 'month', ?, ?, null, null, ?, 'x', ?)",
                [LA, kpi_id, day, day, value, EXTRACT],
            )
            connection.execute(
                """insert into kpi.kpi_status (la_code, plan_id, kpi_id, as_at_date, rag,
                       is_current_target, slow_to_progress, reason, extract_date)
                   values (?, 'plan', ?, ?, ?, true, ?, 'r', ?)""",
                [LA, kpi_id, day, rag, slow_then, EXTRACT],
            )
    yield connection
    connection.close()


def kpis() -> list[KpiDefinition]:
    return list(load_definitions())


def test_months_compared_are_the_last_whole_months() -> None:
    # Six weeks before 31 March 2024 is 18 February: its last whole month is January.
    assert whole_month_before(dt.date(2024, 2, 18)) == JAN
    assert whole_month_before(MAR) == MAR
    assert whole_month_before(dt.date(2024, 3, 30)) == dt.date(2024, 2, 29)


def test_each_measure_and_area_by_the_rules(con: duckdb.DuckDBPyConnection) -> None:
    progress = adviser_progress(con, LA, PLAN, kpis(), EXTRACT)
    assert (progress.last_report, progress.month_then, progress.month_now) == (
        dt.date(2024, 2, 18),
        JAN,
        MAR,
    )
    verdicts = {m.kpi.id: (m.verdict, m.why) for a in progress.areas for m in a.measures}
    assert verdicts == {
        "contact_decision_1wd_pct": ("progress", "improved since the last report"),
        "mash_contact_seen_5d_pct": ("concern", "slow to progress"),
        "agency_rate_pct": ("steady", "no worse and no better since the last report"),
        "caseload_avg": ("concern", "green at the last report, amber now"),
        "cla_with_family_pct": ("progress", "amber at the last report, green now"),
    }
    areas = {a.area_id: a.verdict for a in progress.areas}
    assert areas == {
        "mash_responses": "concern",
        "social_work_capacity": "concern",
        "placement_sufficiency": "progress",
        "missing_education_ehe": "no measure",
    }
    assert [m.kpi.id for m in progress.slow_to_progress] == ["mash_contact_seen_5d_pct"]
    # Contributions: areas giving concern that name owners (social work capacity names none).
    assert [a.area_id for a in progress.contributions] == ["mash_responses"]


def test_red_is_concern_whatever_the_change() -> None:
    kpi = next(k for k in kpis() if k.id == "contact_decision_1wd_pct")
    then, now = Figure(JAN, 50.0, "in January 2024"), Figure(MAR, 60.0, "in March 2024")
    assert judge(kpi, then, now, "red", "red", False) == ("concern", "red now")
    # A neutral KPI never improves by its figure alone.
    neutral = replace(kpi, polarity="neutral")
    assert judge(neutral, then, now, None, None, False)[0] == "steady"


def test_nothing_to_compare_is_not_called_steady() -> None:
    # No January figure and no January RAG: the change is not known, so "no worse and no better"
    # would be untrue; a figure missing with both RAGs there still compares by the RAG.
    kpi = next(k for k in kpis() if k.id == "contact_decision_1wd_pct")
    then, now = Figure(JAN, None, "in January 2024"), Figure(MAR, 60.0, "in March 2024")
    assert judge(kpi, then, now, None, "green", False) == (
        "not comparable",
        "no figure for January 2024 to compare with",
    )
    assert judge(kpi, then, now, "green", "green", False)[0] == "steady"
    assert judge(kpi, then, now, "amber", "green", False)[0] == "progress"


def test_a_worse_figure_with_the_same_rag_is_steady_but_said_to_be_worse() -> None:
    # The 2010 demo's initial assessments: 78.4% green in July, 76.4% green in August 2011.
    kpi = next(k for k in kpis() if k.id == "contact_decision_1wd_pct")
    then, now = Figure(JAN, 78.4, "in July 2011"), Figure(MAR, 76.4, "in August 2011")
    assert judge(kpi, then, now, "green", "green", False) == (
        "steady",
        "worse than at the last report, but still green",
    )
    assert judge(kpi, then, now, None, None, False) == (
        "steady",
        "worse than at the last report, but no RAG to compare",
    )
    # The same figure as printed (78.44 and 78.36 are both 78.4%): no worse and no better.
    same = Figure(MAR, 78.36, "in August 2011")
    assert judge(kpi, Figure(JAN, 78.44, "in July 2011"), same, "green", "green", False) == (
        "steady",
        "no worse and no better since the last report",
    )


def test_a_report_in_the_same_month_as_the_last_compares_nothing() -> None:
    # Reports of 31 March and 7 April both read March: no figure can have changed, so a green
    # measure is not comparable (not "steady"); red or slow to progress is still concern.
    kpi = next(k for k in kpis() if k.id == "contact_decision_1wd_pct")
    then, now = Figure(MAR, 80.0, "in March 2024"), Figure(MAR, 80.0, "in March 2024")
    assert judge(kpi, then, now, "green", "green", False) == (
        "not comparable",
        "no month has ended since March 2024, the last report's",
    )
    assert judge(kpi, then, now, "red", "red", False) == ("concern", "red now")
    assert judge(kpi, then, now, "green", "green", True) == ("concern", "slow to progress")
