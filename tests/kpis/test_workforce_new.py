"""Golden tests: social workers over a caseload threshold (parameter caseload_threshold, 20),
and social workers starting and leaving (issue 18). Every expected number is worked out by hand
below. Extract dated Mon 31 July 2023.
"""

import pytest

from tests.kpis.harness import KpiOutput, run_kpis

EXTRACT = "2023-07-31"
PERIODS = """
worker_id,team_id,period_start,period_end,fte,agency,org_role,leaving_reason
W1,T1,2022-01-01,,1.0,N,1,
W2,T1,2022-01-01,,0.8,N,1,
W3,T2,2022-01-01,,1.0,N,2,
W4,T2,2023-03-01,,1.0,Y,1,
W5,T2,2022-01-01,,0,N,1,
W6,T2,2022-01-01,2023-05-31,1.0,N,1,left
W7,T1,2023-02-01,2023-04-30,1.0,N,1,
W7,T2,2023-04-30,,1.0,N,1,
W8,T1,2022-06-01,2023-03-15,1.0,N,1,left
W8,T1,2023-06-01,,1.0,N,1,
W9,T1,2023-02-10,2023-05-10,1.0,Y,1,
"""


def _involvements() -> str:
    """W1: 21 children from 1 Jan 2023, the 21st until 15 July; W2: 20; W3: 5; W4 (agency): 22
    from 1 March; W5 (FTE 0): 25; W6 (period ended 31 May): 23."""
    rows = ["invo_involvements_id,invo_professional_id,invo_professional_role_id,"
            "invo_professional_team,invo_involvement_start_date,invo_involvement_end_date,"
            "invo_worker_change_reason,invo_person_id"]  # fmt: skip
    for worker, children, start in (
        ("W1", 21, "2023-01-01"),
        ("W2", 20, "2023-01-01"),
        ("W3", 5, "2023-01-01"),
        ("W4", 22, "2023-03-01"),
        ("W5", 25, "2023-01-01"),
        ("W6", 23, "2023-01-01"),
    ):
        for k in range(1, children + 1):
            end = "2023-07-15" if (worker, k) == ("W1", 21) else ""
            rows.append(f"{worker}-{k},{worker},SW,,{start},{end},,{worker}C{k}")
    return "\n".join(rows) + "\n"


# caseload_over_threshold_pct: case holders = an open period at D with FTE > 0 and >= 1 child;
# numerator more than 20 children. W5 (FTE 0) is never a case holder; W6 is not once its period
# has ended (31 May: not open at the end of that day).
# - D = 2023-07-31: W1 20 (the 21st left on 15 July), W2 20 (exactly 20 is not over), W3 5, W4
#   22 -> 1 of 4 = 25. By team: T1 W1, W2 -> 0 of 2; T2 W3, W4 -> 1 of 2 = 50.
# - D = 2023-06-30: W1 21, W2 20, W3 5, W4 22 -> 2 of 4 = 50.
# - D = 2023-04-30: W1 21, W2, W3, W4 22, W6 23 -> 3 of 5 = 60.
# - D = 2023-02-28: W1 21, W2, W3, W6 23 (W4 not started) -> 2 of 4 = 50.
#
# sw_starters (employed, org_role 1-6, not continuing an earlier period), by start date:
# - January 2022: W1, W2, W3, W5, W6 -> 5 (FTE is not looked at).
# - February 2023: W7 (W9 is agency) -> 1. March 2023: W4 is agency -> 0.
# - April 2023: W7's second period starts 30 April, the day its first ends: a team move -> 0.
# - June 2023: W8 returns after a gap -> 1.
# sw_leavers (employed, ended, not continued), by end date:
# - March 2023: W8 (15 March; its next period starts 1 June) -> 1.
# - April 2023: W7's first period is continued the same day -> 0.
# - May 2023: W6 -> 1 (W9, agency, is not counted).


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    return run_kpis(
        tmp_path_factory.mktemp("workforce_new"),
        {"ext_worker_periods": PERIODS, "ssd_involvements": _involvements()},
        EXTRACT,
        ["caseload_over_threshold_pct", "sw_starters", "sw_leavers"],
    )


@pytest.mark.parametrize(
    ("kpi_id", "period_end", "expected"),
    [
        ("caseload_over_threshold_pct", "2023-07-31", (1, 4, 25)),
        ("caseload_over_threshold_pct", "2023-06-30", (2, 4, 50)),
        ("caseload_over_threshold_pct", "2023-04-30", (3, 5, 60)),
        ("caseload_over_threshold_pct", "2023-02-28", (2, 4, 50)),
        ("sw_starters", "2022-01-31", (5, None, 5)),
        ("sw_starters", "2023-02-28", (1, None, 1)),
        ("sw_starters", "2023-03-31", (0, None, 0)),
        ("sw_starters", "2023-04-30", (0, None, 0)),
        ("sw_starters", "2023-06-30", (1, None, 1)),
        ("sw_leavers", "2023-03-31", (1, None, 1)),
        ("sw_leavers", "2023-04-30", (0, None, 0)),
        ("sw_leavers", "2023-05-31", (1, None, 1)),
    ],
)
def test_workforce_measures(out: KpiOutput, kpi_id: str, period_end: str, expected: tuple) -> None:
    assert out.row(kpi_id, "month", period_end) == expected


def test_caseload_over_threshold_by_team(out: KpiOutput) -> None:
    by_team = out.dimension("caseload_over_threshold_pct", "team", "month", "2023-07-31")
    assert by_team == {"T1": (0, 2, 0), "T2": (1, 2, 50)}
