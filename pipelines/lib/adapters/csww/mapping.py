"""Census records as contract tables: worker periods, sickness absences, vacancies and the
current state of each worker (``ssd_professionals``).

Where two censuses describe the same worker, the newer one wins: a period with the same start
date in a newer census replaces the older record's (so a leaver is not kept open by last
year's record), and ``ssd_professionals`` comes from the newest census only.
"""

import datetime as dt

from lxml import etree

from pipelines.lib.adapters.base import (
    NOT_MAPPED,
    NOT_USED,
    ROW_DROPPED,
    AdaptedTable,
    AdapterNote,
    text_frame,
)
from pipelines.lib.adapters.csww.reading import (
    Census,
    Worker,
    element_text,
    local_name,
    record_note,
)
from pipelines.lib.adapters.csww.spec import LEAVING_REASONS, ORG_ROLE_TITLES
from pipelines.lib.adapters.csww.workers import (
    Period,
    agency_flag,
    census_worker_id,
    org_role,
    worker_period,
)
from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.readers import ROW_COLUMN

_PERIOD_COLUMNS = [
    "worker_id",
    "team_id",
    "period_start",
    "period_end",
    "fte",
    "agency",
    "org_role",
    "leaving_reason",
]


def period_tables(censuses: list[Census], notes: list[AdapterNote]) -> list[AdaptedTable]:
    """One period per worker record; a worker's period with the same start date in a newer
    census (or repeated in the same one) replaces it, so a leaver is not kept open by last
    year's record."""
    chosen: dict[tuple[str | None, str | None], tuple[Census, Worker, Period]] = {}
    for census in reversed(censuses):  # newest first: the first seen wins
        for worker in census.workers:
            period = worker_period(census, worker, notes)
            wid = census_worker_id(census, worker)
            key = (wid, period.start_text)
            if wid is not None and key in chosen:
                kept = chosen[key][0]
                notes.append(
                    record_note(
                        census,
                        worker.element,
                        "csww_repeated_worker",
                        (
                            "The same worker with the same RoleStartDate is already given "
                            + (
                                "earlier in this census"
                                if kept is census
                                else f"by the newer census {kept.path.name}"
                            )
                            + "; this record's period is left out"
                        ),
                        ROW_DROPPED,
                        column="RoleStartDate",
                        value=period.start_text,
                    )
                )
                continue
            chosen[key if wid is not None else (None, f"{census.path}:{id(worker)}")] = (
                census,
                worker,
                period,
            )
    tables = []
    for census in censuses:
        rows: list[dict[str, object]] = []
        for owner, worker, period in chosen.values():
            if owner is not census:
                continue
            reason = worker.get("reasonleave")
            rows.append(
                {
                    ROW_COLUMN: worker.element.sourceline,
                    "worker_id": census_worker_id(census, worker),
                    "team_id": None,
                    "period_start": period.start_text,
                    "period_end": period.end_text,
                    "fte": period.fte,
                    "agency": agency_flag(worker),
                    "org_role": org_role(census, worker, notes),
                    "leaving_reason": LEAVING_REASONS.get(reason or "", reason),
                }
            )
        rows.sort(key=lambda r: int(str(r[ROW_COLUMN])))
        tables.append(
            AdaptedTable("ext_worker_periods", text_frame(rows, _PERIOD_COLUMNS), census.path)
        )
    return tables


_ABSENCE_COLUMNS = ["worker_id", "start_date", "end_date", "reason", "working_days_lost"]


