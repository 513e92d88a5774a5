"""Staging rules: a table's text rows made typed staging rows, and exactly what was wrong with
the rest.

Rules (extract-contract.md, kpi-catalogue.md Clarification 5):

- dates: ISO ``YYYY-MM-DD`` or UK ``D/M/YYYY`` (one- or two-digit day and month); datetimes
  ISO with a space or ``T``, or UK ``D/M/YYYY HH:MM[:SS]``. Two-digit years, other separators
  and impossible dates reject the row: a date is never guessed.
- flags: Y/N, Yes/No, 1/0, True/False in any case; anything else is unknown (blank).
- codes: compared case-insensitively after trimming; an unknown code is cleared to unknown and
  recorded, the row is kept.
- a blank in a required value, or a number that is not a number, rejects the row; a number
  outside its plausible range rejects the row or is cleared (``ranges.py``).
- duplicate ids: an exact repeat keeps the first row; rows sharing an id with different values
  are all rejected (which one is right cannot be known).

Every rejected row and cleared value is returned as an issue with its spreadsheet row number,
column, value and rule, so nothing is lost: it lands in the ``quarantine`` table. Links between
tables are checked once a delivery's tables are typed (``ingest/references.py``).
"""

from dataclasses import dataclass

import polars as pl

from pipelines.lib import ranges
from pipelines.lib.contract import Column, Table
from pipelines.lib.readers import ROW_COLUMN

ISSUE_SCHEMA = {
    "source_row": pl.Int64,
    "column_name": pl.String,
    "value": pl.String,
    "rule": pl.String,
    "action": pl.String,
    "message": pl.String,
}
REJECT = "row_rejected"
CLEAR = "value_cleared"
DROP_DUPLICATE = "duplicate_dropped"

_ISO = r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$"
_UK = r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
_TRUE = ("Y", "YES", "1", "TRUE", "T")
_FALSE = ("N", "NO", "0", "FALSE", "F")

RULE_MESSAGES = {
    "blank_required": "is blank but a value is required",
    "invalid_date": "is not a real date",
    "unrecognised_date": "is not a date in YYYY-MM-DD or DD/MM/YYYY form",
    "not_a_number": "is not a number",
    "unknown_code": "is not a known code; cleared to unknown",
    "duplicate_row": "repeats an earlier row exactly; the earlier row was kept",
    "duplicate_id": "is an id used by more than one row with different values; all were rejected",
}


@dataclass(frozen=True)
class StagedTable:
    table: Table
    frame: pl.DataFrame  # typed contract columns + source_row
    issues: pl.DataFrame  # ISSUE_SCHEMA

    @property
    def rejected_rows(self) -> int:
        return self.issues.filter(pl.col("action") == REJECT)["source_row"].n_unique()


def _pad(expr: pl.Expr, width: int) -> pl.Expr:
    return expr.str.zfill(width)


# Exact layouts read first with plain ``strptime`` (twenty times quicker than the regexes), each
# on the values of its length with its separators in place. A value is taken only when writing
# it back in the same layout gives the text again, so nothing the rules reject gets through
# (``strptime`` alone reads ``23-01-05`` as the year 23 and ``2023-1-5`` as a date). Every
# other value, faults included, goes through the full rules (``_parse_by_rules``).
_FAST_LAYOUTS: tuple[tuple[str, int, tuple[tuple[int, str], ...]], ...] = (
    # (layout, length, (position, character) that tell it from the others)
    ("%Y-%m-%d", 10, ((4, "-"),)),
    ("%d/%m/%Y", 10, ((2, "/"),)),
    ("%Y-%m-%d %H:%M:%S", 19, ((4, "-"), (10, " "))),
    ("%Y-%m-%dT%H:%M:%S", 19, ((4, "-"), (10, "T"))),
    ("%d/%m/%Y %H:%M:%S", 19, ((2, "/"),)),
    ("%Y-%m-%d %H:%M", 16, ((4, "-"), (10, " "))),
    ("%Y-%m-%dT%H:%M", 16, ((4, "-"), (10, "T"))),
    ("%d/%m/%Y %H:%M", 16, ((2, "/"),)),
)


def _parse_exact_layouts(text: pl.Expr) -> pl.Expr:
    """The datetime of values written exactly in one of ``_FAST_LAYOUTS``, null for others."""
    length = text.str.len_bytes()
    found = []
    for layout, width, marks in _FAST_LAYOUTS:
        mine = length == width
        for position, character in marks:
            mine = mine & (text.str.slice(position, 1) == character)
        # The other layouts' values are null here, and a null costs next to nothing to parse.
        candidate = pl.when(mine).then(text)
        parsed = candidate.str.strptime(pl.Datetime("us"), layout, strict=False)
        found.append(pl.when(parsed.dt.strftime(layout) == candidate).then(parsed))
    return pl.coalesce(found)


