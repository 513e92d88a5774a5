"""turnover_rate_pct as the workforce census counts leavers (LAIT 287, domain notes section 9):
a move to an agency post or to another role in the council is a leaving, a move between teams is
not, and those who started and left in the same year are left out.

Fixture (every worker employed, agency N, org_role 5 unless said), extract of Fri 30 Jun 2023:

- X1 1.0 from 1 Jan 2020 to 31 Mar 2023, then agency (contiguous, open): moved to agency.
- X2 1.0 from 1 Jan 2020 to 28 Feb 2023, then blank org_role (contiguous, open): another role.
- X3 1.0 from 1 Sep 2022 to 31 May 2023: started and left within 12 months.
- X4 0.5 from 30 Jun 2022 to 15 Jun 2023: started exactly 12 months before 30 Jun 2023.
- X5 1.0 T1 from 1 Jan 2020 to 31 Jan 2023, then T2 1.0 (contiguous, open): a team move.
- X6, X7, X8 1.0 from 1 Jan 2020, open.

30 Jun 2023, window (30 Jun 22, 30 Jun 23]: leavers X1 1.0 + X2 1.0 + X4 0.5 = 2.5 (X3 started
1 Sep 22, inside the window: out; X5 moved team). In post: X5, X6, X7, X8 = 4.0 -> 62.5%.
31 Mar 2023, window (31 Mar 22, 31 Mar 23]: X1's employed period ends on D (a leaver, no longer in
post) and X2 left 28 Feb: 2.0. In post: X3 1 + X4 0.5 + X5, X6, X7, X8 4 = 5.5 -> 36.363636%.
31 Jan 2023: X5's T1 period ends on D but its T2 period starts on D, so no leaver. In post:
X1 1 + X2 1 + X3 1 + X4 0.5 + X5 1 (T2) + X6, X7, X8 3 = 7.5 -> 0%.
"""

from pathlib import Path

from tests.kpis.harness import run_kpis

PERIODS = """
worker_id,team_id,period_start,period_end,fte,agency,org_role,leaving_reason
X1,T1,2020-01-01,2023-03-31,1.0,N,5,
X1,T1,2023-03-31,,1.0,Y,5,
X2,T1,2020-01-01,2023-02-28,1.0,N,5,
X2,T1,2023-02-28,,1.0,N,,
X3,T2,2022-09-01,2023-05-31,1.0,N,5,resigned
X4,T2,2022-06-30,2023-06-15,0.5,N,5,resigned
X5,T1,2020-01-01,2023-01-31,1.0,N,5,
X5,T2,2023-01-31,,1.0,N,4,
X6,T1,2020-01-01,,1.0,N,5,
X7,T1,2020-01-01,,1.0,N,5,
X8,T2,2020-01-01,,1.0,N,3,
"""


def test_turnover_counts_leavers_as_the_census(tmp_path: Path) -> None:
    out = run_kpis(tmp_path, {"ext_worker_periods": PERIODS}, "2023-06-30", ["turnover_rate_pct"])
    assert out.row("turnover_rate_pct", "month", "2023-06-30") == (2.5, 4, 62.5)
    assert out.row("turnover_rate_pct", "month", "2023-03-31") == (2, 5.5, 36.363636)
    assert out.row("turnover_rate_pct", "month", "2023-01-31") == (0, 7.5, 0)
