"""Ids an adapter makes for rows its format does not number (903 episodes, reviews...).

A statutory return has no id for an episode, a placement or a review: the adapter builds one from
the row's own values (child + date, the format's natural key), so the same file gives the same ids
on every run. Two rows can still share those values (two LAs' children with one id in a LIIA
file, a repeat the adapter keeps because its values differ), and an id used twice blocks every
KPI that reads the table. ``MadeIds`` makes them unique by construction: the first row with a key
gets the key itself, each later one the key and its place among the rows with that key, in file
order (``<key>#2``, ``#3``...; a suffix already taken is skipped). Rows are offered in file order,
so a re-run of the same file gives the same ids.
"""

from collections import defaultdict

SEPARATOR = "_"
REPEAT_MARK = "#"


class MadeIds:
    """Issues ids per kind (e.g. per contract table): never the same id twice within a kind."""

    def __init__(self) -> None:
        self._issued: dict[str, set[str]] = defaultdict(set)

    def make(self, kind: str, *parts: str | None) -> str | None:
        """The id of a row whose natural key is ``parts``; None when a part is blank (the row
        then has no id, and staging rejects it as it would a blank id in an extract)."""
        if any(not p for p in parts):
            return None
        key = SEPARATOR.join(str(p) for p in parts)
        issued = self._issued[kind]
        made, place = key, 1
        while made in issued:
            place += 1
            made = f"{key}{REPEAT_MARK}{place}"
        issued.add(made)
        return made
