"""Golden tests of the shared blocks that do the interval arithmetic for snapshot KPIs (issue 16):
person_status_stretches (a child's overlapping or adjoining plans make one stretch),
allocation_counts (distinct workers in the 12 months to D, across 29 February; a child counted
once in a caseload) and cp_review_deadlines (the day a plan first qualifies for the review measure
and the day it is late). Probe KPIs read the blocks; every expected number is worked out by hand
below. Extract dated Mon 31 March 2025; roles SW = allocated social worker (tests/conftest.py).
"""

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from pipelines.lib.kpi.definitions import KpiDefinition, load_definitions
from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2025-03-31"
# CP plans (person, start, end):
# - C1: P1 7-21 May 2023 and P2 from 14 May 2023, open: overlapping, one stretch from 7 May.
# - C2: P3 1-14 May 2023 and P4 14-31 May 2023: P4 starts the day P3 ends, one stretch to 31 May.
# - C3: P5 20-20 May 2023 ends the day it starts: on a plan on no day.
# - C4: P6 3-10 April 2023 and P7 20-25 April 2023: two stretches.
# Review measure (months_after clipped to the month end):
# - Q1 (C5) from 30 Nov 2024, no review: first deadline 30 Nov + 3 months = 28 Feb 2025; late
#   from 1 Mar 2025. Qualifies once D - 3 months >= 30 Nov: D - 3 months for 28 Feb is 28 Nov
#   (before the start), so from 1 Mar 2025.
# - Q2 (C6) from 15 Sep 2024, reviewed 10 Dec 2024 (deadline 15 Dec: met), next deadline 10 Jun
#   2025 (after the extract): never late by 31 Mar. Qualifies from 15 Dec 2024.
# - Q3 (C7) from 1 Aug 2024, reviewed 2 Nov 2024 (deadline 1 Nov: missed by a day): late from
#   2 Nov 2024. Qualifies from 1 Nov 2024.
PLANS = """
cppl_cp_plan_id,cppl_person_id,cppl_icpc_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,cppl_cp_plan_initial_category,cppl_cp_plan_latest_category
P1,C1,,2023-05-07,2023-05-21,NEG,NEG
P2,C1,,2023-05-14,,NEG,NEG
P3,C2,,2023-05-01,2023-05-14,NEG,NEG
P4,C2,,2023-05-14,2023-05-31,NEG,NEG
P5,C3,,2023-05-20,2023-05-20,NEG,NEG
P6,C4,,2023-04-03,2023-04-10,NEG,NEG
P7,C4,,2023-04-20,2023-04-25,NEG,NEG
Q1,C5,,2024-11-30,,NEG,NEG
Q2,C6,,2024-09-15,,NEG,NEG
Q3,C7,,2024-08-01,,NEG,NEG
"""
REVIEWS = """
cppr_cp_review_id,cppr_person_id,cppr_cp_plan_id,cppr_cp_review_due,cppr_cp_review_date
V1,C6,Q2,,2024-12-10
V2,C7,Q3,,2024-11-02
"""
# Involvements: child K1 with W1 1 Jun 2023 - 29 Feb 2024, W2 from 1 Mar 2024 and W3 from 1 Jun
# 2024: 3 distinct workers in the 12 months to D from 1 Jun 2024 until W1's end leaves the
# window: D - 12 months for 28 Feb 2025 is 28 Feb 2024 (before 29 Feb: still in), for 1 Mar 2025
# it is 1 Mar 2024 (out). So 3 at 28 Feb 2025, 2 from 1 Mar 2025 (Sunday 2 Mar: 2).
# Worker W9 holds child K2 through two overlapping involvements (1 Jan 2025 on, and 5 Jan - 1 Feb
# 2025): a caseload of 1, not 2, at Sunday 12 January 2025.
INVOLVEMENTS = """
invo_involvements_id,invo_professional_id,invo_professional_role_id,invo_professional_team,invo_involvement_start_date,invo_involvement_end_date,invo_worker_change_reason,invo_person_id
I1,W1,SW,T2,2023-06-01,2024-02-29,,K1
I2,W2,SW,T2,2024-03-01,,,K1
I3,W3,SW,T2,2024-06-01,,,K1
I4,W9,SW,T2,2025-01-01,,,K2
I5,W9,SW,T2,2025-01-05,2025-02-01,,K2
"""


# Probe KPIs: (id, the KPI whose tables it needs, shape, what it counts, from, where). Events
# probes count the days a block's dates fall on; spans probes count what is in force at D.
PROBES = [
    ("probe_cp_children", "cp_plans_open", "spans", "1", "person_status_stretches",
     "status = 'cp'"),
    # a child's stretch starting while an earlier one of the same status is still in force
    ("probe_cp_overlaps", "cp_plans_open", "events", "from_date", """(
        select b.from_date, a.status from person_status_stretches a
        join person_status_stretches b on b.person_id = a.person_id and b.status = a.status
         and b.from_date >= a.from_date and (a.to_date is null or b.from_date < a.to_date)
         and (b.from_date, b.to_date) is distinct from (a.from_date, a.to_date))""",
     "status = 'cp'"),
    ("probe_qualifying_from", "cp_plans_open", "events", "qualifying_from", "cp_review_deadlines",
     "true"),
    ("probe_missed_from", "cp_plans_open", "events", "missed_from", "cp_review_deadlines", "true"),
    ("probe_3plus_workers", "cp_3plus_social_workers_pct", "spans", "1", "allocation_counts",
     "count_of = 'workers_12m' and members >= 3"),
    ("probe_caseload", "cp_3plus_social_workers_pct", "spans", "members", "allocation_counts",
     "count_of = 'caseload' and key_id = 'W9'"),
]  # fmt: skip


