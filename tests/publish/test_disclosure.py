"""Disclosure control: the policy file, primary, derived and secondary suppression, rounding."""

import random
import textwrap
from pathlib import Path

import pytest

from pipelines.lib.formatting import csv_number as format_number
from pipelines.lib.publish.disclosure import (
    NOT_APPLICABLE,
    ROUNDS_TO_ZERO,
    SUPPRESSED,
    DisclosurePolicy,
    PolicyError,
    derived_status,
    load_policy,
    rounded_status,
)
from pipelines.lib.publish.suppression import (
    complement_is_small,
    secondary_suppression,
    suppress_pairs,
    suppress_table,
    table_lines,
)

POLICY = DisclosurePolicy(threshold=5)  # counts 1-4 suppressed (the hand-worked cases below)


def _policy_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "disclosure.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- The policy file ----------------------------------------------------------------------------


def test_project_policy_loads() -> None:
    policy = load_policy()
    assert policy.threshold == 6  # 1 to 5 suppressed, as the DfE CIN tables
    assert (policy.percent_decimals, policy.rate_decimals, policy.other_decimals) == (1, 1, 1)
    # Nothing is exempt by default: every count from 1 to 4 in a public paper is suppressed.
    assert policy.exempt_kpis == {}
    assert not policy.is_exempt("sw_fte") and not policy.is_exempt("unallocated_children")


def test_exemptions_are_read_with_their_reasons(tmp_path: Path) -> None:
    policy = load_policy(_policy_file(tmp_path, "exempt_kpis:\n  sw_fte: FTEs, not children.\n"))
    assert policy.is_exempt("sw_fte") and not policy.is_exempt("caseload_avg")
    assert policy.exempt_kpis["sw_fte"] == "FTEs, not children."


def test_policy_keys_left_out_take_the_defaults(tmp_path: Path) -> None:
    policy = load_policy(_policy_file(tmp_path, "threshold: 6\ndecimals: {percent: 0}\n"))
    assert policy == DisclosurePolicy(threshold=6, percent_decimals=0)
    assert load_policy(_policy_file(tmp_path, "")) == DisclosurePolicy()


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("threshold: five\n", "'threshold'"),
        ("threshold: 0\n", "'threshold'"),
        ("threshold: true\n", "'threshold'"),
        ("treshold: 5\n", "treshold"),
        ("decimals: 1\n", "'decimals'"),
        ("decimals: {percent: 7}\n", "'decimals.percent'"),
        ("decimals: {weeks: 1}\n", "'decimals.weeks'"),
        ("exempt_kpis: [sw_fte]\n", "'exempt_kpis'"),
        ("exempt_kpis: {sw_fte: ''}\n", "'exempt_kpis.sw_fte'"),
        ("- 5\n", "expected a mapping"),
        ("threshold: [5\n", "not valid YAML"),
    ],
)
def test_policy_errors_name_the_file_and_the_key(tmp_path: Path, text: str, names: str) -> None:
    path = _policy_file(tmp_path, text)
    with pytest.raises(PolicyError) as error:
        load_policy(path)
    assert str(path) in str(error.value)
    assert names in str(error.value)


def test_missing_policy_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="missing"):
        load_policy(tmp_path / "nowhere.yaml")


# --- Primary, derived, rounding -----------------------------------------------------------------


def test_primary_suppression_hides_1_to_4_and_keeps_zero() -> None:
    assert [POLICY.is_small(v) for v in (None, 0, 1, 2, 3, 4, 4.5, 5, 6, 100)] == [
        False, False, True, True, True, True, True, False, False, False,
    ]  # fmt: skip
    assert DisclosurePolicy(threshold=6).is_small(5)
    assert not DisclosurePolicy(threshold=1).is_small(1)


def test_derived_figures_follow_their_counts() -> None:
    assert derived_status(None, [SUPPRESSED, None]) == SUPPRESSED
    assert derived_status(None, [None, SUPPRESSED]) == SUPPRESSED
    assert derived_status(None, [None, None]) is None
    # Denominator 0: the percentage is not applicable, whatever its parts.
    assert derived_status(NOT_APPLICABLE, [None, None]) == NOT_APPLICABLE


def test_non_zero_values_that_round_to_zero_are_low() -> None:
    assert rounded_status(0.04, None, 1) == ROUNDS_TO_ZERO
    assert rounded_status(0.05, None, 1) is None  # rounds to 0.1 (0.05 is 0.05000000000000000277)
    assert rounded_status(0.0, None, 1) is None
    assert rounded_status(0.4, None, 0) == ROUNDS_TO_ZERO
    assert rounded_status(0.04, SUPPRESSED, 1) == SUPPRESSED


