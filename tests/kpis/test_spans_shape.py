"""The engine's ``spans`` shape: a KPI gives the stretches of days in which a unit counts and the
engine counts them at every period end, by team and service area too.

The spans below are literal rows, so the expected values are worked out from them by hand; the
same spans given as ``as_at`` rows (one per as-at date in each span) must give every period and
dimension value the same numbers, whole-number and fractional measures alike."""

import datetime as dt
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from pipelines.lib.kpi.definitions import KpiDefinition, load_definitions
from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-07-31"
# Any table with a dated row in the fixture lets the probe KPIs' series start (on 2023-03-06).
ASSESSMENTS = """
cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_child_seen,cina_assessment_auth_date,cina_assessment_outcome_nfa,cina_assessment_team,cina_assessment_worker_id
S1,P1,R1,2023-03-06,Y,2023-05-12,N,T1,W1
"""
LA_YAML = """
la_code: "900"
la_name: Test LA
service_areas:
  T1: fieldwork
  T2: fieldwork
  T3: children_in_care
"""
# (from_date, to_date, team, numerator, denominator):
#   A: T1, 7 May (a Sunday) up to 21 May (not counted on 21 May), in the numerator;
#   B: T2, 14 May onward, not in the numerator;
#   C: T3, 1 May - 31 May (counted on 30 May, not on 31 May), in the numerator;
#   D: T1, 20 May - 20 May: ends the day it starts, so it never counts;
#   E: no team, 28 May onward, in the numerator.
SPANS = """
    select * from (values
        (date '2023-05-07', date '2023-05-21', 'T1', {n1}, {d}),
        (date '2023-05-14', null, 'T2', {n0}, {d}),
        (date '2023-05-01', date '2023-05-31', 'T3', {n1}, {d}),
        (date '2023-05-20', date '2023-05-20', 'T1', {n1}, {d}),
        (date '2023-05-28', null, null, {n1}, {d})
    ) t(from_date, to_date, team, numerator, denominator)
"""
WHOLE = {"n1": "1", "n0": "0", "d": "1"}
FRACTION = {"n1": "0.5::double", "n0": "0.0::double", "d": "1.0::double"}
AS_AT = """
    select a.as_at_date, s.team, s.numerator, s.denominator
    from ({spans}) s
    join as_at_dates a
      on a.as_at_date >= s.from_date and (s.to_date is null or a.as_at_date < s.to_date)
"""


def _probe(base: KpiDefinition, kpi_id: str, shape: str, sql: str) -> KpiDefinition:
    return replace(base, id=kpi_id, shape=shape, sql=sql, kind="snapshot", per_extract=False)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    base = next(k for k in load_definitions() if k.id == "assessments_45wd_pct")
    assert base.dimensions == ("team",) and base.unit == "percent"
    extra = []
    for name, numbers in (("whole", WHOLE), ("fraction", FRACTION)):
        spans = SPANS.format(**numbers)
        extra.append(_probe(base, f"probe_{name}_spans", "spans", spans))
        extra.append(_probe(base, f"probe_{name}_as_at", "as_at", AS_AT.format(spans=spans)))
    path: Path = tmp_path_factory.mktemp("spans")
    return run_kpis(path, {"ssd_cin_assessments": ASSESSMENTS}, EXTRACT, [], LA_YAML, extra=extra)


@pytest.mark.parametrize("name", ["whole", "fraction"])
def test_spans_count_at_each_period_end(out: KpiOutput, name: str) -> None:
    kpi = f"probe_{name}_spans"
    half = 0.5 if name == "fraction" else 1
    # Sunday 7 May: A starts that day, C is in force: 2 in the numerator of 2.
    assert out.row(kpi, "week", "2023-05-07") == (2 * half, 2, 100 * half)
    # Sunday 14 May: A, B (not in the numerator) and C.
    assert out.row(kpi, "week", "2023-05-14") == (2 * half, 3, round(200 * half / 3, 6))
    # Sunday 21 May: A ended that day (out); D never counts: B and C.
    assert out.row(kpi, "week", "2023-05-21") == (1 * half, 2, 50 * half)
    # 31 May (month end): C ended that day; B and E (no team).
    assert out.row(kpi, "month", "2023-05-31") == (1 * half, 2, 50 * half)
    # April: nothing in force; a denominator of 0 has no value.
    assert out.row(kpi, "month", "2023-04-30") == (0, 0, None)
    # By team at 14 May: T1 (A), T2 (B), T3 (C); E has not started, so no blank team.
    assert out.dimension(kpi, "team", "week", "2023-05-14") == {
        "T1": (half, 1, 100 * half),
        "T2": (0, 1, 0),
        "T3": (half, 1, 100 * half),
    }
    # Service areas at 28 May: fieldwork = T2 (B); children_in_care = T3 (C); E has no team.
    assert out.dimension(kpi, "service_area", "week", "2023-05-28") == {
        "fieldwork": (0, 1, 0),
        "children_in_care": (half, 1, 100 * half),
        None: (half, 1, 100 * half),
    }
    # A team with no span in force at a period end has no row then (T1 after 21 May).
    assert "T1" not in out.dimension(kpi, "team", "month", "2023-05-31")


@pytest.mark.parametrize("name", ["whole", "fraction"])
def test_spans_equal_as_at_rows_in_every_period(out: KpiOutput, name: str) -> None:
    spans, as_at = f"probe_{name}_spans", f"probe_{name}_as_at"
    for frame in (out.values, out.by_dimension):
        keys = [c for c in frame.columns if c not in ("kpi_id", "extract_date")]
        left = frame.filter(pl.col("kpi_id") == spans).select(keys).sort(keys, nulls_last=True)
        right = frame.filter(pl.col("kpi_id") == as_at).select(keys).sort(keys, nulls_last=True)
        assert left.height > 0
        assert left.equals(right)
    assert out.values.filter(pl.col("kpi_id") == spans)["period_end"].min() == dt.date(2023, 3, 12)
