"""The scrutiny export by team and service area, on the hand-made warehouse of test_scrutiny
(policy: counts from 1 to 4 suppressed) with la.yaml service areas and agency share by team.

Agency FTE of social worker FTE in March 2024, the count left out (FTE not agency) beside it:

| team (service area)          | agency / FTE | left out |
|------------------------------|--------------|----------|
| T1 Duty A (front door)       | 0 / 6        | 6        |
| T2 Duty B (front door)       | 1 / 6        | 5        |
| front door                   | 1 / 12       | 11       |
| T3 Care 1 (children in care) | 6 / 10       | 4        |
| T4 Care 2 (children in care) | 9 / 20       | 11       |
| children in care             | 15 / 30      | 15       |
| T5 Projects (none)           | 2 / 6        | 4        |
| no service area              | 2 / 6        | 4        |
| LA                           | 18 / 48      | 30       |

By hand, line by line in the order suppression reads them (each service area's teams to its
total, the service areas to the LA, all teams to the LA, then each row's numerator and count
left out to its denominator), until no line holds exactly one hidden figure:
- small: T2's 1, the front door's 1, T5's and no service area's 2; T3's, T5's and no service
  area's 4 left out;
- children in care's teams, left out: T3's 4 alone, so the smallest other, T4's 11, goes;
- service areas to the LA, left out: no service area's 4 alone, so the front door's 11 goes
  (smaller than children in care's 15);
- rows: T2 hides its 5 left out beside its hidden 1; T3 and T4, whose counts left out are
  hidden, give up their numerators (6, 9) and their percentages.
Children in care shows 15 of 30 (50.0%): its teams' two hidden figures protect each other.
Every denominator shows (none is small, no column holds exactly one hidden).
"""

import csv
import dataclasses
from pathlib import Path

import duckdb
import openpyxl

from pipelines.lib.publish import scrutiny
from pipelines.lib.publish.scrutiny.by_team import layout
from pipelines.lib.publish.suppression import suppress_table
from tests.publish.test_scrutiny import (  # noqa: F401 (the fixture con)
    DEFINITIONS,
    EXTRACT,
    LA,
    NOW,
    POLICY,
    _provenance,
    con,
)

AGENCY = next(k for k in DEFINITIONS if k.id == "agency_rate_pct")
AREAS = {"T1": "front_door", "T2": "front_door", "T3": "children_in_care",
         "T4": "children_in_care"}  # fmt: skip
NAMES = {"T3": "Care 1", "T4": "Care 2", "T5": "Projects"}  # T1, T2: the fixture's
TEAMS = {"T1": (0, 6), "T2": (1, 6), "T3": (6, 10), "T4": (9, 20), "T5": (2, 6)}
SERVICES = {"front_door": (1, 12), "children_in_care": (15, 30), None: (2, 6)}
# Not exempt here: the LA total is suppressed like any other figure (18 is not small).
POLICY_HERE = dataclasses.replace(POLICY, exempt_kpis={})


