"""A KPI's era: no figure for a period in which its events could not exist.

One extract, dated Sunday 29 June 2014, spanning the change from initial and core assessments to
the single assessment (2013-14): I1 an initial assessment started Mon 4 Feb 2013 and authorised
Wed 6 Feb 2013 (2 working days), S1 a single assessment started Thu 1 May 2014 and authorised
Tue 6 May 2014 (Mon 5 May is a bank holiday: 2 working days).
"""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from pipelines.lib.kpi.definitions import DefinitionError, load_definitions
from pipelines.lib.kpi.eras import _era_from_file, era, not_applicable
from tests.kpis.harness import run_kpis

D = dt.date
ASSESSMENTS = """
cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_child_seen,cina_assessment_auth_date,cina_assessment_outcome_nfa,cina_assessment_team,cina_assessment_worker_id
I1,P1,,2013-02-04,Y,2013-02-06,N,T1,W1
S1,P2,,2014-05-01,Y,2014-05-06,N,T1,W1
"""
TYPES = """
assessment_id,assessment_type
I1,initial
"""


def test_a_series_crossing_the_era_has_no_figure_outside_it(tmp_path: Path) -> None:
    out = run_kpis(
        tmp_path,
        {"ssd_cin_assessments": ASSESSMENTS, "ext_assessment_types": TYPES},
        "2014-06-29",
        ["assessments_completed", "initial_assessments_7wd_pct"],
    )
    completed = out.values.filter(pl.col("kpi_id") == "assessments_completed")
    initial = out.values.filter(pl.col("kpi_id") == "initial_assessments_7wd_pct")
    # Single assessments: periods ending before 1 April 2013 are absent, not 0.
    assert completed["period_end"].min() >= D(2013, 4, 1)
    assert out.row("assessments_completed", "month", "2014-05-31") == (1, None, 1)
    assert out.row("assessments_completed", "month", "2013-04-30") == (0, None, 0)
    # Initial assessments: periods starting after 31 March 2014 are absent.
    assert initial["period_start"].max() <= D(2014, 3, 31)
    assert out.row("initial_assessments_7wd_pct", "month", "2013-02-28") == (1, 1, 100)
    assert out.available("assessments_completed") == (True, None)
    assert out.available("initial_assessments_7wd_pct") == (True, None)


def test_span_wholly_outside_the_era_is_not_applicable() -> None:
    by_id = {k.id: k for k in load_definitions()}
    single = by_id["assessments_completed"]
    assert not_applicable(single, D(2010, 4, 1), D(2013, 3, 31)) is not None
    assert not_applicable(single, D(2010, 4, 1), D(2013, 4, 1)) is None  # touches the era
    initial = by_id["initial_assessments_7wd_pct"]
    assert not_applicable(initial, D(2014, 3, 31), D(2020, 1, 1)) is None
    assert not_applicable(initial, D(2014, 4, 1), D(2020, 1, 1)) is not None
    assert era(by_id["contacts_received"]) is None


def test_an_era_needs_its_reason_and_source(tmp_path: Path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text("id: k\napplies_from: 2013-04-01\napplies_reason: why\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match="applies_source"):
        _era_from_file(path)
