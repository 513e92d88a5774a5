"""Secondary suppression for tables with totals (``disclosure.py`` holds the policy, statuses and
primary rules): while a line of a table (a row or column with its total) holds exactly one
suppressed cell, another is suppressed, until no suppressed cell can be recovered by subtraction;
and complements (a numerator beside its denominator) are protected like counts."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pipelines.lib.publish.disclosure import DisclosurePolicy

Cell = tuple[int, int]


@dataclass(frozen=True)
class Line:
    """Cells that add up to a total cell (a row or column of a table with totals)."""

    cells: tuple[Cell, ...]
    total: Cell


def table_lines(
    n_rows: int, n_cols: int, *, total_row: int | None = None, total_col: int | None = None
) -> list[Line]:
    """The lines of a table whose ``total_row`` holds the column sums and ``total_col`` the row
    sums (either or both; negative indexes count from the end). With a total row only (teams x
    periods with an LA total row), each column is a line; rows have no total, so are not lines.
    With both, the total row and total column are lines too, adding up to the grand total."""
    if total_row is not None:
        total_row %= n_rows
    if total_col is not None:
        total_col %= n_cols
    lines = []
    if total_col is not None:
        for r in range(n_rows):
            cells = tuple((r, c) for c in range(n_cols) if c != total_col)
            lines.append(Line(cells, (r, total_col)))
    if total_row is not None:
        for c in range(n_cols):
            cells = tuple((r, c) for r in range(n_rows) if r != total_row)
            lines.append(Line(cells, (total_row, c)))
    return lines


# (member rows, total row): in every column, the members add up to the total (teams to their
# service area, service areas to the LA): nested totals that ``total_row`` cannot say.
RowGroups = Sequence[tuple[Sequence[int], int]]


def group_lines(groups: RowGroups, n_cols: int) -> list[Line]:
    """The lines of a table whose rows add up in ``groups``, in each of its ``n_cols`` columns."""
    return [
        Line(tuple((r, c) for r in members), (total, c))
        for members, total in groups
        for c in range(n_cols)
    ]


def primary_suppression(
    values: Sequence[Sequence[float | None]], policy: DisclosurePolicy
) -> list[list[bool]]:
    """True where a cell is a count from 1 to ``threshold - 1``."""
    return [[policy.is_small(v) for v in row] for row in values]


def secondary_suppression(
    values: Sequence[Sequence[float | None]],
    suppressed: Sequence[Sequence[bool]],
    lines: Sequence[Line],
) -> list[list[bool]]:
    """Suppress further cells until no line holds exactly one suppressed cell (its total included).

    In a line with exactly one, the next cell suppressed is the smallest non-zero visible cell,
    a non-total cell before the total. A line whose only visible cells are zeros (possible only
    when its numbers do not add up) gives up a zero rather than leave the cell exposed. Missing
    values (None) count as 0. Returns a new grid; ``suppressed`` is not changed."""
    grid = [list(row) for row in suppressed]

    def number(cell: Cell) -> float:
        value = values[cell[0]][cell[1]]
        return 0.0 if value is None or math.isnan(value) else float(value)

    changed = True
    while changed:
        changed = False
        for line in lines:
            members = (*line.cells, line.total)
            if sum(grid[r][c] for r, c in members) != 1:
                continue
            visible = [cell for cell in members if not grid[cell[0]][cell[1]]]
            if not visible:  # a line of one cell: nothing else to suppress
                continue
            # Non-zero first, then a non-total cell, then the smallest, then the first in order.
            pick = min(
                visible,
                key=lambda cell: (
                    number(cell) == 0,
                    cell == line.total,
                    number(cell),
                    members.index(cell),
                ),
            )
            grid[pick[0]][pick[1]] = True
            changed = True
    return grid


def suppress_table(
    values: Sequence[Sequence[float | None]],
    policy: DisclosurePolicy,
    *,
    total_row: int | None = None,
    total_col: int | None = None,
    exempt: Sequence[Sequence[bool]] | None = None,
    groups: RowGroups | None = None,
) -> list[list[bool]]:
    """Primary then secondary suppression of a table of counts with a total row and/or column
    (or rows adding up in ``groups`` instead of one total row). ``exempt`` marks cells published
    elsewhere without primary suppression (they may still be suppressed as a secondary cell)."""
    primary = primary_suppression(values, policy)
    if exempt is not None:
        primary = [
            [p and not e for p, e in zip(row, ex_row, strict=True)]
            for row, ex_row in zip(primary, exempt, strict=True)
        ]
    n_rows = len(values)
    n_cols = len(values[0]) if n_rows else 0
    if not n_rows or not n_cols:
        return primary
    lines = table_lines(n_rows, n_cols, total_row=None if groups else total_row,
                        total_col=total_col) + group_lines(groups or (), n_cols)  # fmt: skip
    return secondary_suppression(values, primary, lines)


# --- Percentages: the count left out ------------------------------------------------------------


def complement_is_small(
    numerator: float | None, denominator: float | None, policy: DisclosurePolicy
) -> bool:
    """True when publishing a numerator beside its denominator reveals a small count by
    subtraction: 32 of 35 conferences on time tells 3 were late."""
    if numerator is None or denominator is None:
        return False
    return policy.is_small(denominator - numerator)


def suppress_pairs(
    values: Sequence[Sequence[float | None]],
    policy: DisclosurePolicy,
    *,
    total_row: int | None = None,
    exempt: Sequence[Sequence[bool]] | None = None,
    groups: RowGroups | None = None,
) -> list[list[bool]]:
    """``suppress_table`` for a table whose columns are (numerator, denominator) pairs of
    percentages, protecting the count each pair leaves out as well.

    Each pair gets a third, unpublished column, its complement (denominator - numerator), which is
    primary suppressed when small like any count. Every row adds a line numerator + complement =
    denominator, and the complements' column adds up to its total like the others, so secondary
    suppression leaves no small complement to be worked out from a row or from the total. A
    complement can only be hidden by hiding its numerator or denominator: a complement left as
    the only hidden cell of its row makes the row give up its numerator. Returns flags for the
    published columns only."""
    n_rows = len(values)
    n_cols = len(values[0]) if n_rows else 0
    if n_cols % 2:
        raise ValueError("suppress_pairs needs (numerator, denominator) column pairs")
    if not n_rows or not n_cols:
        return [[] for _ in values]
    # Published column c of pair k sits at 3k + c % 2; the pair's complement at 3k + 2.
    wide: list[list[float | None]] = []
    for row in values:
        out: list[float | None] = []
        for k in range(0, n_cols, 2):
            numerator, denominator = row[k], row[k + 1]
            gap = None if numerator is None or denominator is None else denominator - numerator
            out += [numerator, denominator, gap]
        wide.append(out)
    wide_exempt = None
    if exempt is not None:
        wide_exempt = [
            [flag for k in range(0, n_cols, 2) for flag in (ex[k], ex[k + 1], ex[k])]
            for ex in exempt
        ]
    primary = primary_suppression(wide, policy)
    if wide_exempt is not None:
        primary = [
            [p and not e for p, e in zip(row, ex, strict=True)]
            for row, ex in zip(primary, wide_exempt, strict=True)
        ]
    lines = table_lines(n_rows, len(wide[0]), total_row=None if groups else total_row)
    lines += group_lines(groups or (), len(wide[0]))
    lines += [
        Line(((r, 3 * k), (r, 3 * k + 2)), (r, 3 * k + 1))
        for r in range(n_rows)
        for k in range(n_cols // 2)
    ]
    flags = secondary_suppression(wide, primary, lines)
    return [[row[3 * (c // 2) + c % 2] for c in range(n_cols)] for row in flags]
