"""The 903's UASC and OC2 tables as contract rows: ``ssd_immigration_status`` (one UASC span per
child) and ``ssd_cla_health`` (one row per check done, dated 31 March of its return's year).

UASC: the table lists the children who were unaccompanied asylum-seeking children in the year,
with DUC, the date the status ceased (blank while it lasts). The 903 has no date the status
began; UASC are looked after as UASC from their first day, so the span starts on the DECOM of
the child's first episode in the return(s). A UASC row of a child with no episode is left out
(``903_uasc_without_episode``): its span would have no start.

OC2: one row per child looked after continuously for 12 months at 31 March, each check 0 or 1.
A 1 is a check of the type ``spec.yaml`` ``oc2_checks`` names, dated 31 March of the return's
year (OC2 says only that the check was up to date then); a 0 or a blank is no check; any other
value is no check and is noted once per file and column (``903_oc2_not_a_flag``).
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from pipelines.lib.adapters.base import NOT_MAPPED, ROW_DROPPED, AdapterNote
from pipelines.lib.adapters.row_notes import RowNotes
from pipelines.lib.adapters.ssda903.dates import iso_text
from pipelines.lib.adapters.ssda903.joining import Returns
from pipelines.lib.adapters.ssda903.spec import OC2_CHECKS, UASC_STATUS

# Contract rows by (table, file), as mapping.py builds them.
Rows = dict[tuple[str, Path], list[dict[str, object]]]
MakeId = Callable[..., str | None]


def uasc_rows(
    returns: Returns, tables: Rows, make_id: MakeId, first_decom: dict[str | None, dt.date]
) -> list[AdapterNote]:
    """``ssd_immigration_status`` rows of the UASC table; the notes on rows left out."""
    left_out = RowNotes(
        "903_uasc_without_episode",
        ROW_DROPPED,
        "UASC row",
        "UASC row of a child with no episode in the return, left out: the 903 has no date the "
        "status began, which is taken from the child's first episode",
        column="CHILD",
    )
    for _, path, row, v in returns.rows("uasc"):
        child = v.get("CHILD")
        start = first_decom.get(child)
        if child is not None and start is None:
            left_out.add(path, row)
            continue
        tables[("ssd_immigration_status", path)].append(
            {
                "source_row": row,
                "immi_immigration_status_id": make_id("immigration", child),
                "immi_person_id": child,
                "immi_immigration_status": UASC_STATUS,
                "immi_immigration_status_start_date": start.isoformat() if start else None,
                # A DUC that is not a date is passed on for staging to reject, naming the row.
                "immi_immigration_status_end_date": iso_text(v.get("DUC")),
            }
        )
    return left_out.notes()


def health_rows(returns: Returns, tables: Rows, make_id: MakeId) -> list[AdapterNote]:
    """``ssd_cla_health`` rows of the OC2 table; the notes on values that are not 0 or 1."""
    not_flags = {
        column: RowNotes(
            "903_oc2_not_a_flag",
            NOT_MAPPED,
            "OC2 row",
            f"{column} is neither 0 nor 1 (nor blank): no {check.lower().replace('_', ' ')} loaded",
            column=column,
        )
        for column, check in OC2_CHECKS.items()
    }
    for year, path, row, v in returns.rows("oc2"):
        child = v.get("CHILD")
        checked = dt.date(year, 3, 31).isoformat()
        for column, check in OC2_CHECKS.items():
            value = v.get(column)
            if value is None or value == "0":
                continue
            if value != "1":
                not_flags[column].add(path, row)
                continue
            tables[("ssd_cla_health", path)].append(
                {
                    "source_row": row,
                    "clah_health_check_id": make_id("health", child, check, checked),
                    "clah_person_id": child,
                    "clah_health_check_type": check,
                    "clah_health_check_date": checked,
                }
            )
    return [note for notes in not_flags.values() for note in notes.notes()]
