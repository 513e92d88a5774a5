"""A workforce census XML file as its header, its worker records and its vacancies block.

Element names are matched without regard to case or namespace prefix. The census date is the
header's ``ReferenceDate``; failing that, 30 September of the collection ``Year``, or of the
extract (noted). Worker elements this adapter does not read are counted and noted once per name.
"""

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipelines.lib.adapters.base import NOT_MAPPED, REPAIRED, AdapterNote
from pipelines.lib.adapters.csww.spec import (
    USED_WORKER_ELEMENTS,
    VACANCY_ELEMENTS,
    WORKER_ELEMENTS,
)
from pipelines.lib.readers import FileLevelError

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?\s*$")
_UK_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_MARKERS = re.compile(
    rb"<(?:[\w.-]+:)?(?:cswwworker|lalevelvacancies)\b|"
    rb"<(?:[\w.-]+:)?collection\s*>\s*csww\s*<",
    re.IGNORECASE,
)
_ROOT_MESSAGE = re.compile(rb"<(?:[\w.-]+:)?message\b", re.IGNORECASE)
_PEEK_BYTES = 65536


def local_name(element: etree._Element) -> str:
    """The element's name in lower case, without its namespace."""
    return etree.QName(element).localname.lower()


def element_text(element: etree._Element | None) -> str | None:
    """The element's trimmed text; blank or absent -> None."""
    if element is None or element.text is None:
        return None
    text = element.text.strip()
    return text or None


def date_text(value: str | None) -> str | None:
    """``YYYY-MM-DD`` for an XML date (a time part is dropped); other text is passed on as
    given, for the staging to accept (``D/M/YYYY``) or reject."""
    if value is None:
        return None
    match = _ISO_DATE.match(value)
    return f"{match[1]}-{match[2]}-{match[3]}" if match else value


def parse_date(value: str | None) -> dt.date | None:
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


def looks_like_census(path: Path) -> bool:
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


@dataclass
class Worker:
    """One CSWWWorker record, its values by lower-case element name (first occurrence)."""

    element: etree._Element
    values: dict[str, str | None] = field(default_factory=dict)

    def get(self, *names: str) -> str | None:
        for name in names:
            if self.values.get(name) is not None:
                return self.values[name]
        return None


@dataclass
class Census:
    path: Path
    tree: etree._ElementTree
    reference_date: dt.date
    told_by: str | None  # where the date came from; None when taken from the extract date
    la_code: str
    workers: list[Worker]
    vacancies: etree._Element | None


def read_census(path: Path, extract_date: dt.date, notes: list[AdapterNote]) -> Census:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        tree = etree.parse(str(path), parser)
    except (etree.XMLSyntaxError, OSError) as exc:
        raise FileLevelError(path, f"not readable as XML: {exc}") from exc
    root = tree.getroot()
    header: dict[str, str | None] = {}
    workers: list[Worker] = []
    vacancies: etree._Element | None = None
    unused: Counter[str] = Counter()
    for element in root.iter(tag=etree.Element):
        name = local_name(element)
        if name in ("collection", "year", "referencedate", "lea") and name not in header:
            header[name] = element_text(element)
        elif name in WORKER_ELEMENTS:
            worker = Worker(element)
            for child in element.iterchildren(tag=etree.Element):
                child_name = local_name(child)
                worker.values.setdefault(child_name, element_text(child))
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

    reference = parse_date(header.get("referencedate"))
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
    return Census(path, tree, reference, told_by, la_code, workers, vacancies)


def element_path(census: Census, element: etree._Element) -> str:
    """Where the element is in the file, as notes name it (``/Message/CSWWWorker[2]``)."""
    return str(census.tree.getpath(element))


def record_note(
    census: Census,
    element: etree._Element,
    rule: str,
    message: str,
    action: str,
    *,
    within: str = "",
    column: str | None = None,
    value: str | None = None,
) -> AdapterNote:
    """A note on one record (a ``CSWWWorker`` element): its line and path, plus ``within`` it
    the element the note is about."""
    return AdapterNote(
        source_file=str(census.path),
        rule=rule,
        message=message,
        action=action,
        source_row=element.sourceline,
        location=element_path(census, element) + within,
        column=column,
        value=value,
    )
