"""Row-level defects summarised for a person: one line per file, column and rule, with the count
and the first rows, never a line per row (the full list is in ``stg.quarantine`` and the
validation report)."""

import duckdb

from pipelines.lib import screening

FIRST_ROWS = 5
# A defect found this often or less is shown row by row, with its value (what to correct).
ROW_BY_ROW = 3
# What happened to a row, said of one row and of several.
OUTCOMES = {
    "row_rejected": ("row quarantined", "rows quarantined"),
    "value_cleared": ("value cleared", "values cleared"),
    "row_flagged": ("row kept, flagged", "rows kept, flagged"),
    screening.ACTION: ("removed; the rest of the cell kept", "removed; the rest of each cell kept"),
}
DROPPED = ("row dropped", "rows dropped")


def row_word(source_file: str) -> str:
    """XML rows are placed by the line of their element; other files by spreadsheet row."""
    return "line" if source_file.lower().endswith(".xml") else "row"


def quarantine_lines(
    con: duckdb.DuckDBPyConnection, la_code: str, delivery_ids: list[str]
) -> list[str]:
    """One line per file, column, rule and outcome of the deliveries' quarantined rows (a defect
    found only a few times is shown row by row, with its value)."""
    rows = con.execute(
        """select extract_date, source_file, column_name, rule, action, min(message),
                  count(*), list(distinct source_row order by source_row)[1:?],
                  list({'row': source_row, 'value': value, 'message': message}
                       order by source_row)[1:?]
           from stg.quarantine where la_code = ? and delivery_id in (select unnest(?))
           group by all
           order by extract_date, source_file, count(*) desc, column_name, rule""",
        [FIRST_ROWS + 1, ROW_BY_ROW, la_code, delivery_ids],
    ).fetchall()
    lines = []
    for day, file, column, rule, action, message, count, first, each in rows:
        word = row_word(file)
        one, many = OUTCOMES.get(action, DROPPED)
        if count <= ROW_BY_ROW:
            for item in each:
                # Removed personal data is never quoted; a value that may identify someone is
                # shown by its length only.
                value = "the cell" if action == screening.ACTION else screening.shown(item["value"])
                lines.append(
                    f"{la_code} {day} {file} {word} {item['row']}, column '{column}': {value} "
                    f"{item['message']} [{one}]"
                )
            continue
        shown = ", ".join(str(r) for r in first[:FIRST_ROWS]) + (
            ", ..." if len(first) > FIRST_ROWS or count > len(first) else ""
        )
        lines.append(
            f"{la_code} {day} {file}, column '{column}': {message} [{rule}]: {count:,} {many} "
            f"({word}s {shown}; every one in stg.quarantine and the validation report)"
        )
    return lines