def _probe(
    base: KpiDefinition, kpi_id: str, shape: str, measure: str, block: str, where: str
) -> KpiDefinition:
    """A count KPI over a block: events dated by ``measure``, or spans counting ``measure``."""
    if shape == "events":
        select = f"{measure} as event_date, 1 as numerator"
    else:
        select = f"from_date, to_date, {measure} as numerator"
    sql = f"select {select}, null as denominator from {block} where {where}"
    kind = "flow" if shape == "events" else "snapshot"
    return replace(
        base, id=kpi_id, shape=shape, sql=sql, kind=kind, per_extract=False, unit="count",
        denominator="none", dimensions=(),
    )  # fmt: skip


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    definitions = {k.id: k for k in load_definitions()}
    extra = [_probe(definitions[base], kpi_id, *rest) for kpi_id, base, *rest in PROBES]
    tables = {"ssd_cp_plans": PLANS, "ssd_cp_reviews": REVIEWS, "ssd_involvements": INVOLVEMENTS}
    path: Path = tmp_path_factory.mktemp("stretches")
    return run_kpis(path, tables, EXTRACT, ["cp_reviews_timely_pct"], extra=extra)


def test_a_child_on_overlapping_or_adjoining_plans_counts_once(out: KpiOutput) -> None:
    # Sunday 9 April 2023: C4 (P6); 16 April: none (P6 ended 10 April); 23 April: C4 (P7).
    assert out.row("probe_cp_children", "week", "2023-04-09")[0] == 1
    assert out.row("probe_cp_children", "week", "2023-04-16")[0] == 0
    assert out.row("probe_cp_children", "week", "2023-04-23")[0] == 1
    # Sunday 7 May: C1 (P1) and C2 (P3); 14 May: C1 (P1 and P2) and C2 (P3 ended that day, P4
    # started): 2 children; 21 May: C1 (P2) and C2 (P4); C3's plan never counts.
    for sunday in ("2023-05-07", "2023-05-14", "2023-05-21"):
        assert out.row("probe_cp_children", "week", sunday)[0] == 2
    # 31 May 2023: C2's P4 ended that day; C1 only.
    assert out.row("probe_cp_children", "month", "2023-05-31")[0] == 1
    # No child's stretch starts while another of theirs is in force.
    overlaps = out.values.filter(
        (pl.col("kpi_id") == "probe_cp_overlaps") & (pl.col("grain") == "week")
    )
    assert overlaps.height > 0
    assert overlaps["numerator"].sum() == 0


def test_cp_review_deadlines_qualifying_and_late_days(out: KpiOutput) -> None:
    # qualifying from 1 Nov 2024 (Q3), 15 Dec 2024 (Q2), 1 Mar 2025 (Q1)
    assert out.row("probe_qualifying_from", "month", "2024-11-30")[0] == 1
    assert out.row("probe_qualifying_from", "month", "2024-12-31")[0] == 1
    assert out.row("probe_qualifying_from", "month", "2025-03-31")[0] == 1
    # late from 2 Nov 2024 (Q3) and 1 Mar 2025 (Q1); Q2's 11 Jun 2025 is after the extract
    assert out.row("probe_missed_from", "month", "2024-11-30")[0] == 1
    assert out.row("probe_missed_from", "month", "2025-03-31")[0] == 1
    # 31 Mar 2025: C5, C6 and C7 qualify (C1's P2 too: open since May 2023, no review, late);
    # only C6 is timely: 1 of 4.
    assert out.row("cp_reviews_timely_pct", "month", "2025-03-31") == (1, 4, 25)
    # 28 Feb 2025: C1, C6, C7 qualify (C5 not yet); C6 timely: 1 of 3.
    assert out.row("cp_reviews_timely_pct", "month", "2025-02-28") == (1, 3, 33.333333)


def test_allocation_counts_across_29_february(out: KpiOutput) -> None:
    assert out.row("probe_3plus_workers", "month", "2024-05-31")[0] == 0
    assert out.row("probe_3plus_workers", "month", "2024-06-30")[0] == 1
    assert out.row("probe_3plus_workers", "month", "2025-02-28")[0] == 1
    assert out.row("probe_3plus_workers", "week", "2025-03-02")[0] == 0


def test_a_child_counts_once_in_a_caseload(out: KpiOutput) -> None:
    assert out.row("probe_caseload", "week", "2025-01-12")[0] == 1
    assert out.row("probe_caseload", "week", "2025-02-02")[0] == 1
