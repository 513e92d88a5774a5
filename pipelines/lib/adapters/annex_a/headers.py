"""Which list a sheet holds and which field each of its headers names.

Real workbooks word their headers in many ways (case, spacing, punctuation, curly quotes, older
and newer layouts), so a header is normalised before the spec's patterns are tried.
"""

import re

from pipelines.lib.adapters.annex_a.spec import COMMON_FIELDS, LIST_FIELDS, SIGNATURES

_SHEET_LIST = re.compile(r"^\s*list\s*[_\-\s.]*0*(\d{1,2})(?!\d)", re.IGNORECASE)


def normalise_header(value: object) -> str:
    """A header as the matcher sees it: ``Child's  Legal-Status?`` -> ``childs legal status``."""
    text = str(value if value is not None else "").lower()
    text = re.sub(r"['’‘`]", "", text)
    return re.sub(r"[^a-z0-9/]+", " ", text).replace("/", " / ").strip()


def match_header(list_no: int, header: object) -> str | None:
    """The field a header names in a list (``None`` when it is not one the adapter reads)."""
    name = normalise_header(header)
    if not name:
        return None
    for field_name, pattern in (*COMMON_FIELDS, *LIST_FIELDS.get(list_no, ())):
        if re.search(pattern, name):
            return field_name
    return None


def list_number(sheet_name: str, title: str | None = None) -> int | None:
    """The list a sheet holds, from its name (``List_3``, ``List 3 - Referrals``) or title row."""
    for text in (sheet_name, title or ""):
        found = _SHEET_LIST.match(text)
        if found and 1 <= int(found.group(1)) <= 11:
            return int(found.group(1))
    return None


def list_from_headers(headers: list[str]) -> int | None:
    """The list whose signature column is among a sheet's (normalised) headers."""
    for list_no, pattern in SIGNATURES:
        if any(re.search(pattern, h) for h in headers):
            return list_no
    return None
