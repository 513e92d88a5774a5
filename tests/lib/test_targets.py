"""Targets files: the notice quoted word for word, and the RAG tolerance relative to the target."""

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from pipelines.lib.kpi.definitions import DefinitionError, KpiDefinition
from pipelines.lib.kpi.status import compute_status, rag
from pipelines.lib.kpi.targets import DEFAULT_TOLERANCE, Target, Tolerance, load_plan, load_plans
from tests.conftest import shared_or_skip

D = dt.date


def _normalised(text: str) -> str:
    # Whitespace-normalised; the source's list bullets ("- ") are layout, not words.
    return " ".join(re.sub(r"(?m)^\s*-\s+", " ", text).split())


def test_every_quote_of_the_2010_notice_is_found_verbatim_in_the_notice() -> None:
    plan = load_plans()["improvement_notice_2010"]
    source = shared_or_skip(
        "reference/source-documents/improvement-notice-2010-nottinghamshire.txt"
    )
    text = _normalised(source.read_text(encoding="utf-8"))
    for target in plan.targets:
        for passage in target.quote_parts:
            assert passage in text, f"{target.target_id}: {passage!r} is not in the notice"
    quotes = " ".join(t.quote for t in plan.targets)
    # Kept as the notice writes them (and read, in a note, as what they mean).
    assert "31 September 2010" in quotes
    assert "provisional 2009-10 baseline of 54%" in quotes
    cp = next(t for t in plan.targets if t.kpi_id == "cp_reviews_timely_pct")
    assert cp.quote == (
        "Ensure that statutory timescales are met for the review of child protection cases."
    )
    assert cp.note and cp.note.startswith("Interpretation")
    september = next(t for t in plan.targets if "31 September" in t.quote)
    assert september.due == D(2010, 9, 30) and "30 September 2010" in (september.note or "")


def test_the_six_assessment_milestones_have_their_own_measures() -> None:
    plan = load_plans()["improvement_notice_2010"]
    found = [
        (t.kpi_id.split("_")[0], t.value, t.due, t.measure)
        for t in plan.targets
        if "assessments" in t.kpi_id
    ]
    assert sorted(found) == sorted(
        [(kind, v, due, m) for kind, first in (("initial", 60.0), ("core", 55.0))
         for v, due, m in ((first, D(2010, 9, 30), "in_month"), (70.0, D(2011, 3, 31), "in_month"),
                           (75.0, D(2011, 6, 30), "cumulative_quarter"))]
    )  # fmt: skip


# RAG: the band is 10% of the target value by default, on the wrong side only.
@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        (7.5, 3.3, "at_most", "red"),  # more than double an "at most": red (band 0.33)
        (3.6, 3.3, "at_most", "amber"),  # 0.3 above, within 0.33
        (3.0, 3.3, "at_most", "green"),
        (7.04, 7.0, "at_most", "amber"),  # rounds to 7.0 but misses it
        (67.5, 75.0, "at_least", "amber"),  # exactly 10% of 75 short: amber
        (67.4, 75.0, "at_least", "red"),
        (80.0, 75.0, "at_least", "green"),
    ],
)
def test_default_tolerance_is_relative_to_the_target(
    value: float, target: float, direction: str, expected: str
) -> None:
    assert rag(value, target, direction, DEFAULT_TOLERANCE.band(target)) == expected


def _plan(tmp_path: Path, plan_tolerance: str, target_tolerance: str) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(
        f"""id: p
title: P
issued: 2023-01-01
set_by: test
{plan_tolerance}
areas: [{{id: a, title: A}}]
targets:
  - {{kpi_id: k_pct, area: a, value: 10, direction: at_most, due: 2023-06-30,
      measure: in_month, quote: q{target_tolerance}}}
  - {{kpi_id: k2_pct, area: a, value: 10, direction: at_most, due: 2023-06-30,
      measure: in_month, quote: q}}
""",
        encoding="utf-8",
    )
    return path


def test_tolerance_per_plan_and_per_target(tmp_path: Path) -> None:
    plan = load_plan(_plan(tmp_path, "tolerance: {relative: 0.25}", ", tolerance: 2"))
    first, second = plan.targets
    assert first.tolerance == Tolerance("absolute", 2.0)  # the target's own
    assert second.tolerance == Tolerance("relative", 0.25)  # the plan's
    assert second.tolerance.band(10.0) == 2.5
    with pytest.raises(DefinitionError, match="tolerance must be"):
        load_plan(_plan(tmp_path, "tolerance: {percent: 5}", ""))


def test_a_value_that_rounds_to_the_target_but_misses_it_says_so() -> None:
    kpi = KpiDefinition(
        id="vacancy_rate_pct", label="Vacancy rate", description="d", area="workforce",
        notice_areas=(), kind="snapshot", shape="as_at", unit="percent", polarity="down",
        tables=(), optional_tables=(), source="s", assumptions=(), dimensions=(),
    )  # fmt: skip
    target = Target(
        plan_id="p", kpi_id=kpi.id, area="a", value=7.0, value_parameter=None, value_from=None,
        direction="at_most", due=D(2011, 6, 30), measure="snapshot", baseline_value=None,
        baseline_date=None, baseline_label=None, tolerance=None, quote="q", note=None,
    )  # fmt: skip
    values = pl.DataFrame(
        {"kpi_id": [kpi.id], "grain": ["month"], "period_start": [D(2011, 6, 1)],
         "period_end": [D(2011, 6, 30)], "numerator": [7.04], "denominator": [100.0],
         "value": [7.04]}
    )  # fmt: skip
    row = compute_status("1", D(2011, 7, 4), values, [kpi], [target]).row(0, named=True)
    assert (row["met"], row["rag"]) == (False, "amber")
    assert row["reason"] == "not met on 30 Jun 2011: 7.04%, just above the 7.0% maximum"
