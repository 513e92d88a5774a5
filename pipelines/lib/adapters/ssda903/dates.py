"""903 dates: ``DD/MM/YYYY`` as councils upload them, or ISO as LIIA writes them."""

import datetime as dt
import re

_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def parse_903_date(text: str | None) -> dt.date | None:
    """A 903 date (``DD/MM/YYYY``, or ISO as LIIA writes it); None when blank or not a date."""
    if not text:
        return None
    text = text.strip()
    uk = _UK_DATE.match(text)
    iso = _ISO_DATE.match(text)
    try:
        if uk:
            return dt.date(int(uk.group(3)), int(uk.group(2)), int(uk.group(1)))
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    except ValueError:
        return None
    return None


def iso_text(text: str | None) -> str | None:
    """ISO text of a 903 date; a value that is not a date is passed on for staging to reject."""
    if text is None:
        return None
    parsed = parse_903_date(text)
    return parsed.isoformat() if parsed else text


def year_ending(day: dt.date) -> int:
    """The collection year (named by its end) that a date falls in: 1 April to 31 March."""
    return day.year + 1 if day > dt.date(day.year, 3, 31) else day.year
