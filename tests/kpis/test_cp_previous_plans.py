"""Golden test: cp_second_subsequent_pct with the number of previous plans a source gives
(ssd_cp_plans.cppl_previous_cp_plans, from the CIN census NumberOfPreviousCPP): "previously the
subject of a plan of that council, regardless of how long ago". Extract of 31 July 2023.

- Q1 (C1, 3 Jul 2023): 2 previous plans, none of them in the extract -> second or subsequent.
- Q2 (C2, 4 Jul 2023): 0 previous, no earlier plan in the extract -> first.
- Q3 (C3, 5 Jul 2023): number blank; C3's plan Q4 of 1 Jan 2020 is in the extract -> subsequent.
- Q4 (C3, 1 Jan 2020): number blank, nothing earlier -> first.
- Q5 (C4, 6 Jul 2023): 0 previous, but C4's plan Q6 of 1 Jan 2022 is in the extract: the
  extract's own plan shows it is not a first -> subsequent.
- Q6 (C4, 1 Jan 2022): 0 previous -> first.

July 2023: Q1, Q3, Q5 of Q1, Q2, Q3, Q5 -> 3 / 4 = 75%. Without the column (an SSD extract that
leaves it out) Q1 looks like a first plan: 2 / 4 = 50%.
"""

from pathlib import Path

from tests.kpis.harness import run_kpis

KPI = "cp_second_subsequent_pct"
HEADER = (
    "cppl_cp_plan_id,cppl_person_id,cppl_icpc_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,"
    "cppl_cp_plan_initial_category,cppl_cp_plan_latest_category"
)
ROWS = [
    ("Q1,C1,,2023-07-03,,NEG,NEG", "2"),
    ("Q2,C2,,2023-07-04,,NEG,NEG", "0"),
    ("Q3,C3,,2023-07-05,,NEG,NEG", ""),
    ("Q4,C3,,2020-01-01,2020-06-01,NEG,NEG", ""),
    ("Q5,C4,,2023-07-06,,NEG,NEG", "0"),
    ("Q6,C4,,2022-01-01,2022-06-30,NEG,NEG", "0"),
]


def test_previous_plans_count_when_the_source_gives_them(tmp_path: Path) -> None:
    plans = "\n".join([HEADER + ",cppl_previous_cp_plans", *(f"{r},{n}" for r, n in ROWS)])
    out = run_kpis(tmp_path, {"ssd_cp_plans": plans}, "2023-07-31", [KPI])
    assert out.row(KPI, "month", "2023-07-31") == (3, 4, 75)
    assert out.row(KPI, "month", "2020-01-31") == (0, 1, 0)


def test_without_the_number_only_the_extracts_plans_are_seen(tmp_path: Path) -> None:
    plans = "\n".join([HEADER, *(r for r, _ in ROWS)])
    out = run_kpis(tmp_path, {"ssd_cp_plans": plans}, "2023-07-31", [KPI])
    assert out.row(KPI, "month", "2023-07-31") == (2, 4, 50)