def _write(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> list[Path]:
    connection.execute("delete from kpi.kpi_values where kpi_id = 'agency_rate_pct'")
    connection.execute("delete from kpi.kpi_values_by_dimension where kpi_id = 'agency_rate_pct'")
    for team, area in AREAS.items():
        connection.execute("insert into meta.la_service_areas values (?, ?, ?)", [LA, team, area])
    for team, name in NAMES.items():
        connection.execute(
            "insert into stg.ssd_department values (?, ?, ?, ?)", [LA, EXTRACT, team, name]
        )
    for dimension, groups in (("team", TEAMS), ("service_area", SERVICES)):
        for code, (n, d) in groups.items():
            connection.execute(
                """insert into kpi.kpi_values_by_dimension values
                   (?, 'agency_rate_pct', 'month', '2024-03-01', ?, ?, ?, ?, ?, ?, 'percent', ?)""",
                [LA, NOW, dimension, code, n, d, 100 * n / d, EXTRACT],
            )
    connection.execute(
        """insert into kpi.kpi_values values
           (?, 'agency_rate_pct', 'month', '2024-03-01', ?, 18, 48, 37.5, 'percent', ?)""",
        [LA, NOW, EXTRACT],
    )
    return scrutiny.write_scrutiny(
        connection, LA, EXTRACT, [AGENCY], {}, tmp_path, _provenance(), POLICY_HERE
    )


def test_agency_share_by_team_and_service_area(
    con: duckdb.DuckDBPyConnection,  # noqa: F811
    tmp_path: Path,
) -> None:
    with _write(con, tmp_path)[1].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    got = [(r["level"], r["service_area"], r["team"], r["value"], r["numerator"],
            r["denominator"]) for r in rows]  # fmt: skip
    assert got == [
        ("team", "Front door (MASH)", "Duty A", "0.0", "0", "6"),
        ("team", "Front door (MASH)", "Duty B", "c", "c", "6"),
        ("service area", "Front door (MASH)", "All teams in the service area", "c", "c", "12"),
        ("team", "Children in care", "Care 1", "c", "c", "10"),
        ("team", "Children in care", "Care 2", "c", "c", "20"),
        ("service area", "Children in care", "All teams in the service area", "50.0", "15",
         "30"),
        ("team", "No service area", "Projects", "c", "c", "6"),
        ("service area", "No service area", "All teams in the service area", "c", "c", "6"),
        ("LA", "All service areas", "All teams (LA total)", "37.5", "18", "48"),
    ]  # fmt: skip


def test_the_notes_say_what_is_suppressed_and_why(
    con: duckdb.DuckDBPyConnection,  # noqa: F811
    tmp_path: Path,
) -> None:
    book = openpyxl.load_workbook(_write(con, tmp_path)[2])
    notes = [str(c.value) for row in book["Notes"].iter_rows() for c in row if c.value]
    assert "By team and service area: what is suppressed and why" in notes
    assert any("count from 1 to 4 is shown as c" in t and "count staff" in t for t in notes)
    # Last year has no figure (x), so each group has one figure: teams 4 of 5 (Duty B, Care 1,
    # Care 2, Projects), service areas 2 of 3 (front door, no service area).
    assert (
        "Agency rate pct: 4 of 5 team figures, 2 of 3 service-area figures suppressed (c), the "
        "latest month and the same month last year together." in notes
    )
    sheet = book["By team"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Area")
    assert header[3:6] == ("Level", "Service area", "Team")


def test_layout_nests_teams_in_their_service_areas() -> None:
    plan = layout(["T2", "T1", None, "T9"], {"T1": "fieldwork", "T2": "front_door"},
                  {"T1": "Safeguarding 1", "T2": "MASH", "T9": "Projects"})  # fmt: skip
    assert [(p.level, p.service, p.team) for p in plan.places] == [
        ("team", "front_door", "T2"),
        ("service area", "front_door", None),
        ("team", "fieldwork", "T1"),
        ("service area", "fieldwork", None),
        ("team", None, "T9"),  # not in la.yaml: no service area; by name, not recorded last
        ("team", None, None),
        ("service area", None, None),
        ("LA", None, None),
    ]
    assert plan.groups == [([0], 1), ([2], 3), ([4, 5], 6), ([1, 3, 6], 7), ([0, 2, 4, 5], 7)]
    # Without service areas in la.yaml: the teams and the LA.
    flat = layout(["T2", "T1"], {}, {"T1": "A", "T2": "B"})
    assert [(p.level, p.team) for p in flat.places] == [("team", "T1"), ("team", "T2"),
                                                        ("LA", None)]  # fmt: skip
    assert flat.groups == [([0, 1], 2)]


def test_counts_suppressed_over_nested_totals() -> None:
    """Service X has one team, A (3); service Y teams C 8 and D 9; the LA 20. By hand (1 to 4
    small): A and X's 3 are small; X is then the only hidden service area, so the smaller other,
    Y 17, goes; Y's teams then hold one hidden figure against it, so C 8 goes. A cannot be worked
    out: the LA's 20 less D's 9 leaves A and C together (11)."""
    values = [[3], [3], [8], [9], [17], [20]]
    groups = [([0], 1), ([2, 3], 4), ([1, 4], 5), ([0, 2, 3], 5)]
    flags = suppress_table(values, POLICY, groups=groups)
    assert [row[0] for row in flags] == [True, True, True, False, True, False]
