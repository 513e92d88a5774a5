"""On the demo's scrutiny figures: no count of 1 to 5 can be worked out by subtraction from what
is published beside it - a percentage's numerator from its denominator (32 of 35 on time tells 3
late), a team's count from its service area's or the LA total and the other teams', or a service
area's from the LA total."""

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from pipelines.lib.publish.disclosure import load_policy
from tests.test_publishing import NEWEST

HIDDEN = ("c", "z", "x", "low", "")


def _number(cell: str) -> float | None:
    return None if cell in HIDDEN else float(cell)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("la", ["991", "992"])
def test_no_small_count_is_recoverable_by_subtraction(demo_data: Path, la: str) -> None:
    policy = load_policy()
    folder = demo_data / "published" / la / "public" / "scrutiny" / NEWEST[la].isoformat()
    figures = _rows(folder / "scrutiny-figures.csv")
    by_team = _rows(folder / "scrutiny-by-team.csv")
    pairs = [("numerator", "denominator"), ("last_year_numerator", "last_year_denominator")]
    checked = 0
    # A percentage's count left out, row by row, in both files.
    for row in figures + by_team:
        if row["unit"] != "percent" or row["kpi_id"] in policy.exempt_kpis:
            continue
        for num, den in pairs:
            n, d = _number(row[num]), _number(row[den])
            if n is not None and d is not None:
                checked += 1
                assert not policy.is_small(d - n), (row["kpi_id"], row.get("team"), num, n, d)
    # A team's count from its total (its service area's, or the LA's) and the other teams'
    # counts (each count column); a service area's from the LA total and the other service
    # areas'; and the same for the counts a percentage leaves out.
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in by_team:
        if row["level"] == "team":
            groups[(row["kpi_id"], "service " + row["service_area"])].append(row)
            groups[(row["kpi_id"], "LA")].append(row)
        elif row["level"] == "service area":
            groups[(row["kpi_id"], "services")].append(row)
    totals = {
        (row["kpi_id"], key): row
        for row in by_team
        for key in (["LA", "services"] if row["level"] == "LA" else
                    ["service " + row["service_area"]] if row["level"] == "service area" else [])
    }  # fmt: skip
    for (kpi_id, key), rows in groups.items():
        total = totals[(kpi_id, key)]
        columns = [c for pair in pairs for c in pair] if rows[0]["unit"] == "percent" else []
        columns += ["value", "last_year_value"] if rows[0]["unit"] == "count" else []
        for column in columns:
            hidden = [r for r in rows if _number(r[column]) is None and r[column] != "z"]
            whole = _number(total[column])
            if len(hidden) == 1 and whole is not None:
                shown = sum(_number(r[column]) or 0.0 for r in rows if r is not hidden[0])
                assert not policy.is_small(whole - shown), (kpi_id, key, column, hidden[0]["team"])
    assert checked > 20  # the demo publishes plenty of percentages beside their counts
