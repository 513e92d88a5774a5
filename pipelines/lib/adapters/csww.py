"""The Children's Social Work Workforce census (CSWW) XML as extract-contract rows.

The DfE collects the CSWW once a year: one ``CSWWWorker`` record per children and family social
worker who was in post at 30 September or left during the year to 30 September, plus the
council's vacancies and agency cover at 30 September (``LALevelVacancies``). This adapter maps:

- every worker record to one ``ext_worker_periods`` row: ``RoleStartDate`` to ``RoleEndDate``
  (blank = still in post), agency flag (``AgencyWorker`` 1/0 -> Y/N), ``OrgRole`` (1-6 as is),
  FTE, and ``ReasonLeave`` as a plain-English leaving reason;
- its ``WorkingDaysLost`` (working days lost to sickness in the collection year) to one
  ``ext_absences`` row with reason ``SIC``, dated to the part of the collection year (1 October
  to 30 September) the worker was in post, with the days as given;
- the worker (one row per worker, from the newest census) to ``ssd_professionals``: agency flag,
  FTE, ``Cases30`` (cases held at 30 September) as the caseload, ``OrgRole`` as the job title;
- ``NumberOfVacancies`` to one ``ext_vacancies`` row for the whole council (team ``LA-<LEA>``:
  the census has no teams) as at the reference date.

Worker id. ``SWENo`` is the worker's Social Work England registration number: a direct
identifier, searchable on the public register, never loaded. The worker id is instead
``csww-`` + the first 20 hex digits of HMAC-SHA256(salt, "<LEA>|<SWENo upper case>"): the same
worker in the same council gets the same id in every census, two councils' ids never collide,
and the number cannot be read back from the id. The salt is ``CSC_WORKER_ID_SALT`` when that
environment variable is set (recommended: a secret kept by the council, unchanged between
runs, or every id changes), otherwise a fixed project salt; with the fixed salt anyone who has
this code and a list of registration numbers can work out which id belongs to whom, so the id
is a pseudonym, not anonymisation.

FTE. ``FTE30`` is the FTE at 30 September (domain notes §2.4); ``FTE`` the worker's FTE. A
worker in post at the reference date gets ``FTE30`` (``FTE`` when ``FTE30`` is absent); a
leaver, who was not in post at 30 September, gets ``FTE`` (``FTE30`` when absent).

Repairs, each with an ``AdapterNote``: a worker with no ``RoleStartDate`` (agency workers need
not give it) starts on the reference date if still in post, which is all the census vouches
for, or on ``RoleEndDate`` if a leaver (a zero-length period: never in post at any date, but
the leaving is kept). A repeated record of one worker with the same start date is left out.

Layouts. Element names are matched without regard to case or namespace prefix, so the layouts
of 2017-2025 with the same element names read alike. Verified against the liia-tools 2021 and
2022 samples and the 2022 XSD; the aliases ``LALevel`` (vacancies block, seen in liia-tools'
reader), ``Agency`` and the older registration-number names are read but unverified.

``source_row`` is the line of the ``CSWWWorker`` (or ``LALevelVacancies``) element.
"""

import datetime as dt
import hashlib
import hmac
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipelines.lib.adapters.base import (
    NOT_MAPPED,
    NOT_USED,
    REPAIRED,
    ROW_DROPPED,
    Adapted,
    AdaptedTable,
    AdapterNote,
    ReferenceDate,
    text_frame,
)
from pipelines.lib.adapters.reference_dates import long_date
from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.readers import ROW_COLUMN, FileLevelError

SOURCE_FORMAT = "csww"
SALT_ENV = "CSC_WORKER_ID_SALT"
DEFAULT_SALT = "csc-kpis/csww-worker-id/v1"

