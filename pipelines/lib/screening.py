"""Personal data typed where it does not belong is removed before anything is stored.

Identifier columns (names, NHS numbers, postcodes...) are never loaded (``contract.py``), but a
worker can type a child's name, address, postcode or NHS number into any cell: a free-text
reason, a JSON outcome, even a date. Each file's rows pass through a ``Screen`` as they are read,
before ``raw`` (and so ``stg``, the quarantine and every output) sees them:

- free text no KPI, check or output reads (``kept=False`` in ``contract.py``: ethnicity,
  placement-change and leaving reasons, the LADO outcome, job titles, parent team names) is
  blanked whole;
- in every other cell but ids (a numeric id can look like an NHS number), these are replaced by
  ``[removed]``: NHS numbers (10 digits, spaced 3-3-4 or not, with a valid modulus-11 check
  digit), UK postcodes, and the names of people in the extract's own person table when its file
  has name columns (forename and surname together, or a title and surname: "Mrs Quuxington"),
  read from that file before its name columns are dropped;
- each removal is recorded in ``stg.quarantine`` with its file, row, column and rule
  (``nhs_number``, ``postcode``, ``person_name``; action ``text_redacted``), never the value,
  and the validation report counts them per table, column and rule.

A value that is quarantined for another reason (a date that is not a date) is shown only when
it cannot identify anyone: ``withhold`` replaces a free-text value, or a name-like one where a
date or number belongs, with its length ("a 24-character value").
"""

import itertools
import re
from collections.abc import Iterable

import polars as pl

from pipelines.lib.contract import Table
from pipelines.lib.readers import ROW_COLUMN

REDACTED = "[removed]"
ACTION = "text_redacted"
RULE_MESSAGES = {
    "nhs_number": "held an NHS number; removed from the text",
    "postcode": "held a postcode; removed from the text",
    "person_name": "held the name of a person in the extract; removed from the text",
}

_NHS = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})
# What a value must hold to be worth a closer look (checked on each column's distinct values).
_CANDIDATE = r"\d{3}[ -]?\d{3}[ -]?\d{4}|[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}"
_TWO_WORDS = r"[^\W\d_]{2,}\W+[^\W\d_]{2,}"
# A value where a date, number or flag belongs that reads like a name: two capitalised words.
_NAME_LIKE = re.compile(r"\b[A-Z][a-z]+\b.*\b[A-Z][a-z]+\b")


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus-11 check: weights 10..2 on the first nine digits."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


class Screen:
    """Finds and removes personal data in one delivery's cells (see the module docstring)."""

    def __init__(self, people: Iterable[tuple[str | None, str | None]] = ()) -> None:
        self.full_names: set[tuple[str, str]] = set()
        self.surnames: set[str] = set()
        for forename, surname in people:
            first, last = (forename or "").strip().lower(), (surname or "").strip().lower()
            if len(last) >= 2:
                self.surnames.add(last)
                if len(first) >= 2:
                    self.full_names.add((first.split()[0], last.split()[-1]))

    @classmethod
    def from_person_file(cls, frame: pl.DataFrame) -> "Screen":
        """The names in a person file's own columns (they are dropped once read)."""
        forename = next((c for c in frame.columns if "forename" in c or "first_name" in c), None)
        surname = next((c for c in frame.columns if "surname" in c or "last_name" in c), None)
        if surname is None:
            return cls()
        pairs = frame.select(
            pl.col(forename) if forename else pl.lit(None, dtype=pl.String), pl.col(surname)
        ).unique()
        return cls(pairs.iter_rows())

    def redact(self, text: str) -> tuple[str, list[str]]:
        """``text`` with personal data replaced, and the rules that found something."""
        rules: list[str] = []

        def nhs(match: re.Match[str]) -> str:
            if nhs_number_valid("".join(match.groups())):
                rules.append("nhs_number")
                return REDACTED
            return match.group(0)

        text = _NHS.sub(nhs, text)
        text, found = _POSTCODE.subn(REDACTED, text)
        if found:
            rules.append("postcode")
        if self.surnames:
            words = list(_WORD.finditer(text))
            spans: list[tuple[int, int]] = []
            for before, word in itertools.pairwise(words):
                pair = (before.group(0).lower(), word.group(0).lower())
                overlaps = spans and before.start() < spans[-1][1]
                if not overlaps and (
                    pair in self.full_names or (pair[0] in _TITLES and pair[1] in self.surnames)
                ):
                    spans.append((before.start(), word.end()))
            for start, end in reversed(spans):
                text = text[:start] + REDACTED + text[end:]
            if spans:
                rules.append("person_name")
        return text, sorted(set(rules))

    def apply(self, table: Table, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """A file's contract columns (text, with ``source_row``) screened, and what was removed
        (one issue per row, column and rule; ``ISSUE_SCHEMA``, no value)."""
        # Imported here, not at the top: the ingest package imports this module as it loads.
        from pipelines.lib.ingest.table_rules import ISSUE_SCHEMA

        blank = [c.name for c in table.columns if not c.kept]
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in blank)
        look = _CANDIDATE + (f"|{_TWO_WORDS}" if self.surnames else "")
        issues = []
        for col in table.columns:
            if col.kind == "id" or col.name in blank:
                continue
            distinct = frame.get_column(col.name).drop_nulls().unique()
            found = {}
            for value in distinct.filter(distinct.str.contains(look)).to_list():
                clean, rules = self.redact(value)
                if rules:
                    found[value] = (clean, rules)
            if not found:
                continue
            hit = frame.filter(pl.col(col.name).is_in(list(found)))
            issues.append(
                pl.DataFrame(
                    [
                        (row, col.name, None, rule, ACTION, RULE_MESSAGES[rule])
                        for row, value in hit.select(ROW_COLUMN, col.name).iter_rows()
                        for rule in found[value][1]
                    ],
                    schema=ISSUE_SCHEMA,
                    orient="row",
                )
            )
            frame = frame.with_columns(
                pl.col(col.name).replace({v: clean for v, (clean, _) in found.items()})
            )
        issues_frame = pl.concat(issues) if issues else pl.DataFrame(schema=ISSUE_SCHEMA)
        return frame, issues_frame


def withhold(table: Table, issues: pl.DataFrame) -> pl.DataFrame:
    """Quarantine issues with every value that may identify someone replaced by its length:
    any value of a free-text column, and a name-like value where a date, number or flag
    belongs."""
    free = [c.name for c in table.columns if c.kind in ("text", "json")]
    typed = [
        c.name for c in table.columns if c.kind in ("date", "datetime", "int", "float", "flag")
    ]
    value = pl.col("value")
    hide = value.is_not_null() & (
        pl.col("column_name").is_in(free)
        | (pl.col("column_name").is_in(typed) & value.str.contains(_NAME_LIKE.pattern))
    )
    masked = (
        pl.lit("[withheld: a ")
        + value.str.len_chars().cast(pl.String)
        + pl.lit("-character value]")
    )
    return issues.with_columns(pl.when(hide).then(masked).otherwise(value).alias("value"))


def shown(value: str | None) -> str:
    """A quarantined value as a message quotes it: withheld values by their length only."""
    if value is None:
        return "(blank)"
    if value.startswith("[withheld: ") and value.endswith("]"):
        return value[len("[withheld: ") : -1]
    return repr(value)
