"""A worker record's id, role, agency flag and period, with the repairs the census needs.

Worker id: ``SWENo`` (the Social Work England number) is a direct identifier and never loaded;
the id is ``csww-`` + the first 20 hex digits of HMAC-SHA256(salt, "<LEA>|<SWENo upper case>")
(see the package docstring on the salt). Repairs, each noted: an agency worker has no
``OrgRole`` and is counted as a case holder; a record with no ``RoleStartDate`` starts on the
census date if still in post, else on its ``RoleEndDate``.
"""

import datetime as dt
import hashlib
import hmac
import os
from dataclasses import dataclass

from pipelines.lib.adapters.base import REPAIRED, AdapterNote
from pipelines.lib.adapters.csww.reading import (
    Census,
    Worker,
    date_text,
    parse_date,
    record_note,
)
from pipelines.lib.adapters.csww.spec import AGENCY_ELEMENTS, REGISTRATION_ELEMENTS

SALT_ENV = "CSC_WORKER_ID_SALT"
DEFAULT_SALT = "csc-kpis/csww-worker-id/v1"


def worker_id(la_code: str, registration_no: str, salt: str | None = None) -> str:
    """The pseudonymous worker id for a registration number in one council (see module doc)."""
    key = (salt if salt is not None else os.environ.get(SALT_ENV) or DEFAULT_SALT).encode()
    message = f"{la_code.strip()}|{registration_no.strip().upper()}".encode()
    return "csww-" + hmac.new(key, message, hashlib.sha256).hexdigest()[:20]


def census_worker_id(census: Census, worker: Worker) -> str | None:
    """The record's worker id in its council; None when it has no registration number."""
    registration = worker.get(*REGISTRATION_ELEMENTS)
    return worker_id(census.la_code, registration) if registration else None


def org_role(census: Census, worker: Worker, notes: list[AdapterNote]) -> str | None:
    """``OrgRole``; an agency worker's record has none (the census does not collect it), but
    every agency worker in the census covers a children and family social work post, which the
    DfE counts in its agency rate: they are counted as case holders (5), and a note says so."""
    role = worker.get("orgrole")
    if role is None and agency_flag(worker) == "Y":
        notes.append(
            record_note(
                census,
                worker.element,
                "csww_agency_role",
                (
                    "An agency worker has no OrgRole (not collected for agency workers); counted "
                    "as a case holder (5) so the agency rate and social work FTE include them"
                ),
                REPAIRED,
                column="OrgRole",
            )
        )
        return "5"
    return role


def agency_flag(worker: Worker) -> str | None:
    """``AgencyWorker`` as Y/N."""
    value = worker.get(*AGENCY_ELEMENTS)
    # 1/0 as the contract's Y/N; anything else goes on for the staging to clear as unknown.
    return {"1": "Y", "0": "N"}.get(value or "", value)


@dataclass(frozen=True)
class Period:
    """A worker record's period, as text for the frame and as dates for reasoning."""

    start_text: str | None
    end_text: str | None
    start: dt.date | None
    end: dt.date | None
    fte: str | None
    in_post: bool


def worker_period(census: Census, worker: Worker, notes: list[AdapterNote]) -> Period:
    raw_start = worker.get("rolestartdate")
    end_text = date_text(worker.get("roleenddate"))
    end = parse_date(end_text)
    in_post = end is None or end > census.reference_date
    start_text = date_text(raw_start)
    if raw_start is None:
        repaired = census.reference_date if in_post or end is None else end
        start_text = repaired.isoformat()
        notes.append(
            record_note(
                census,
                worker.element,
                "csww_no_role_start",
                (
                    "No RoleStartDate: the period starts on "
                    + (
                        f"the census date {repaired.isoformat()}, the only date the census "
                        "shows the worker in post"
                        if in_post or end is None
                        else f"its RoleEndDate {repaired.isoformat()}, so only the leaving is kept"
                    )
                ),
                REPAIRED,
                within="/RoleStartDate",
                column="RoleStartDate",
            )
        )
    fte = worker.get("fte30", "fte") if in_post else worker.get("fte", "fte30")
    return Period(start_text, end_text, parse_date(start_text), end, fte, in_post)