def _parse_by_rules(text: pl.Expr, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(parsed datetime, error rule or null) by the full rules, for any text."""
    iso = text.str.extract_groups(_ISO)
    uk = text.str.extract_groups(_UK)
    iso_ok = iso.struct.field("1").is_not_null()
    uk_ok = uk.struct.field("1").is_not_null()

    def part(iso_field: str, uk_field: str, width: int, default: str) -> pl.Expr:
        value = (
            pl.when(iso_ok).then(iso.struct.field(iso_field)).otherwise(uk.struct.field(uk_field))
        )
        return _pad(value.fill_null(default), width)

    year = part("1", "3", 4, "0000")
    month = part("2", "2", 2, "00")
    day = part("3", "1", 2, "00")
    hour = part("4", "4", 2, "00")
    minute = part("5", "5", 2, "00")
    second = part("6", "6", 2, "00")
    stamp = pl.concat_str(
        [
            year,
            pl.lit("-"),
            month,
            pl.lit("-"),
            day,
            pl.lit(" "),
            hour,
            pl.lit(":"),
            minute,
            pl.lit(":"),
            second,
        ]
    )
    parsed = stamp.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us")
    recognised = iso_ok | uk_ok
    value: pl.Expr = pl.when(recognised).then(parsed)
    error = (
        pl.when(raw.is_null())
        .then(None)
        .when(~recognised)
        .then(pl.lit("unrecognised_date"))
        .when(parsed.is_null())
        .then(pl.lit("invalid_date"))
    )
    return value, error


def _value_column(name: str) -> str:
    return f"__value__{name}"


def _date_error_column(name: str) -> str:
    return f"__date_error__{name}"


def _with_temporal(raw: pl.DataFrame, columns: list[Column]) -> pl.DataFrame:
    """Add each date or datetime column's parsed value and error rule (null when fine).

    Worked out in steps over named columns, so that no intermediate result is computed twice:
    the exact layouts first, then the full rules on the values they did not read (few, usually:
    the other rows are null there, which the regexes skip at no cost)."""
    if not columns:
        return raw
    text = {c.name: f"__text__{c.name}" for c in columns}
    quick = {c.name: f"__quick__{c.name}" for c in columns}
    rest = {c.name: f"__rest__{c.name}" for c in columns}
    frame = raw.with_columns(pl.col(c.name).str.strip_chars().alias(text[c.name]) for c in columns)
    frame = frame.with_columns(
        _parse_exact_layouts(pl.col(text[c.name])).alias(quick[c.name]) for c in columns
    )
    frame = frame.with_columns(
        pl.when(pl.col(quick[c.name]).is_null()).then(pl.col(text[c.name])).alias(rest[c.name])
        for c in columns
    )
    parsed = []
    for col in columns:
        slow, slow_error = _parse_by_rules(pl.col(rest[col.name]), pl.col(col.name))
        value: pl.Expr = pl.coalesce(pl.col(quick[col.name]), slow)
        if col.kind == "date":
            value = value.dt.date()
        error = pl.when(pl.col(quick[col.name]).is_null()).then(slow_error)
        parsed += [value.alias(_value_column(col.name)), error.alias(_date_error_column(col.name))]
    return frame.with_columns(parsed).drop([*text.values(), *quick.values(), *rest.values()])


def _parse_column(col: Column) -> tuple[pl.Expr, pl.Expr, str | pl.Expr]:
    """(value expression, error-rule expression, action on error) for one column.

    The error expression reads the parsed value from ``_value_column(col.name)`` (computed
    first, so it is worked out once); dates and datetimes come ready from ``_with_temporal``."""
    raw = pl.col(col.name)
    parsed = pl.col(_value_column(col.name))
    none = pl.lit(None, dtype=pl.String)
    if col.kind in ("id", "text", "json"):
        return raw.str.strip_chars(), none, REJECT
    if col.kind in ("date", "datetime"):
        return parsed, pl.col(_date_error_column(col.name)), REJECT
    if col.kind == "flag":
        upper = raw.str.strip_chars().str.to_uppercase()
        flag = pl.when(upper.is_in(_TRUE)).then(True).when(upper.is_in(_FALSE)).then(False)
        return flag.cast(pl.Boolean), none, REJECT
    if col.kind in ("int", "float"):
        value, error, clears = ranges.parse_number(col, raw)
        return value, error, pl.when(clears).then(pl.lit(CLEAR)).otherwise(pl.lit(REJECT))
    if col.kind == "code":
        assert col.codes is not None
        lookup = {c.upper(): c for c in col.codes}
        lookup.update({k.upper(): v for k, v in col.code_map.items()})
        key = raw.str.strip_chars().str.to_uppercase().str.replace_all(r"\s+", " ")
        value = key.replace_strict(lookup, default=None, return_dtype=pl.String)
        error = pl.when(raw.is_not_null() & parsed.is_null()).then(pl.lit("unknown_code"))
        return value, error, CLEAR
    raise ValueError(f"unknown column kind {col.kind}")


def stage_table(table: Table, raw: pl.DataFrame) -> StagedTable:
    """Type a table's text rows. ``raw`` has one String column per contract column + source_row."""
    raw = raw.with_columns([pl.col(c.name).cast(pl.String) for c in table.columns])
    raw = _with_temporal(raw, [c for c in table.columns if c.kind in ("date", "datetime")])
    parsers = {col.name: _parse_column(col) for col in table.columns}
    # Values first, into their own columns, then the errors that look at them.
    raw = raw.with_columns(
        parsers[c.name][0].alias(_value_column(c.name))
        for c in table.columns
        if c.kind not in ("date", "datetime")
    )
    errors: list[pl.Expr] = []
    for col in table.columns:
        _, error, action = parsers[col.name]
        action_expr = pl.lit(action) if isinstance(action, str) else action
        if not col.nullable:
            # A blank required value rejects the row, whatever the column's kind.
            blank = pl.col(col.name).is_null()
            error = pl.when(blank).then(pl.lit("blank_required")).otherwise(error)
            action_expr = pl.when(blank).then(pl.lit(REJECT)).otherwise(action_expr)
        errors.append(pl.struct(rule=error, action=action_expr).alias(f"__err__{col.name}"))
    values = [pl.col(_value_column(c.name)).alias(c.name) for c in table.columns]
    worked = raw.select(
        ROW_COLUMN,
        *[pl.col(c.name).alias(f"__raw__{c.name}") for c in table.columns],
        *values,
        *errors,
    )
    # Almost every row is clean: look for each column's problems among the faulty rows only.
    faulty = worked.filter(
        pl.any_horizontal(
            [pl.col(f"__err__{c.name}").struct.field("rule").is_not_null() for c in table.columns]
        )
    )

    issue_frames = []
    for col in table.columns:
        err = f"__err__{col.name}"
        found = faulty.filter(pl.col(err).struct.field("rule").is_not_null()).select(
            pl.col(ROW_COLUMN).alias("source_row"),
            pl.lit(col.name).alias("column_name"),
            pl.col(f"__raw__{col.name}").alias("value"),
            pl.col(err).struct.field("rule").alias("rule"),
            pl.col(err).struct.field("action").alias("action"),
        )
        issue_frames.append(found)
    issues = pl.concat(issue_frames) if issue_frames else pl.DataFrame(schema=ISSUE_SCHEMA)

    rejected = issues.filter(pl.col("action") == REJECT)["source_row"].unique()
    staged = worked.filter(~pl.col(ROW_COLUMN).is_in(rejected.implode())).select(
        ROW_COLUMN, *[c.name for c in table.columns]
    )
    # Raw text kept for the duplicate comparison (cleared codes must still differ).
    raw_text = worked.filter(~pl.col(ROW_COLUMN).is_in(rejected.implode())).select(
        ROW_COLUMN, *[f"__raw__{c.name}" for c in table.columns]
    )
    staged, duplicate_issues = _resolve_duplicates(table, staged, raw_text)
    issues = pl.concat([issues, duplicate_issues], how="vertical_relaxed")
    issues = issues.with_columns(
        pl.when(pl.col("rule") == ranges.OUT_OF_RANGE)
        .then(pl.col("column_name").replace_strict(ranges.messages(table.columns), default=None))
        .otherwise(pl.col("rule").replace_strict(RULE_MESSAGES, default="is not valid"))
        .alias("message")
    ).sort("source_row", "column_name")
    return StagedTable(
        table=table, frame=staged.sort(ROW_COLUMN), issues=issues.select(list(ISSUE_SCHEMA))
    )


def _resolve_duplicates(
    table: Table, staged: pl.DataFrame, raw_text: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    empty = pl.DataFrame(schema={k: v for k, v in ISSUE_SCHEMA.items() if k != "message"})
    if not table.key or staged.is_empty():
        return staged, empty
    key = table.key
    compare = [f"__raw__{c.name}" for c in table.columns]
    dup = raw_text.with_columns(
        pl.len().over(f"__raw__{key}").alias("__n"),
        pl.struct(compare).n_unique().over(f"__raw__{key}").alias("__variants"),
        pl.col(ROW_COLUMN).min().over(f"__raw__{key}").alias("__first"),
    ).filter(pl.col("__n") > 1)
    if dup.is_empty():
        return staged, empty
    conflicting = dup.filter(pl.col("__variants") > 1)
    repeats = dup.filter((pl.col("__variants") == 1) & (pl.col(ROW_COLUMN) != pl.col("__first")))
    issues = pl.concat(
        [
            rows.select(
                pl.col(ROW_COLUMN).alias("source_row"),
                pl.lit(key).alias("column_name"),
                pl.col(f"__raw__{key}").alias("value"),
                pl.lit(rule).alias("rule"),
                pl.lit(action).alias("action"),
            )
            for rows, rule, action in (
                (conflicting, "duplicate_id", REJECT),
                (repeats, "duplicate_row", DROP_DUPLICATE),
            )
        ]
    )
    drop = issues["source_row"].implode()
    return staged.filter(~pl.col(ROW_COLUMN).is_in(drop)), issues
