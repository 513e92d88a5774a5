"""Plausible values of the extract's numeric columns, checked at staging.

A number that is read but cannot be true (an FTE of -1 or 1e20, vacant FTE of ``inf``, working
days lost of -10, a negative caseload) used to stage without a word, and the run then failed at
the KPI check with no file, row or column. Each number column declares its ``bounds`` in
``contract.py``; infinity and NaN are never plausible. A value outside them is a row-level
defect with its file, spreadsheet row and column (rule ``out_of_range``):

- in a required column (``nullable=False``: ``ext_worker_periods.fte``,
  ``ext_vacancies.vacant_fte``) the row is rejected, as for a blank: the row means nothing
  without the value;
- in an optional column (``working_days_lost``, ``prof_full_time_equivalency``,
  ``prof_professional_caseload``) the value is cleared to unknown and the row kept, as for an
  unknown code: the absence or the worker still counts.
"""

import polars as pl

from pipelines.lib.contract import Column

OUT_OF_RANGE = "out_of_range"


def parse_number(col: Column, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(value, error rule or null, True where the fault clears the value rather than rejecting
    the row) of a number column's text: thousands commas allowed; an int must be whole."""
    number = raw.str.strip_chars().str.replace_all(",", "").cast(pl.Float64, strict=False)
    if col.kind == "int":
        number = pl.when(number == number.round()).then(number).cast(pl.Int64, strict=False)
    bad = implausible(col, number)
    error = (
        pl.when(raw.is_not_null() & number.is_null())
        .then(pl.lit("not_a_number"))
        .when(bad)
        .then(pl.lit(OUT_OF_RANGE))
    )
    clears = bad if col.nullable else pl.lit(False)
    return pl.when(bad).then(None).otherwise(number), error, clears


def implausible(col: Column, number: pl.Expr) -> pl.Expr:
    """True where a parsed number is infinite, NaN or outside the column's bounds."""
    bad = ~number.cast(pl.Float64).is_finite()
    if col.bounds is not None:
        low, high = col.bounds
        bad = bad | (number < low)
        if high is not None:
            bad = bad | (number > high)
    return bad.fill_null(False)


def describe(col: Column) -> str:
    """The message of an out-of-range value of ``col``."""
    if col.bounds is None:
        return "is not a finite number"
    low, high = col.bounds
    limits = f"from {low:g} to {high:g}" if high is not None else f"of {low:g} or more"
    return f"is outside the plausible range (a finite number {limits})"


def messages(columns: tuple[Column, ...]) -> dict[str, str]:
    """Column name -> out-of-range message, for a table's number columns."""
    return {c.name: describe(c) for c in columns if c.kind in ("int", "float")}