def test_format_number() -> None:
    assert format_number(81.818182, 1) == "81.8"
    assert format_number(22.0, 0) == "22"
    assert format_number(-0.01, 1) == "0.0"  # no "-0.0"


# --- Secondary suppression ----------------------------------------------------------------------


def _suppressed_cells(flags: list[list[bool]]) -> set[tuple[int, int]]:
    return {(r, c) for r, row in enumerate(flags) for c, flag in enumerate(row) if flag}


def test_d5_newcastle_case() -> None:
    """D5 (CP plans at 31 March by duration), Newcastle upon Tyne 2025: the "2 years or more" band
    is c, and so is "1 year to less than 2 years", because the total (433) and the other bands
    are shown. Band counts other than the total are made up for the test: under 3 months 120,
    3 to 6 months 95, 6 months to 1 year 150, 1 to 2 years 65, 2 years or more 3 (sum 433).
    Primary: 3. The row (with its total) then holds one c, so the smallest non-zero other band,
    65 (1 to 2 years), is suppressed too: 433 - 120 - 95 - 150 = 68 = c + c cannot be split."""
    row = [[120, 95, 150, 65, 3, 433]]
    flags = suppress_table(row, POLICY, total_col=-1)
    assert flags == [[False, False, False, True, True, False]]


def test_teams_by_period_with_an_la_total_row() -> None:
    """Teams x (this month, last year) with the LA total row; rows have no total, so only the
    columns are lines.

    This month: A 3 (c), B 12, C 7, total 22 -> the next smallest non-zero is C 7.
    Last year:  A 10, B 0, C 2 (c), total 12 -> B is 0, so A 10 goes."""
    table = [[3, 10], [12, 0], [7, 2], [22, 12]]
    flags = suppress_table(table, POLICY, total_row=-1)
    assert _suppressed_cells(flags) == {(0, 0), (2, 0), (2, 1), (0, 1)}


