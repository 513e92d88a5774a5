"""One adapter note for many rows: what a rule did, how many rows, the first ones, all of them.

An adapter rule that touches thousands of rows (exact repeats dropped, reviews of children with
no episode) is one fact about the file, not thousands: ``RowNotes`` collects the rows a rule
touched and writes one note per file, whose message gives the count and the first five rows and
whose ``location`` lists every row (as ranges: ``rows 26-30, 47-48``; ``lines`` for XML), so
the run output stays short and the full list is still in ``meta.adapter_notes``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.lib.adapters.base import AdapterNote

FIRST_ROWS = 5


def row_ranges(rows: list[int]) -> str:
    """``[3, 4, 5, 9]`` -> ``"3-5, 9"``."""
    spans: list[list[int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


@dataclass
class RowNotes:
    """Rows of each file that one rule touched. ``what``: the rule's finding and what was done
    ("review of a child with no episode in the return, left out"); ``noun``: what a row is."""

    rule: str
    action: str
    noun: str
    what: str
    column: str | None = None
    rows: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def add(self, path: Path | str, row: int) -> None:
        self.rows[str(path)].append(row)

    def notes(self) -> list[AdapterNote]:
        out = []
        for path, rows in sorted(self.rows.items()):
            ordered = sorted(rows)
            # Distinct places: a one-line XML file has every element on line 2.
            places = sorted(set(rows))
            first = ", ".join(str(r) for r in places[:FIRST_ROWS])
            more = ", ..." if len(places) > FIRST_ROWS else ""
            # A CSV or workbook row, or the line of an XML element (as ``source_row``).
            label = "line" if path.lower().endswith(".xml") else "row"
            label += "" if len(places) == 1 else "s"
            out.append(
                AdapterNote(
                    source_file=path,
                    rule=self.rule,
                    message=(
                        f"{self.what}: {_plural(len(ordered), self.noun)} ({label} {first}{more})"
                    ),
                    action=self.action,
                    source_row=ordered[0],
                    location=f"{label} {row_ranges(ordered)}",
                    column=self.column,
                )
            )
        return out
