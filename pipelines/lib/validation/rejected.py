"""A table that lost all (or an implausible share) of its rows on the way in fails validation.

Staging quarantines rows it cannot type (a date stored as a number, a missing id). A few such
rows are data-quality work; when most of a table's rows are rejected the delivery is broken (a
column exported in the wrong type), and the staged table, nearly empty, would silently replace a
good one: the KPIs that read it would fall to zero. So the share is an error-level check on that
table, and the KPIs that read it are withheld (their last good values stay) while the rest
publish.

The threshold is more than half of the rows a table's files delivered (``CSC_MAX_REJECTED_SHARE``,
a fraction, default 0.5): well above the rejects of any extract seen so far (under 1%), well
below "all of them".
"""

import datetime as dt
import os

import duckdb

from pipelines.lib.validation.gx import EXAMPLES, CheckResult

SHARE_ENV = "CSC_MAX_REJECTED_SHARE"
DEFAULT_SHARE = 0.5


def max_rejected_share() -> float:
    raw = os.environ.get(SHARE_ENV, "").strip()
    if not raw:
        return DEFAULT_SHARE
    share = float(raw)
    if not 0 <= share < 1:
        raise ValueError(f"{SHARE_ENV}={raw}: give a fraction from 0 up to (not including) 1")
    return share


def rejected_share_results(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> dict[str, CheckResult]:
    """Per table of the extract's loaded delivery: at most the allowed share of its delivered
    rows were rejected. The check names the file, and the column and rule that rejected most."""
    share = max_rejected_share()
    read = con.execute(
        """select r.table_name, sum(r.rows_read) from (
               select la_code, extract_date, delivery_id, table_name, rows_read
               from meta.delivery_files where table_name is not null
               union all
               -- tables a statutory return gave (one file, several tables)
               select la_code, extract_date, delivery_id, table_name, rows_read
               from meta.delivery_sources where source_format <> 'ssd'
           ) r join meta.deliveries d using (la_code, extract_date, delivery_id)
           where d.la_code = ? and d.extract_date = ? and d.status = 'loaded'
           group by r.table_name""",
        [la_code, extract_date],
    ).fetchall()
    rejected = con.execute(
        """select q.table_name, q.source_file, q.column_name, q.rule,
                  count(distinct q.source_row) as rows,
                  list(distinct q.source_row order by q.source_row)[1:?] as first_rows
           from stg.quarantine q join meta.deliveries d using (la_code, extract_date, delivery_id)
           where q.la_code = ? and q.extract_date = ? and d.status = 'loaded'
             and q.action = 'row_rejected'
           group by all order by q.table_name, rows desc, q.source_file, q.column_name""",
        [EXAMPLES, la_code, extract_date],
    ).fetchall()
    totals = con.execute(
        """select q.table_name, count(distinct (q.source_file, q.source_row))
           from stg.quarantine q join meta.deliveries d using (la_code, extract_date, delivery_id)
           where q.la_code = ? and q.extract_date = ? and d.status = 'loaded'
             and q.action = 'row_rejected'
           group by all""",
        [la_code, extract_date],
    ).fetchall()
    lost = dict(totals)
    out = {}
    for table, rows_read in read:
        if not rows_read:
            continue
        count = int(lost.get(table, 0))
        top = next((r for r in rejected if r[0] == table), None)
        most = f"; most for {top[1]}, column {top[2]}: {top[3]}" if top else ""
        out[table] = CheckResult(
            description=f"no more than {share:.0%} of the delivered rows are rejected on the "
            f"way in (full list in stg.quarantine{most})",
            column=top[2] if top else None,
            severity="error",
            success=count <= share * rows_read,
            element_count=int(rows_read),
            unexpected_count=count,
            unexpected_percent=100.0 * count / rows_read,
            examples=[{"row": int(r), "column": top[2]} for r in top[5]] if top else [],
        )
    return out