def absence_table(census: Census, notes: list[AdapterNote]) -> AdaptedTable:
    """One SIC absence per worker with working days lost, over the part of the collection
    year the worker was in post: from the later of 1 October and the role start, to the
    earlier of the census date and the role end. Absence at 30 September is noted, not
    loaded (no dates; its sick days are already in WorkingDaysLost)."""
    year_start = census.reference_date.replace(year=census.reference_date.year - 1) + (
        dt.timedelta(days=1)
    )
    rows: list[dict[str, object]] = []
    quiet: list[AdapterNote] = []  # worker_period's repair notes are given once, by period_tables
    for worker in census.workers:
        reason = worker.get("reasonabsence")
        if reason is not None or worker.get("absat30sept") == "1":
            notes.append(
                record_note(
                    census,
                    worker.element,
                    "csww_absence_at_30_september",
                    (
                        "Absence at 30 September (Absat30Sept "
                        f"{worker.get('absat30sept') or 'blank'}, ReasonAbsence "
                        f"{reason or 'blank'}) has no dates and is not loaded"
                    ),
                    NOT_MAPPED,
                    within="/ReasonAbsence",
                    column="ReasonAbsence",
                    value=reason,
                )
            )
        days = worker.get("workingdayslost")
        try:
            if days is not None and float(days) == 0:
                continue  # no days lost: no absence
        except ValueError:
            pass  # not a number: passed on for the staging to reject
        if days is None:
            continue
        period = worker_period(census, worker, quiet)
        start, end = year_start, census.reference_date
        if period.start is not None and year_start < period.start <= census.reference_date:
            start = period.start
        if period.end is not None and start <= period.end < end:
            end = period.end
        rows.append(
            {
                ROW_COLUMN: worker.element.sourceline,
                "worker_id": census_worker_id(census, worker),
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "reason": "SIC",
                "working_days_lost": days,
            }
        )
    return AdaptedTable("ext_absences", text_frame(rows, _ABSENCE_COLUMNS), census.path)


def vacancy_table(census: Census, element: etree._Element) -> AdaptedTable:
    """The council's vacant FTE at the census date, as one whole-council team."""
    values = {
        local_name(child): element_text(child) for child in element.iterchildren(tag=etree.Element)
    }
    row: dict[str, object] = {
        ROW_COLUMN: element.sourceline,
        "team_id": f"LA-{census.la_code}" if census.la_code else "LA",
        "as_at_date": census.reference_date.isoformat(),
        "vacant_fte": values.get("numberofvacancies"),
    }
    return AdaptedTable(
        "ext_vacancies",
        text_frame([row], ["team_id", "as_at_date", "vacant_fte"]),
        census.path,
    )


_PROFESSIONAL_COLUMNS = TABLES_BY_NAME["ssd_professionals"].column_names


def professional_tables(censuses: list[Census], notes: list[AdapterNote]) -> list[AdaptedTable]:
    """Current state: each worker once, from the newest census. Of several records of one
    worker in that census, the one in post at the census date (latest start) is kept."""
    newest = censuses[-1]
    for older in censuses[:-1]:
        notes.append(
            AdapterNote(
                source_file=str(older.path),
                rule="csww_older_census",
                message=(
                    f"ssd_professionals is the current state: taken from the newest census "
                    f"{newest.path.name}, not from this one"
                ),
                action=NOT_USED,
                location="/Message/CSWWWorker",
            )
        )
    quiet: list[AdapterNote] = []
    best: dict[str, tuple[tuple[bool, str], Worker, Period]] = {}
    rows: list[dict[str, object]] = []
    for worker in newest.workers:
        wid = census_worker_id(newest, worker)
        period = worker_period(newest, worker, quiet)
        if wid is None:
            rows.append(_professional_row(None, worker, period))  # the staging rejects it
            continue
        rank = (period.in_post, period.start_text or "")
        if wid in best:
            kept_rank, kept, _ = best[wid]
            dropped = worker if rank <= kept_rank else kept
            notes.append(
                record_note(
                    newest,
                    dropped.element,
                    "csww_repeated_worker",
                    (
                        "Another record of the same worker is in post at the census date or "
                        "started later; this one is not used for ssd_professionals"
                    ),
                    ROW_DROPPED,
                )
            )
            if rank <= kept_rank:
                continue
        best[wid] = (rank, worker, period)
    rows.extend(_professional_row(wid, worker, period) for wid, (_, worker, period) in best.items())
    rows.sort(key=lambda r: int(str(r[ROW_COLUMN])))
    return [AdaptedTable("ssd_professionals", text_frame(rows, _PROFESSIONAL_COLUMNS), newest.path)]


def _professional_row(wid: str | None, worker: Worker, period: Period) -> dict[str, object]:
    role = worker.get("orgrole")
    return {
        ROW_COLUMN: worker.element.sourceline,
        "prof_professional_id": wid,
        "prof_staff_id": None,
        "prof_professional_job_title": ORG_ROLE_TITLES.get(role or "", role),
        "prof_professional_caseload": worker.get("cases30"),
        "prof_professional_department": None,
        "prof_full_time_equivalency": period.fte,
        "prof_agency_worker_flag": agency_flag(worker),
    }