def test_totals_both_ways() -> None:
    """Categories x teams with totals both ways:

    3   8 | 11        cat 1 holds the only small count (3). Row 1 then holds one c: 8 goes.
    6   9 | 15        Column 1 holds one c (3): 6 goes. Column 2 holds one c (8): 9 goes.
    9  17 | 26        Row 2 now holds two. Totals all stay visible."""
    table = [[3, 8, 11], [6, 9, 15], [9, 17, 26]]
    flags = suppress_table(table, POLICY, total_row=-1, total_col=-1)
    assert _suppressed_cells(flags) == {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_a_total_goes_only_when_nothing_else_can() -> None:
    # Team A 7 was suppressed elsewhere; B is 0, so the only other non-zero cell is the total.
    flags = secondary_suppression([[7], [0], [7]], [[True], [False], [False]],
                                  table_lines(3, 1, total_row=-1))  # fmt: skip
    assert flags == [[True], [False], [True]]


def test_an_exempt_total_is_not_primary_suppressed() -> None:
    # Two teams of 1 and 2 FTE, LA total 3: the total is published elsewhere (exempt).
    table = [[1.0], [2.0], [3.0]]
    flags = suppress_table(table, POLICY, total_row=-1, exempt=[[False], [False], [True]])
    assert flags == [[True], [True], [False]]


def _random_table(rng: random.Random, total_row: bool, total_col: bool) -> list[list[float]]:
    rows, cols = rng.randint(1, 6), rng.randint(1, 5)

    def count() -> int:
        pick = rng.random()
        return 0 if pick < 0.35 else rng.randint(1, 6) if pick < 0.8 else rng.randint(7, 60)

    table: list[list[float]] = [[count() for _ in range(cols)] for _ in range(rows)]
    if total_col:
        table = [[*row, sum(row)] for row in table]
    if total_row:
        table.append([sum(column) for column in zip(*table, strict=True)])
    return table


@pytest.mark.parametrize("shape", ["total_row", "total_col", "both"])
def test_property_every_line_holds_zero_or_at_least_two(shape: str) -> None:
    rng = random.Random(f"disclosure-{shape}")
    total_row = shape in ("total_row", "both")
    total_col = shape in ("total_col", "both")
    for _ in range(400):
        table = _random_table(rng, total_row, total_col)
        kwargs = {"total_row": -1 if total_row else None, "total_col": -1 if total_col else None}
        flags = suppress_table(table, POLICY, **kwargs)
        lines = table_lines(len(table), len(table[0]), **kwargs)
        for line in lines:
            hidden = sum(flags[r][c] for r, c in (*line.cells, line.total))
            assert hidden != 1, (table, flags, line)
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                if 1 <= value <= 4:
                    assert flags[r][c], (table, flags, r, c)
                if value == 0:
                    assert not flags[r][c], (table, flags, r, c)  # true zeros stay 0


# --- Counts left out of a percentage ------------------------------------------------------------

DFE = DisclosurePolicy()  # the default: 1 to 5 suppressed


def test_default_suppresses_1_to_5_as_the_dfe() -> None:
    assert [n for n in range(8) if DFE.is_small(n)] == [1, 2, 3, 4, 5]


def test_32_of_35_reveals_3_late() -> None:
    assert complement_is_small(32, 35, DFE)  # 3 late
    assert not complement_is_small(29, 35, DFE)  # 6 late: shown
    assert not complement_is_small(35, 35, DFE)  # none late: a true zero
    assert not complement_is_small(None, 35, DFE)


def test_pairs_by_team_protect_the_count_left_out() -> None:
    # Teams x (on time, conferences); LA total last. By hand, threshold 6:
    # A 32 of 35 (3 late: small) -> A's numerator hidden by its row;
    # the on-time column then has one hidden cell -> its smallest other non-zero cell, C's 10,
    # goes too, and C's late count (12 - 10 = 2, small) was hidden anyway;
    # B 20 of 40 (20 late) would stay, but the late column (3, 20, 2 | 25) now has A's and C's
    # late counts hidden: two, so nothing more. Totals 62 of 87 (25 late) stay.
    table = [[32.0, 35.0], [20.0, 40.0], [10.0, 12.0], [62.0, 87.0]]
    flags = suppress_pairs(table, DFE, total_row=-1)
    assert flags == [[True, False], [False, False], [True, False], [False, False]]


def _recoverable(table: list[list[float]], flags: list[list[bool]]) -> list[float]:
    """Every hidden count a reader can work out by subtraction from what is published: a
    numerator from its denominator and the count left out (when that is known from the total's
    column), a cell from its column and the total; iterated until nothing new is learnt."""
    n_rows, n_cols = len(table), len(table[0])
    known = {(r, c): table[r][c] for r in range(n_rows) for c in range(n_cols) if not flags[r][c]}
    # Unknowns: the hidden cells and every row's count left out; relations: each column adds
    # up to its total, each row's numerator + left out = denominator.
    gap = {
        (r, k): table[r][k + 1] - table[r][k] for r in range(n_rows) for k in range(0, n_cols, 2)
    }
    known_gap: dict[tuple[int, int], float] = {}
    learnt: list[float] = []
    changed = True
    while changed:
        changed = False
        for r in range(n_rows):
            for k in range(0, n_cols, 2):
                if (r, k) in known and (r, k + 1) in known and (r, k) not in known_gap:
                    known_gap[(r, k)] = known[(r, k + 1)] - known[(r, k)]
                    changed = True
                elif (r, k) in known_gap:
                    for a, b in (((r, k), (r, k + 1)), ((r, k + 1), (r, k))):
                        if a not in known and b in known:
                            known[a] = table[a[0]][a[1]]
                            learnt.append(known[a])
                            changed = True
        # Columns (published ones and the counts left out) add up to the last row.
        for k in range(0, n_cols, 2):
            cells = [(r, k) for r in range(n_rows)]
            unknown = [cell for cell in cells if cell not in known_gap]
            if len(unknown) == 1:
                known_gap[unknown[0]] = gap[unknown[0]]
                learnt.append(gap[unknown[0]])
                changed = True
        for c in range(n_cols):
            unknown = [(r, c) for r in range(n_rows) if (r, c) not in known]
            if len(unknown) == 1:
                known[unknown[0]] = table[unknown[0][0]][c]
                learnt.append(known[unknown[0]])
                changed = True
    return learnt


def test_property_no_small_count_recoverable_from_pairs() -> None:
    rng = random.Random("disclosure-pairs")
    for _ in range(400):
        n_teams = rng.randint(1, 5)
        rows = []
        for _ in range(n_teams):
            pairs: list[float] = []
            for _ in range(2):  # two periods
                denominator = rng.choice([0, 1, 2, 3, 5, 6, 7, 12, 35, 40])
                numerator = max(0, denominator - rng.choice([0, 1, 2, 3, 6, 20]))
                pairs += [float(numerator), float(denominator)]
            rows.append(pairs)
        rows.append([sum(column) for column in zip(*rows, strict=True)])
        flags = suppress_pairs(rows, DFE, total_row=-1)
        for value in _recoverable(rows, flags):
            assert not DFE.is_small(value), (rows, flags, value)
        for r, row in enumerate(rows):
            for k in range(0, len(row), 2):
                if not flags[r][k] and not flags[r][k + 1]:
                    assert not DFE.is_small(row[k + 1] - row[k]), (rows, flags, r, k)
