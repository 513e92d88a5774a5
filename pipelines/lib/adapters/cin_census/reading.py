"""Reading census XML of any schema year: elements matched case-insensitively and without
namespaces, their text, their place in the file, and the collection year and reference date."""

import datetime as dt
import re
from pathlib import Path

from lxml import etree

from pipelines.lib.adapters.cin_census.spec import REPEATED
from pipelines.lib.readers import FileLevelError

_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+)?(?:Z|[+-]\d{2}:\d{2})?$")


def local_name(el: etree._Element) -> str:
    """An element's name in lower case, without a namespace ('' for comments)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return etree.QName(tag).localname.lower()


def kids(el: etree._Element | None, name: str) -> list[etree._Element]:
    """The children of ``el`` with a (lower-case) name."""
    return [] if el is None else [c for c in el if local_name(c) == name]


def kid(el: etree._Element | None, *names: str) -> etree._Element | None:
    """The first child of ``el`` with one of the names, if any."""
    if el is None:
        return None
    for c in el:
        if local_name(c) in names:
            return c
    return None


def text_in(el: etree._Element | None, *names: str) -> str | None:
    """The stripped text of ``el`` (or of its first child with one of the names); None if blank."""
    found = kid(el, *names) if names else el
    if found is None or found.text is None:
        return None
    value = found.text.strip()
    return value or None


def xs_date(value: str | None) -> str | None:
    """``YYYY-MM-DD``; an ``xs:date`` with a time zone (or a datetime) keeps its date part.
    Anything else is passed on for staging to accept (``DD/MM/YYYY``) or reject."""
    if value is None:
        return None
    match = _ISO_DATE.match(value)
    return match.group(1) if match else value


def xml_path(el: etree._Element) -> str:
    """``/Message/Children/Child[3]/CINdetails[1]/Assessments[2]``: repeated elements carry
    their place among same-named siblings, as the file names them."""
    parts: list[str] = []
    node: etree._Element | None = el
    while node is not None:
        label = etree.QName(node.tag).localname
        parent = node.getparent()
        if parent is not None and local_name(node) in REPEATED:
            same = [c for c in parent if local_name(c) == local_name(node)]
            label += f"[{same.index(node) + 1}]"
        parts.append(label)
        node = parent
    return "/" + "/".join(reversed(parts))


def collection_year(root: etree._Element) -> int | None:
    """The census year: ``Header/CollectionDetails/Year``, else the reference date's year."""
    details = kid(kid(root, "header"), "collectiondetails")
    year = text_in(details, "year")
    if year and year.isdigit():
        return int(year)
    ref = reference_date(root)
    return ref.year if ref else None


def reference_date(root: etree._Element) -> dt.date | None:
    details = kid(kid(root, "header"), "collectiondetails")
    text = xs_date(text_in(details, "referencedate"))
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def parse_census(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        doc = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        raise FileLevelError(path, f"not well-formed XML: {exc}") from exc
    root = doc.getroot()
    if local_name(root) != "message":
        raise FileLevelError(
            path, f"the root element is <{root.tag}>, not the CIN census's <Message>"
        )
    if kid(root, "children") is None:
        raise FileLevelError(path, "no <Children> element: not a CIN census return")
    return doc
