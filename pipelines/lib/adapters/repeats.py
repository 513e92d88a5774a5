"""Rows a statutory return repeats exactly: the first is kept, the others dropped with one note.

A return that lists the same review, episode or missing episode twice, every field the same, says
nothing more the second time. Passed on, the two rows would share the id the adapter makes from
them and block every KPI reading the table; so the adapter keeps the first and writes one
``duplicate_dropped`` note per file and table, with the count, the first rows and every row.
"""

from collections.abc import Mapping
from pathlib import Path

from pipelines.lib.adapters.base import ROW_DROPPED, AdapterNote
from pipelines.lib.adapters.row_notes import RowNotes

RULE = "duplicate_dropped"


class ExactRepeats:
    """Remembers each row's values per file and table; says whether a row repeats one seen."""

    def __init__(self, nouns: Mapping[str, str]) -> None:
        self._nouns = nouns  # table -> what one row is, for the note ("review")
        self._seen: dict[tuple[str, str], dict[tuple[tuple[str, str | None], ...], int]] = {}
        self._dropped: dict[str, RowNotes] = {}

    def is_repeat(self, path: Path, table: str, row: int, values: Mapping[str, str | None]) -> bool:
        """True when an earlier row of the same file and table had exactly these values."""
        seen = self._seen.setdefault((str(path), table), {})
        key = tuple(sorted(values.items()))
        first = seen.get(key)
        if first is None:
            seen[key] = row
            return False
        if table not in self._dropped:
            self._dropped[table] = RowNotes(
                RULE,
                ROW_DROPPED,
                f"{self._nouns.get(table, table)} row",
                "exact repeat of an earlier row of the file, dropped (the earlier row is kept)",
            )
        self._dropped[table].add(path, row)
        return True

    def notes(self) -> list[AdapterNote]:
        return [note for table in sorted(self._dropped) for note in self._dropped[table].notes()]
