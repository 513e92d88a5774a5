"""Reading a 903: each CSV table or the XML export as rows of the 903's own columns, and the
collection year each file belongs to."""

import csv
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipelines.lib.adapters.base import NOT_USED, AdapterNote
from pipelines.lib.adapters.ssda903.dates import parse_903_date, year_ending
from pipelines.lib.adapters.ssda903.spec import (
    HEADER_FIELDS,
    NAMES,
    OC3_FIELDS,
    SIGNATURES,
    UASC_FIELDS,
    UNUSED_TABLES,
    XML_GROUPS,
    XML_RENAME,
    XML_ROOT,
    XML_UNUSED,
)
from pipelines.lib.readers import FileLevelError, read_csv

_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass
class Source:
    """Rows of one 903 table from one file (CSV) or one XML file."""

    table: str
    path: Path
    rows: list[tuple[int, dict[str, str | None]]]  # (source row or XML line, values)
    name_year: int | None


def _stem_key(path: Path) -> str:
    stem = path.stem.lower().replace("ssda903", "")
    stem = re.sub(r"\d", "", stem)
    return re.sub(r"[\s_\-.]", "", stem)


def table_by_name(path: Path) -> str | None:
    return NAMES.get(_stem_key(path))


def table_by_columns(columns: set[str]) -> str | None:
    for table, needed in SIGNATURES.items():
        if all(c in columns for c in needed):
            return table
    return None


def _peek(path: Path, size: int = 4096) -> str:
    with path.open("rb") as handle:
        return handle.read(size).decode("utf-8-sig", errors="replace")


def csv_header(path: Path) -> set[str]:
    first = _peek(path).lstrip("\ufeff").splitlines()
    if not first:
        return set()
    try:
        cells = next(csv.reader([first[0]]))
    except csv.Error:
        return set()
    return {c.replace("\ufeff", "").strip().upper() for c in cells}


def xml_root(path: Path) -> str | None:
    text = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", _peek(path), flags=re.S)
    found = re.search(r"<\s*([A-Za-z_][\w.\-:]*)", text)
    return found.group(1).split(":")[-1] if found else None


def _name_year(path: Path) -> int | None:
    found = _YEAR_IN_NAME.findall(path.stem)
    return int(found[-1]) if found else None


def read_csv_source(path: Path) -> Source:
    raw = read_csv(path)
    columns = {c.upper() for c in raw.columns}
    table = table_by_columns(columns)
    if table is None:
        named = table_by_name(path)
        if named is None:
            raise FileLevelError(path, "not an SSDA903 table: its columns match none of them")
        missing = next(c for c in SIGNATURES[named] if c not in columns)
        raise FileLevelError(
            path, f"the SSDA903 {named} table needs the column {missing}", column=missing
        )
    frame = raw.frame.rename({c: c.upper() for c in raw.frame.columns if c != "source_row"})
    rows = [
        (int(r.pop("source_row")), {k: _clean(v) for k, v in r.items()}) for r in frame.to_dicts()
    ]
    return Source(table, path, rows, _name_year(path))


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def read_xml_sources(path: Path, notes: list[AdapterNote]) -> list[Source]:
    try:
        tree = etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        raise FileLevelError(path, f"the XML cannot be read ({exc})") from exc
    rows: dict[str, list[tuple[int, dict[str, str | None]]]] = defaultdict(list)
    unused: dict[str, int] = defaultdict(int)
    for child in tree.getroot().iter("CHILD"):
        header = child.find("HEADER")
        if header is None:
            continue
        values: dict[str, str | None] = {}
        oc2: etree._Element | None = None
        for el in header:
            tag = XML_RENAME.get(str(el.tag), str(el.tag))
            if len(el) == 0 and tag in HEADER_FIELDS | OC3_FIELDS | UASC_FIELDS:
                values[tag] = _clean(el.text)
            elif tag == "OC2":
                oc2 = el
            elif tag in XML_UNUSED and (len(el) or _clean(el.text)):
                unused[XML_UNUSED[tag]] += 1
        child_id = values.get("CHILD")
        # The UASC table's row: a child flagged UASC, or with a date the status ceased.
        if values.get("UASC") == "1" or values.get("DUC"):
            rows["uasc"].append(
                (header.sourceline or 0, {"CHILD": child_id, "DUC": values.get("DUC")})
            )
        if oc2 is not None and len(oc2):
            checks = {"CHILD": child_id, **{str(sub.tag): _clean(sub.text) for sub in oc2}}
            rows["oc2"].append((oc2.sourceline or 0, checks))
        rows["header"].append(
            (header.sourceline or 0, {k: values.get(k) for k in ("CHILD", "SEX", "DOB", "ETHNIC")})
        )
        if any(values.get(k) for k in OC3_FIELDS):
            oc3_el = header.find("IN_TOUCH")
            line = oc3_el.sourceline if oc3_el is not None else header.sourceline
            rows["oc3"].append(
                (line or 0, {"CHILD": child_id, **{k: values.get(k) for k in OC3_FIELDS}})
            )
        for tag, table in XML_GROUPS.items():
            for el in child.iter(tag):
                record: dict[str, str | None] = {"CHILD": child_id}
                for sub in el:
                    record[XML_RENAME.get(str(sub.tag), str(sub.tag))] = _clean(sub.text)
                rows[table].append((el.sourceline or 0, record))
    for table, count in sorted(unused.items()):
        notes.append(
            AdapterNote(
                str(path),
                "903_table_not_used",
                f"{count} children's {table} data not loaded: {UNUSED_TABLES[table]}",
                NOT_USED,
                location=f"/{XML_ROOT}/CHILD/HEADER",
            )
        )
    return [Source(t, path, r, _name_year(path)) for t, r in rows.items()]


def source_years(sources: list[Source], extract_date: dt.date) -> dict[int, int]:
    """Each source's collection year (by its end): from the episodes of the same file name year
    (or of the same XML file); else the year in its name; else the newest year of the episodes;
    else the year that ended on the last 31 March on or before the extract date."""
    latest_decom: dict[tuple[int | None, Path | None], dt.date] = {}
    for src in sources:
        if src.table != "episodes":
            continue
        key = (src.name_year, src.path if src.path.suffix.lower() == ".xml" else None)
        for _, row in src.rows:
            day = parse_903_date(row.get("DECOM"))
            if day is not None and (key not in latest_decom or day > latest_decom[key]):
                latest_decom[key] = day
    newest = year_ending(max(latest_decom.values())) if latest_decom else None
    # With no episodes to tell, the last 31 March on or before the extract date.
    fallback = extract_date.year - (1 if extract_date < dt.date(extract_date.year, 3, 31) else 0)
    years: dict[int, int] = {}
    for src in sources:
        key = (src.name_year, src.path if src.path.suffix.lower() == ".xml" else None)
        if key in latest_decom:
            years[id(src)] = year_ending(latest_decom[key])
        elif src.name_year is not None:
            years[id(src)] = src.name_year
        else:
            years[id(src)] = newest if newest is not None else fallback
    return years