PROVIDES: dict[str, frozenset[str]] = {
    "ext_worker_periods": frozenset(
        {"worker_id", "period_start", "period_end", "fte", "agency", "org_role", "leaving_reason"}
    ),
    "ext_absences": frozenset(
        {"worker_id", "start_date", "end_date", "reason", "working_days_lost"}
    ),
    "ext_vacancies": frozenset({"team_id", "as_at_date", "vacant_fte"}),
    "ssd_professionals": frozenset(
        {
            "prof_professional_id",
            "prof_professional_job_title",
            "prof_professional_caseload",
            "prof_full_time_equivalency",
            "prof_agency_worker_flag",
        }
    ),
}

LIMITS: dict[str, str] = {
    # Keys: a contract column, or a table for what the census cannot give at all.
    "ext_worker_periods": (
        "The census is a snapshot at 30 September: one record per worker, the role held then or "
        "the one left during the year. Team moves, FTE changes and earlier roles are not "
        "recorded, and workers who left before the collection year are absent, so figures are "
        "reliable at each 30 September only; a weekly or monthly series has one true point a year."
    ),
    "team_id": "The census has no teams: no figure by team or service area.",
    "org_role": (
        "OrgRole is not collected for agency workers: they are counted as case holders (5), so "
        "supervision and role breakdowns cannot tell an agency team manager from a case holder."
    ),
    "ext_absences": (
        "Only the total working days lost to sickness in the year to 30 September, per worker: "
        "no absence dates, no other reasons. Each total is one SIC absence spanning the part of "
        "the year the worker was in post, so a 12-month window ending on another date gets a "
        "pro-rata share. Absence at 30 September (Absat30Sept, ReasonAbsence) has no dates and "
        "is not loaded."
    ),
    "ext_vacancies": (
        "Vacancies are one council-wide FTE at 30 September (team 'LA-<LEA>'), not by team. The "
        "council's agency FTE and headcount (NoAgencyFTE, NoAgencyHeadcount) have no contract "
        "column; agency_rate_pct counts agency worker records instead, which can differ from "
        "the DfE rate."
    ),
    "ssd_involvements": (
        "No allocations per child: only the number of cases each worker held at 30 September "
        "(Cases30, in prof_professional_caseload). caseload_avg, unallocated_children and "
        "supervision_timely_pct need ssd_involvements."
    ),
    "ext_supervisions": "Supervision sessions are not collected.",
    "prof_staff_id": (
        "No staff id: the Social Work England number is a direct identifier and is not loaded."
    ),
    "prof_professional_department": "No department or team is collected.",
}

# CSWW ReasonLeave codes (domain notes §2.4), kept as plain English in leaving_reason.
LEAVING_REASONS = {
    "1": "resignation",
    "2": "voluntary redundancy",
    "3": "compulsory redundancy",
    "4": "dismissed",
    "5": "retired",
    "6": "deceased",
    "7": "moved to a non-children and family social work role in the council",
    "8": "other",
    "9": "not known",
    "10": "not yet collected",
}
ORG_ROLE_TITLES = {
    "1": "Senior manager",
    "2": "Middle manager",
    "3": "First line manager",
    "4": "Senior practitioner",
    "5": "Case holder",
    "6": "Qualified without cases",
}

# Element names, lower case, without namespace.
WORKER_ELEMENTS = frozenset({"cswwworker"})
VACANCY_ELEMENTS = frozenset({"lalevelvacancies", "lalevel"})
REGISTRATION_ELEMENTS = ("sweno", "swenumber", "sweregno", "hcpcno", "hcpcregno", "hcpcnumber")
AGENCY_ELEMENTS = ("agencyworker", "agency")
USED_WORKER_ELEMENTS = frozenset(
    {
        *REGISTRATION_ELEMENTS,
        *AGENCY_ELEMENTS,
        "fte",
        "fte30",
        "orgrole",
        "rolestartdate",
        "roleenddate",
        "reasonleave",
        "cases30",
        "workingdayslost",
        "absat30sept",
        "reasonabsence",
    }
)

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?\s*$")
_UK_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_MARKERS = re.compile(
    rb"<(?:[\w.-]+:)?(?:cswwworker|lalevelvacancies)\b|"
    rb"<(?:[\w.-]+:)?collection\s*>\s*csww\s*<",
    re.IGNORECASE,
)
_ROOT_MESSAGE = re.compile(rb"<(?:[\w.-]+:)?message\b", re.IGNORECASE)
_PEEK_BYTES = 65536


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname.lower()


