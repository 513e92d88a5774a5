"""One Annex A cell as contract text: trimmed text, codes without their labels, dates.

Nothing here notes anything: a value this cannot read is passed on unchanged, for the caller
to note or for staging to reject naming the cell.
"""

import datetime as dt
import re

from pipelines.lib.adapters.annex_a.spec import NO, UNKNOWN, YES

EXCEL_ERRORS = frozenset(
    {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!"}
)
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")
# ``a) ``, ``zz) `` or ``(b) `` before a code or label.
_PREFIX = re.compile(r"^\(?[a-z]{1,2}\)\s*", re.IGNORECASE)
# A code before its description: ``6: Police``, ``N1 - Abuse or neglect``, ``X1:CodeError``.
_CODE = re.compile(r"^([A-Za-z0-9]{1,6})\s*(?::|\s-\s|\s–\s)")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
# Excel serial numbers accepted as dates: 1910-01-01 to 2099-12-31. A smaller number in a date
# column is more likely a year or a typing slip than a date, and a date is never guessed.
_SERIAL_RANGE = (3654, 73050)


def collapse(text: str) -> str:
    """Runs of white space as one space, trimmed."""
    return re.sub(r"\s+", " ", text).strip()


def cell_text(value: object) -> str | None:
    """A cell as trimmed text (non-breaking spaces as spaces); blank -> None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = collapse(str(value).replace("\xa0", " "))
    return text or None


def strip_prefix(text: str) -> str:
    """``b) Female`` -> ``Female``; text without a prefix is returned as it is."""
    stripped = _PREFIX.sub("", text, count=1)
    return stripped or text


def code_of(text: str) -> str:
    """The code in an Annex A coded value: ``q) 6: Police`` -> ``6``, ``N1 - Abuse`` -> ``N1``;
    a value with no code in front (``Physical abuse``) comes back without its prefix only."""
    label = strip_prefix(text)
    found = _CODE.match(label)
    return found.group(1) if found else label


def date_text(value: object, epoch: dt.datetime, keep_time: bool = False) -> str | None:
    """A date cell as ``YYYY-MM-DD`` (``YYYY-MM-DD HH:MM:SS`` when ``keep_time`` and a time is
    given). Text that is not a real date in DD/MM/YYYY or YYYY-MM-DD form comes back unchanged,
    for staging to reject with its row and column."""
    if value is None:
        return None
    stamp: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        stamp = value
    elif isinstance(value, dt.date):
        return value.isoformat()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            stamp = epoch + dt.timedelta(days=float(value))
            stamp = stamp.replace(microsecond=0)
        else:
            return cell_text(value)
    else:
        text = cell_text(value)
        if text is None:
            return None
        stamp = _parse_text_date(text)
        if stamp is None:
            return text
    if keep_time and stamp.time() != dt.time(0, 0):
        return stamp.strftime("%Y-%m-%d %H:%M:%S")
    return stamp.date().isoformat()


def _parse_text_date(text: str) -> dt.datetime | None:
    uk = _UK_DATE.match(text)
    iso = ISO_DATE.match(text)
    if uk:
        day, month, year, hour, minute, second = uk.groups()
    elif iso:
        year, month, day, hour, minute, second = iso.groups()
    else:
        return None
    try:
        return dt.datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError:  # 31/02/2023: left as text so staging rejects it
        return None


def yes_no(text: str | None) -> str | None:
    """``a) Yes`` -> ``Y``, ``No`` -> ``N``; ``c) Unknown`` or blank -> None; anything else is
    returned as it is (the caller notes it)."""
    if text is None:
        return None
    label = strip_prefix(text).strip().lower()
    if label in YES:
        return "Y"
    if label in NO:
        return "N"
    if label in UNKNOWN:
        return None
    return text