def _text(element: etree._Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    text = element.text.strip()
    return text or None


def _date_text(value: str | None) -> str | None:
    """``YYYY-MM-DD`` for an XML date (a time part is dropped); other text is passed on as
    given, for the staging to accept (``D/M/YYYY``) or reject."""
    if value is None:
        return None
    match = _ISO_DATE.match(value)
    return f"{match[1]}-{match[2]}-{match[3]}" if match else value


def _parse_date(value: str | None) -> dt.date | None:
    """The date in ``value`` when it is one, for the adapter's own reasoning; else None."""
    if value is None:
        return None
    try:
        if match := _ISO_DATE.match(value):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _UK_DATE.match(value):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    return None


def _last_30_september(day: dt.date) -> dt.date:
    census = dt.date(day.year, 9, 30)
    return census if census <= day else dt.date(day.year - 1, 9, 30)


def worker_id(la_code: str, registration_no: str, salt: str | None = None) -> str:
    """The pseudonymous worker id for a registration number in one council (see module doc)."""
    key = (salt if salt is not None else os.environ.get(SALT_ENV) or DEFAULT_SALT).encode()
    message = f"{la_code.strip()}|{registration_no.strip().upper()}".encode()
    return "csww-" + hmac.new(key, message, hashlib.sha256).hexdigest()[:20]


@dataclass
class _Worker:
    """One CSWWWorker record, its values by lower-case element name (first occurrence)."""

    element: etree._Element
    values: dict[str, str | None] = field(default_factory=dict)

    def get(self, *names: str) -> str | None:
        for name in names:
            if self.values.get(name) is not None:
                return self.values[name]
        return None


@dataclass
class _Census:
    path: Path
    tree: etree._ElementTree
    reference_date: dt.date
    told_by: str | None  # where the date came from; None when taken from the extract date
    la_code: str
    workers: list[_Worker]
    vacancies: etree._Element | None


class CswwAdapter:
    """The DfE Children's Social Work Workforce census XML (see the module docstring)."""

    source_format = SOURCE_FORMAT

    def claims(self, path: Path) -> bool:
        """An ``.xml`` file with CSWW elements in its first 64 KB, or named like a workforce
        census (``*workforce*.xml``, ``*csww*.xml``) with a ``Message`` root."""
        if path.suffix.lower() != ".xml" or not path.is_file():
            return False
        try:
            with path.open("rb") as handle:
                head = handle.read(_PEEK_BYTES)
        except OSError:
            return False
        if _MARKERS.search(head):
            return True
        name = path.name.lower()
        return ("workforce" in name or "csww" in name) and bool(_ROOT_MESSAGE.search(head))

    def adapt(self, paths: list[Path], extract_date: dt.date) -> Adapted:
        """Rows for every census in ``paths``; where two censuses describe the same worker,
        the newer one wins (see ``_periods`` and ``_professionals``)."""
        notes: list[AdapterNote] = []
        censuses = sorted(
            (_read(path, extract_date, notes) for path in paths),
            key=lambda c: (c.reference_date, str(c.path)),
        )
        adapted = Adapted(source_format=SOURCE_FORMAT, notes=notes)
        if not censuses:
            return adapted
        adapted.reference_date = censuses[-1].reference_date
        adapted.reference_dates = [
            ReferenceDate(
                c.path.name,
                c.reference_date,
                f"the workforce census at {long_date(c.reference_date)}",
                c.told_by,
            )
            for c in censuses
            if c.told_by
        ]
        adapted.tables.extend(_periods(censuses, notes))
        adapted.tables.extend(_absences(c, notes) for c in censuses)
        adapted.tables.extend(
            _vacancies(c, c.vacancies) for c in censuses if c.vacancies is not None
        )
        adapted.tables.extend(_professionals(censuses, notes))
        return adapted


def _read(path: Path, extract_date: dt.date, notes: list[AdapterNote]) -> _Census:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        tree = etree.parse(str(path), parser)
    except (etree.XMLSyntaxError, OSError) as exc:
        raise FileLevelError(path, f"not readable as XML: {exc}") from exc
    root = tree.getroot()
    header: dict[str, str | None] = {}
    workers: list[_Worker] = []
    vacancies: etree._Element | None = None
    unused: Counter[str] = Counter()
    for element in root.iter(tag=etree.Element):
        name = _local(element)
        if name in ("collection", "year", "referencedate", "lea") and name not in header:
            header[name] = _text(element)
        elif name in WORKER_ELEMENTS:
            worker = _Worker(element)
            for child in element.iterchildren(tag=etree.Element):
                child_name = _local(child)
                worker.values.setdefault(child_name, _text(child))
                if child_name not in USED_WORKER_ELEMENTS:
                    # counted under the file's own spelling, for the note
                    unused[etree.QName(child).localname] += 1
            workers.append(worker)
        elif name in VACANCY_ELEMENTS and vacancies is None:
            vacancies = element
    collection = (header.get("collection") or "").upper()
    if collection and collection != "CSWW":
        raise FileLevelError(
            path, f"a '{header['collection']}' collection, not the CSWW", column="Collection"
        )
    if not workers and vacancies is None:
        raise FileLevelError(path, "no CSWWWorker or LALevelVacancies element: not a CSWW census")

    reference = _parse_date(header.get("referencedate"))
    told_by: str | None = "ReferenceDate in its header"
    if reference is None:
        told_by = (
            "the collection Year in its header" if (header.get("year") or "").isdigit() else None
        )
        year = header.get("year")
        reference = (
            dt.date(int(year), 9, 30)
            if year and year.isdigit()
            else _last_30_september(extract_date)
        )
        notes.append(
            AdapterNote(
                source_file=str(path),
                rule="csww_reference_date",
                message=(
                    f"No usable ReferenceDate in the header: the census date is taken as "
                    f"{reference.isoformat()} (30 September of "
                    + ("the collection Year)" if year and year.isdigit() else "the extract)")
                ),
                action=REPAIRED,
                location="/Message/Header/CollectionDetails/ReferenceDate",
                column="ReferenceDate",
                value=header.get("referencedate"),
            )
        )
    la_code = header.get("lea") or ""
    if not la_code:
        notes.append(
            AdapterNote(
                source_file=str(path),
                rule="csww_no_lea",
                message=(
                    "No LEA in the header: worker ids are built from the registration number "
                    "alone, so they will not match ids from a census that has the LEA."
                ),
                action=REPAIRED,
                location="/Message/Header/Source/LEA",
                column="LEA",
            )
        )
    for name, count in sorted(unused.items()):
        notes.append(
            AdapterNote(
                source_file=str(path),
                rule="csww_item_not_mapped",
                message=(
                    f"{name} ({count} workers) has no column in the extract contract and is "
                    "not loaded"
                ),
                action=NOT_MAPPED,
                location="/Message/CSWWWorker/" + name,
                column=name,
            )
        )
    return _Census(path, tree, reference, told_by, la_code, workers, vacancies)


def _location(census: _Census, element: etree._Element) -> str:
    return str(census.tree.getpath(element))


def _worker_id(census: _Census, worker: _Worker) -> str | None:
    registration = worker.get(*REGISTRATION_ELEMENTS)
    return worker_id(census.la_code, registration) if registration else None


def _org_role(census: _Census, worker: _Worker, notes: list[AdapterNote]) -> str | None:
    """``OrgRole``; an agency worker's record has none (the census does not collect it), but
    every agency worker in the census covers a children and family social work post, which the
    DfE counts in its agency rate: they are counted as case holders (5), and a note says so."""
    role = worker.get("orgrole")
    if role is None and _agency(worker) == "Y":
        notes.append(
            AdapterNote(
                source_file=str(census.path),
                rule="csww_agency_role",
                message=(
                    "An agency worker has no OrgRole (not collected for agency workers); counted "
                    "as a case holder (5) so the agency rate and social work FTE include them"
                ),
                action=REPAIRED,
                source_row=worker.element.sourceline,
                location=_location(census, worker.element),
                column="OrgRole",
            )
        )
        return "5"
    return role


def _agency(worker: _Worker) -> str | None:
    value = worker.get(*AGENCY_ELEMENTS)
    # 1/0 as the contract's Y/N; anything else goes on for the staging to clear as unknown.
    return {"1": "Y", "0": "N"}.get(value or "", value)


@dataclass(frozen=True)
class _Period:
    """A worker record's period, as text for the frame and as dates for reasoning."""

    start_text: str | None
    end_text: str | None
    start: dt.date | None
    end: dt.date | None
    fte: str | None
    in_post: bool


def _period(census: _Census, worker: _Worker, notes: list[AdapterNote]) -> _Period:
    raw_start = worker.get("rolestartdate")
    end_text = _date_text(worker.get("roleenddate"))
    end = _parse_date(end_text)
    in_post = end is None or end > census.reference_date
    start_text = _date_text(raw_start)
    if raw_start is None:
        repaired = census.reference_date if in_post or end is None else end
        start_text = repaired.isoformat()
        notes.append(
            AdapterNote(
                source_file=str(census.path),
                rule="csww_no_role_start",
                message=(
                    "No RoleStartDate: the period starts on "
                    + (
                        f"the census date {repaired.isoformat()}, the only date the census "
                        "shows the worker in post"
                        if in_post or end is None
                        else f"its RoleEndDate {repaired.isoformat()}, so only the leaving is kept"
                    )
                ),
                action=REPAIRED,
                source_row=worker.element.sourceline,
                location=_location(census, worker.element) + "/RoleStartDate",
                column="RoleStartDate",
            )
        )
    fte = worker.get("fte30", "fte") if in_post else worker.get("fte", "fte30")
    return _Period(start_text, end_text, _parse_date(start_text), end, fte, in_post)


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


def _periods(censuses: list[_Census], notes: list[AdapterNote]) -> list[AdaptedTable]:
    """One period per worker record; a worker's period with the same start date in a newer
    census (or repeated in the same one) replaces it, so a leaver is not kept open by last
    year's record."""
    chosen: dict[tuple[str | None, str | None], tuple[_Census, _Worker, _Period]] = {}
    for census in reversed(censuses):  # newest first: the first seen wins
        for worker in census.workers:
            period = _period(census, worker, notes)
            wid = _worker_id(census, worker)
            key = (wid, period.start_text)
            if wid is not None and key in chosen:
                kept = chosen[key][0]
                notes.append(
                    AdapterNote(
                        source_file=str(census.path),
                        rule="csww_repeated_worker",
                        message=(
                            "The same worker with the same RoleStartDate is already given "
                            + (
                                "earlier in this census"
                                if kept is census
                                else f"by the newer census {kept.path.name}"
                            )
                            + "; this record's period is left out"
                        ),
                        action=ROW_DROPPED,
                        source_row=worker.element.sourceline,
                        location=_location(census, worker.element),
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
                    "worker_id": _worker_id(census, worker),
                    "team_id": None,
                    "period_start": period.start_text,
                    "period_end": period.end_text,
                    "fte": period.fte,
                    "agency": _agency(worker),
                    "org_role": _org_role(census, worker, notes),
                    "leaving_reason": LEAVING_REASONS.get(reason or "", reason),
                }
            )
        rows.sort(key=lambda r: int(str(r[ROW_COLUMN])))
        tables.append(
            AdaptedTable("ext_worker_periods", text_frame(rows, _PERIOD_COLUMNS), census.path)
        )
    return tables


_ABSENCE_COLUMNS = ["worker_id", "start_date", "end_date", "reason", "working_days_lost"]


def _absences(census: _Census, notes: list[AdapterNote]) -> AdaptedTable:
    """One SIC absence per worker with working days lost, over the part of the collection
    year the worker was in post: from the later of 1 October and the role start, to the
    earlier of the census date and the role end. Absence at 30 September is noted, not
    loaded (no dates; its sick days are already in WorkingDaysLost)."""
    year_start = census.reference_date.replace(year=census.reference_date.year - 1) + (
        dt.timedelta(days=1)
    )
    rows: list[dict[str, object]] = []
    quiet: list[AdapterNote] = []  # _period's repair notes are already given by _periods
    for worker in census.workers:
        reason = worker.get("reasonabsence")
        if reason is not None or worker.get("absat30sept") == "1":
            notes.append(
                AdapterNote(
                    source_file=str(census.path),
                    rule="csww_absence_at_30_september",
                    message=(
                        "Absence at 30 September (Absat30Sept "
                        f"{worker.get('absat30sept') or 'blank'}, ReasonAbsence "
                        f"{reason or 'blank'}) has no dates and is not loaded"
                    ),
                    action=NOT_MAPPED,
                    source_row=worker.element.sourceline,
                    location=_location(census, worker.element) + "/ReasonAbsence",
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
        period = _period(census, worker, quiet)
        start, end = year_start, census.reference_date
        if period.start is not None and year_start < period.start <= census.reference_date:
            start = period.start
        if period.end is not None and start <= period.end < end:
            end = period.end
        rows.append(
            {
                ROW_COLUMN: worker.element.sourceline,
                "worker_id": _worker_id(census, worker),
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "reason": "SIC",
                "working_days_lost": days,
            }
        )
    return AdaptedTable("ext_absences", text_frame(rows, _ABSENCE_COLUMNS), census.path)


def _vacancies(census: _Census, element: etree._Element) -> AdaptedTable:
    """The council's vacant FTE at the census date, as one whole-council team."""
    values = {_local(child): _text(child) for child in element.iterchildren(tag=etree.Element)}
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


def _professionals(censuses: list[_Census], notes: list[AdapterNote]) -> list[AdaptedTable]:
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
    best: dict[str, tuple[tuple[bool, str], _Worker, _Period]] = {}
    rows: list[dict[str, object]] = []
    for worker in newest.workers:
        wid = _worker_id(newest, worker)
        period = _period(newest, worker, quiet)
        if wid is None:
            rows.append(_professional_row(None, worker, period))  # the staging rejects it
            continue
        rank = (period.in_post, period.start_text or "")
        if wid in best:
            kept_rank, kept, _ = best[wid]
            dropped = worker if rank <= kept_rank else kept
            notes.append(
                AdapterNote(
                    source_file=str(newest.path),
                    rule="csww_repeated_worker",
                    message=(
                        "Another record of the same worker is in post at the census date or "
                        "started later; this one is not used for ssd_professionals"
                    ),
                    action=ROW_DROPPED,
                    source_row=dropped.element.sourceline,
                    location=_location(newest, dropped.element),
                )
            )
            if rank <= kept_rank:
                continue
        best[wid] = (rank, worker, period)
    rows.extend(_professional_row(wid, worker, period) for wid, (_, worker, period) in best.items())
    rows.sort(key=lambda r: int(str(r[ROW_COLUMN])))
    return [AdaptedTable("ssd_professionals", text_frame(rows, _PROFESSIONAL_COLUMNS), newest.path)]


def _professional_row(wid: str | None, worker: _Worker, period: _Period) -> dict[str, object]:
    role = worker.get("orgrole")
    return {
        ROW_COLUMN: worker.element.sourceline,
        "prof_professional_id": wid,
        "prof_staff_id": None,
        "prof_professional_job_title": ORG_ROLE_TITLES.get(role or "", role),
        "prof_professional_caseload": worker.get("cases30"),
        "prof_professional_department": None,
        "prof_full_time_equivalency": period.fte,
        "prof_agency_worker_flag": _agency(worker),
    }


ADAPTER = CswwAdapter()
