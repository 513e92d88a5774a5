"""SSDA903 (children looked after return) as contract tables.

Reads the 903 as councils upload it to the DfE: CSV tables (``header``, ``episodes``, ``reviews``,
``missing``, ``oc2``, ``oc3``, ``uasc``, ``ad1``, ``placed_for_adoption``,
``previous_permanence``, ``sw_episodes`` from 2023-24, ``DoLo`` from 2026-27) or the XML
export (root element ``EXPSSDA903``). A file is recognised by its name (``episodes.csv``,
``SSDA903_2020_episodes.csv``, ``2017-episodes.csv``...) or, whatever its name, by its header
columns. Dates are ``DD/MM/YYYY`` (ISO is accepted too, as LIIA writes it).

What goes where:

- ``header`` -> ``ssd_person`` (CHILD, SEX 1/2 or M/F/U, DOB, ETHNIC; UPN, MOTHER, MC_DOB dropped).
- ``episodes`` -> ``ssd_cla_episodes``: one row per 903 episode, as the contract describes the
  table ("episodes of being looked after, as SSDA903 episodes"); ``ssd_cla_placement``: one row
  per placement, i.e. a run of episodes that starts with RNE S, P, T, B or U (or a change of
  PLACE or PLACE_PROVIDER) and ends with the DEC of the run's last episode;
  ``ssd_legal_status``: one row per run of episodes that starts with RNE S, L, B or U (or a
  change of LS). HOME_POST, PL_POST and URN are never carried.
- ``reviews`` -> ``ssd_cla_reviews`` (held reviews only, so ``cancelled`` is N).
- ``missing`` -> ``ssd_missing`` (dates only: the 903 has no times).
- ``oc3`` -> ``ssd_care_leavers`` (IN_TOUCH, ACTIV, ACCOM split into letter and suitability).
- ``sw_episodes`` -> ``ssd_involvements`` (role ``ALLOCATED_SOCIAL_WORKER``).
- ``oc2``, ``uasc``, ``ad1``, ``placed_for_adoption``, ``previous_permanence``, ``DoLo``: the
  contract has no table for them; each file is reported as NOT_USED.

Ids the 903 does not have are built from what it does have, so they are the same every time:

- episode ``clae_cla_episode_id`` = ``CHILD_DECOM`` (DECOM as ``YYYY-MM-DD``; CHILD + DECOM is the
  903's own key);
- period of care ``clae_cla_id`` = ``CHILD_<first DECOM of the period of care>``. A period starts
  with an RNE S episode, after an episode that ceased with a reason other than X1, or after a gap;
  ``clae_entered_care_date`` is that first DECOM when it is an RNE S episode, blank when the
  period began before the earliest episode delivered (a 903 holds only the episodes open during
  its year);
- placement and legal-status ids = ``CHILD_<DECOM of the run's first episode>``;
- review ``CHILD_REVIEW``; missing episode ``CHILD_MIS_START_MISSING``; involvement
  ``CHILD_SW_ID_SW_DECOM``; care leaver row = ``CHILD``.

Made ids are unique by construction (``ids.MadeIds``): should two rows still share a key (two
LAs' children with one id in a LIIA file), the later gets ``#2``, ``#3``... in file order.

Repeats and rows with nowhere to go, each noted once per file with the count and rows
(``row_notes``):

- a row the same file repeats exactly is dropped (``duplicate_dropped``);
- an episode with the CHILD + DECOM, or a review or missing episode with the child and date (and
  type), of an earlier row of the same return but other values is left out, the earlier row
  used (``903_repeated_key``; a second review the same day differs only in REVIEW_CODE, which the
  contract does not hold). Two header or OC3 rows of one child go on to staging, which rejects
  both (the child's id is the return's own);
- a review of a child with no episode in the return is left out (``903_review_without_episode``):
  it belongs to no period of care, and the DfE portal checks a child's other tables only once
  their episodes are loaded (the validator's rule EPI). LIIA loads reviews as a table of their
  own, keyed by child, with no link to an episode.

A header, review, missing or OC3 row of a child repeated in a later return is replaced by the
later one; a ROW_DROPPED note is written when the values differed (an identical repeat loses
nothing).

Several years delivered together (``2017-episodes.csv`` ... ``2021-episodes.csv``, or a LIIA
file with a ``YEAR`` column) are joined as LIIA does: an episode (CHILD + DECOM) delivered in
several returns keeps its latest return's values, then LIIA's episode fixes run (RULE_1, 1A, 2,
3, 3A on open episodes of earlier returns; RULE_4, 5 on overlaps and gaps between returns;
see ``domain-notes.md`` 2.3). Each fix is an ``AdapterNote``. A single return never triggers them:
every rule compares an episode with a later return. LIIA's markers ``E99`` (ceased, reason
unknown) and ``LIIAF`` (placement change reason unknown) are not DfE codes, so the adapter loads
them as blank values and says so in the note.

The return's year: the ``YEAR`` column if present, else the year ending on the 31 March on or
after the latest DECOM in the file (a 903's newest episode starts by 31 March of its year).
"""

import csv
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipelines.lib.adapters.base import (
    NOT_USED,
    REPAIRED,
    ROW_DROPPED,
    Adapted,
    AdaptedTable,
    AdapterNote,
    text_frame,
)
from pipelines.lib.adapters.ids import MadeIds
from pipelines.lib.adapters.reference_dates import ssda903_reference
from pipelines.lib.adapters.repeats import ExactRepeats
from pipelines.lib.adapters.row_notes import RowNotes
from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.readers import FileLevelError, read_csv

SOURCE_FORMAT = "ssda903"
XML_ROOT = "EXPSSDA903"

# Columns that identify each 903 table, whatever the file is called (checked in this order:
# uasc has SEX and DOB like the header but no ETHNIC).
SIGNATURES: dict[str, tuple[str, ...]] = {
    "episodes": ("CHILD", "DECOM", "RNE", "LS"),
    "header": ("CHILD", "SEX", "DOB", "ETHNIC"),
    "reviews": ("CHILD", "REVIEW"),
    "missing": ("CHILD", "MISSING", "MIS_START"),
    "oc3": ("CHILD", "IN_TOUCH"),
    "oc2": ("CHILD", "SDQ_SCORE"),
    "uasc": ("CHILD", "DUC"),
    "ad1": ("CHILD", "DATE_INT"),
    "placed_for_adoption": ("CHILD", "DATE_PLACED"),
    "previous_permanence": ("CHILD", "PREV_PERM"),
    "sw_episodes": ("CHILD", "SW_ID"),
    "dolo": ("CHILD", "DOLO_START"),
}
# File names (lower case, without year, "ssda903" and separators) of each table.
NAMES: dict[str, str] = {
    "header": "header",
    "episodes": "episodes",
    "reviews": "reviews",
    "missing": "missing",
    "oc2": "oc2",
    "oc3": "oc3",
    "uasc": "uasc",
    "ad1": "ad1",
    "placedforadoption": "placed_for_adoption",
    "placedadoption": "placed_for_adoption",
    "previouspermanence": "previous_permanence",
    "prevperm": "previous_permanence",
    "swepisodes": "sw_episodes",
    "socialworker": "sw_episodes",
    "dolo": "dolo",
}
UNUSED_TABLES = {
    "oc2": "OC2 outcomes (SDQ, health checks, convictions, substance misuse): no contract table",
    "uasc": "UASC status and date it ceases: no contract table (ssd_immigration_status is not in "
    "the contract)",
    "ad1": "AD1 adoption details: no contract table (ssd_permanence is not in the contract)",
    "placed_for_adoption": "decisions to place for adoption: no contract table",
    "previous_permanence": "previous permanence: no contract table",
    "dolo": "deprivation of liberty orders: no contract table",
}

PROVIDES: dict[str, frozenset[str]] = {
    "ssd_person": frozenset({"pers_person_id", "pers_sex", "pers_ethnicity", "pers_dob"}),
    "ssd_cla_episodes": frozenset(
        {
            "clae_cla_episode_id",
            "clae_person_id",
            "clae_cla_episode_start_date",
            "clae_cla_episode_start_reason",
            "clae_cla_primary_need_code",
            "clae_cla_episode_ceased",
            "clae_cla_episode_ceased_reason",
            "clae_cla_id",
            "clae_entered_care_date",
        }
    ),
    "ssd_cla_placement": frozenset(
        {
            "clap_cla_placement_id",
            "clap_cla_id",
            "clap_person_id",
            "clap_cla_placement_start_date",
            "clap_cla_placement_end_date",
            "clap_cla_placement_type",
            "clap_cla_placement_provider",
            "clap_cla_placement_change_reason",
        }
    ),
    "ssd_legal_status": frozenset(
        {
            "lega_legal_status_id",
            "lega_person_id",
            "lega_legal_status",
            "lega_legal_status_start_date",
            "lega_legal_status_end_date",
        }
    ),
    "ssd_cla_reviews": frozenset(
        {"clar_cla_review_id", "clar_cla_id", "clar_cla_review_date", "clar_cla_review_cancelled"}
    ),
    "ssd_missing": frozenset(
        {
            "miss_table_id",
            "miss_person_id",
            "miss_missing_episode_start_date",
            "miss_missing_episode_type",
            "miss_missing_episode_end_date",
        }
    ),
    "ssd_care_leavers": frozenset(
        {
            "clea_table_id",
            "clea_person_id",
            "clea_care_leaver_in_touch",
            "clea_care_leaver_accommodation",
            "clea_care_leaver_accom_suitable",
            "clea_care_leaver_activity",
        }
    ),
    "ssd_involvements": frozenset(
        {
            "invo_involvements_id",
            "invo_professional_id",
            "invo_professional_role_id",
            "invo_involvement_start_date",
            "invo_involvement_end_date",
            "invo_worker_change_reason",
            "invo_person_id",
        }
    ),
}

LIMITS: dict[str, str] = {
    "pers_death_date": "the 903 has no date of death (REC E2 says only that an episode ended "
    "because the child died)",
    "clae_entered_care_date": "known only when the period of care began in the year(s) delivered "
    "(an RNE S episode is present); a 903 holds only the episodes open during its year",
    "clar_cla_review_due_date": "the 903 records the dates reviews were held, not when they "
    "were due",
    "miss_missing_episode_start_date": "date only: the 903 has no time a child went missing",
    "miss_missing_episode_end_date": "date only: the 903 has no time a child came back",
    "miss_missing_rhi_offered": "the 903 has no return home interview fields",
    "miss_missing_rhi_accepted": "the 903 has no return home interview fields",
    "clea_care_leaver_eligibility": "OC3 does not record the care leaver category",
    "clea_care_leaver_latest_contact": "OC3 records whether the LA was in touch around the "
    "birthday, not the date of the latest contact",
    "clea_pathway_plan_review_date": "the 903 has no pathway plan fields",
    "clea_care_leaver_personal_advisor": "the 903 has no personal adviser",
    "clea_care_leaver_allocated_team": "the 903 has no teams",
    "invo_professional_team": "SW episodes name the worker, not the team",
    "ssd_care_leavers": "OC3 holds care leavers whose 17th to 21st birthday fell in the year, "
    "as at that birthday, not everyone's state at the extract date",
    "ssd_involvements": "SW episodes exist from 2023-24 and cover looked-after children only",
    "ssd_cla_visits": "the 903 has no statutory visits",
    "ssd_contacts": "the 903 covers children looked after only",
}

ROLE = "ALLOCATED_SOCIAL_WORKER"
PLACEMENT_CHANGE = frozenset({"S", "P", "T", "B", "U"})
LEGAL_CHANGE = frozenset({"S", "L", "B", "U"})
LIIA_MARKERS = frozenset({"E99", "LIIAF"})
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


# --------------------------------------------------------------------------- reading


@dataclass
class _Source:
    """Rows of one 903 table from one file (CSV) or one XML file."""

    table: str
    path: Path
    rows: list[tuple[int, dict[str, str | None]]]  # (source row or XML line, values)
    name_year: int | None


def _stem_key(path: Path) -> str:
    stem = path.stem.lower().replace("ssda903", "")
    stem = re.sub(r"\d", "", stem)
    return re.sub(r"[\s_\-.]", "", stem)


def _table_by_name(path: Path) -> str | None:
    return NAMES.get(_stem_key(path))


def _table_by_columns(columns: set[str]) -> str | None:
    for table, needed in SIGNATURES.items():
        if all(c in columns for c in needed):
            return table
    return None


def _peek(path: Path, size: int = 4096) -> str:
    with path.open("rb") as handle:
        return handle.read(size).decode("utf-8-sig", errors="replace")


def _csv_header(path: Path) -> set[str]:
    first = _peek(path).lstrip("\ufeff").splitlines()
    if not first:
        return set()
    try:
        cells = next(csv.reader([first[0]]))
    except csv.Error:
        return set()
    return {c.replace("\ufeff", "").strip().upper() for c in cells}


def _xml_root(path: Path) -> str | None:
    text = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", _peek(path), flags=re.S)
    found = re.search(r"<\s*([A-Za-z_][\w.\-:]*)", text)
    return found.group(1).split(":")[-1] if found else None


def _name_year(path: Path) -> int | None:
    found = _YEAR_IN_NAME.findall(path.stem)
    return int(found[-1]) if found else None


def _read_csv_source(path: Path) -> _Source:
    raw = read_csv(path)
    columns = {c.upper() for c in raw.columns}
    table = _table_by_columns(columns)
    if table is None:
        named = _table_by_name(path)
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
    return _Source(table, path, rows, _name_year(path))


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# XML elements (under CHILD) and the 903 table they belong to.
_XML_GROUPS = {"AREVIEW": "reviews", "AMISSING": "missing", "EPISODE": "episodes"}
_XML_RENAME = {"CHILDID": "CHILD", "PL": "PLACE"}
_XML_UNUSED = {
    "UASC": "uasc",
    "DUC": "uasc",
    "OC2": "oc2",
    "PERMANENCE": "previous_permanence",
    "AD_PLACED": "placed_for_adoption",
    "ADOPTION": "ad1",
    "DATE_INT": "ad1",
    "DOLO": "dolo",
}
_HEADER_FIELDS = {"CHILD", "SEX", "DOB", "ETHNIC"}
_OC3_FIELDS = {"IN_TOUCH", "ACTIV", "ACCOM"}


def _read_xml_sources(path: Path, notes: list[AdapterNote]) -> list[_Source]:
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
        for el in header:
            tag = _XML_RENAME.get(str(el.tag), str(el.tag))
            if len(el) == 0 and tag in _HEADER_FIELDS | _OC3_FIELDS:
                values[tag] = _clean(el.text)
            elif tag in _XML_UNUSED and (len(el) or _clean(el.text)):
                unused[_XML_UNUSED[tag]] += 1
        child_id = values.get("CHILD")
        rows["header"].append(
            (header.sourceline or 0, {k: values.get(k) for k in ("CHILD", "SEX", "DOB", "ETHNIC")})
        )
        if any(values.get(k) for k in _OC3_FIELDS):
            oc3_el = header.find("IN_TOUCH")
            line = oc3_el.sourceline if oc3_el is not None else header.sourceline
            rows["oc3"].append(
                (line or 0, {"CHILD": child_id, **{k: values.get(k) for k in _OC3_FIELDS}})
            )
        for tag, table in _XML_GROUPS.items():
            for el in child.iter(tag):
                record: dict[str, str | None] = {"CHILD": child_id}
                for sub in el:
                    record[_XML_RENAME.get(str(sub.tag), str(sub.tag))] = _clean(sub.text)
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
    return [_Source(t, path, r, _name_year(path)) for t, r in rows.items()]


# --------------------------------------------------------------------------- dates


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


def _iso(text: str | None) -> str | None:
    """ISO text of a 903 date; a value that is not a date is passed on for staging to reject."""
    if text is None:
        return None
    parsed = parse_903_date(text)
    return parsed.isoformat() if parsed else text


def year_ending(day: dt.date) -> int:
    """The collection year (named by its end) that a date falls in: 1 April to 31 March."""
    return day.year + 1 if day > dt.date(day.year, 3, 31) else day.year


# --------------------------------------------------------------------------- episodes


@dataclass
class _Episode:
    child: str | None
    la: str
    year: int
    path: Path
    row: int
    values: dict[str, str | None]
    decom: dt.date | None
    dec: dt.date | None
    rec: str | None
    rpc: str | None
    rules: list[str] = field(default_factory=list)

    def get(self, column: str) -> str | None:
        return self.values.get(column)


_SAME_FOR_DUPLICATE = ("RNE", "LS", "PLACE", "PLACE_PROVIDER", "PL_POST", "URN")


def _note(
    ep: _Episode, rule: str, message: str, action: str, column: str | None, value: str | None
) -> AdapterNote:
    """A note about one episode row."""
    return AdapterNote(str(ep.path), rule, message, action, ep.row, None, column, value)


def _text(value: object) -> str:
    if value is None:
        return "blank"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _fix_episodes(episodes: list[_Episode], notes: list[AdapterNote]) -> list[_Episode]:
    """LIIA's episode fixes (liia-tools-pipeline ``fix_episodes.py``), stage 1 then stage 2.

    Only an open episode from a return older than the LA's latest (stage 1) or an episode
    followed by one from a later return (stage 2) is touched, so one return is never changed.
    """
    latest: dict[str, int] = {}
    for ep in episodes:
        latest[ep.la] = max(latest.get(ep.la, ep.year), ep.year)
    by_child: dict[tuple[str, str | None], list[_Episode]] = defaultdict(list)
    for ep in episodes:
        by_child[(ep.la, ep.child)].append(ep)
    kept: list[_Episode] = []
    for group in by_child.values():
        group.sort(key=lambda e: (e.decom or dt.date.min, e.year))
        kept.extend(_stage2(_stage1(group, latest, notes), notes))
    return kept


def _same(a: _Episode, b: _Episode) -> bool:
    return all(a.get(c) == b.get(c) for c in _SAME_FOR_DUPLICATE)


def _stage1(
    group: list[_Episode], latest: dict[str, int], notes: list[AdapterNote]
) -> list[_Episode]:
    decisions: list[str | None] = []
    for i, ep in enumerate(group):
        prev = group[i - 1] if i > 0 else None
        nxt = group[i + 1] if i + 1 < len(group) else None
        rule = None
        if ep.dec is None and ep.year != latest[ep.la]:
            if (nxt is not None and nxt.decom != ep.decom and _same(ep, nxt)) or (
                prev is not None and prev.decom != ep.decom and _same(ep, prev)
            ):
                rule = "RULE_3"
            elif prev is not None and prev.year > ep.year:
                rule = "RULE_3A"
            elif nxt is None:
                rule = "RULE_2"
            elif nxt.get("RNE") == "S":
                rule = "RULE_1A"
            else:
                rule = "RULE_1"
        decisions.append(rule)
    out: list[_Episode] = []
    for i, (ep, rule) in enumerate(zip(group, decisions, strict=True)):
        nxt = group[i + 1] if i + 1 < len(group) else None
        if rule in ("RULE_3", "RULE_3A"):
            why = (
                "duplicate of a neighbouring episode"
                if rule == "RULE_3"
                else "replaced by an episode submitted in a later return"
            )
            notes.append(
                _note(
                    ep,
                    f"903_{rule.lower()}",
                    f"{rule}: open episode of child {ep.child} from DECOM {_text(ep.decom)} "
                    f"(return {ep.year}) deleted: {why}",
                    ROW_DROPPED,
                    "DECOM",
                    ep.get("DECOM"),
                )
            )
            continue
        if rule is not None:
            end_of_year = dt.date(ep.year, 3, 31)
            old_rec, old_rpc = ep.rec, ep.rpc
            if rule == "RULE_1":
                assert nxt is not None
                ep.dec, ep.rec = nxt.decom, "X1"
                if nxt.get("RNE") in ("P", "B", "T", "U"):
                    ep.rpc = "LIIAF"
                why = "the child stays looked after: it ends when the next episode starts"
            elif rule == "RULE_1A":
                assert nxt is not None and nxt.decom is not None
                ep.dec, ep.rec = min(end_of_year, nxt.decom - dt.timedelta(days=1)), "E99"
                why = "the child left care and came back later"
            else:
                ep.dec, ep.rec = end_of_year, "E99"
                why = "the child is in no later return"
            changes = f"DEC blank -> {_text(ep.dec)}; REC {_text(old_rec)} -> {ep.rec}"
            if ep.rpc != old_rpc:
                changes += f"; REASON_PLACE_CHANGE {_text(old_rpc)} -> {ep.rpc}"
            markers = [m for m in (ep.rec, ep.rpc) if m in LIIA_MARKERS]
            if markers:
                changes += f" ({', '.join(markers)}: LIIA marker, not a DfE code, loaded as blank)"
            ep.rules.append(rule)
            notes.append(
                _note(
                    ep,
                    f"903_{rule.lower()}",
                    f"{rule}: open episode of child {ep.child} from DECOM {_text(ep.decom)} "
                    f"(return {ep.year}) closed, {why}: {changes}",
                    REPAIRED,
                    "DEC",
                    None,
                )
            )
        out.append(ep)
    return out


def _stage2(group: list[_Episode], notes: list[AdapterNote]) -> list[_Episode]:
    for i, ep in enumerate(group[:-1]):
        nxt = group[i + 1]
        if ep.dec is None or nxt.decom is None or ep.year >= nxt.year:
            continue
        if ep.dec > nxt.decom:
            rule, why = "RULE_4", "overlaps the next episode (from a later return)"
        elif ep.dec < nxt.decom and ep.rec == "X1":
            rule, why = "RULE_5", "ends (X1) before the next episode (from a later return) starts"
        else:
            continue
        old = ep.dec
        ep.dec = nxt.decom
        ep.rules.append(rule)
        notes.append(
            _note(
                ep,
                f"903_{rule.lower()}",
                f"{rule}: episode of child {ep.child} from DECOM {_text(ep.decom)} "
                f"(return {ep.year}) {why}: DEC {_text(old)} -> {_text(ep.dec)}",
                REPAIRED,
                "DEC",
                _text(old),
            )
        )
    return group


# --------------------------------------------------------------------------- the adapter


@dataclass
class _Period:
    cla_id: str
    start: dt.date
    end: dt.date | None  # None = still open
    episodes: list[_Episode]


def _periods(episodes: list[_Episode]) -> list[_Period]:
    """Split one child's episodes (sorted by DECOM) into continuous periods of care."""
    periods: list[_Period] = []
    prev: _Episode | None = None
    for ep in episodes:
        assert ep.decom is not None
        new = (
            prev is None
            or ep.get("RNE") == "S"
            or (prev.rec is not None and prev.rec != "X1")
            or (prev.dec is not None and ep.decom > prev.dec)
        )
        if new:
            periods.append(_Period(f"{ep.child}_{ep.decom.isoformat()}", ep.decom, ep.dec, [ep]))
        else:
            periods[-1].episodes.append(ep)
            periods[-1].end = ep.dec
        prev = ep
    return periods


def _runs(
    episodes: list[_Episode], starts: frozenset[str], keys: tuple[str, ...]
) -> list[list[_Episode]]:
    """Consecutive episodes of one period grouped where RNE or a change of ``keys`` starts a run."""
    runs: list[list[_Episode]] = []
    for ep in episodes:
        prev = runs[-1][-1] if runs else None
        if prev is None or ep.get("RNE") in starts or any(ep.get(k) != prev.get(k) for k in keys):
            runs.append([ep])
        else:
            runs[-1].append(ep)
    return runs


def _blank_marker(value: str | None) -> str | None:
    return None if value in LIIA_MARKERS else value


class Ssda903Adapter:
    """The SSDA903 return (CSV tables or XML) as contract tables."""

    source_format = SOURCE_FORMAT

    def claims(self, path: Path) -> bool:
        suffix = path.suffix.lower()
        if suffix == ".xml":
            return (_xml_root(path) or "").upper() == XML_ROOT
        if suffix != ".csv":
            return False
        return _table_by_name(path) is not None or _table_by_columns(_csv_header(path)) is not None

    def adapt(self, paths: list[Path], extract_date: dt.date) -> Adapted:
        notes: list[AdapterNote] = []
        sources: list[_Source] = []
        for path in sorted(paths):
            if path.suffix.lower() == ".xml":
                sources.extend(_read_xml_sources(path, notes))
            else:
                sources.append(_read_csv_source(path))
        years = _source_years(sources, extract_date)
        out = Adapted(SOURCE_FORMAT)
        builder = _Builder(notes)
        for src in sources:
            if src.table in UNUSED_TABLES:
                if src.path.suffix.lower() != ".xml":
                    notes.append(
                        AdapterNote(
                            str(src.path),
                            "903_table_not_used",
                            f"{len(src.rows)} rows not loaded: {UNUSED_TABLES[src.table]}",
                            NOT_USED,
                        )
                    )
                continue
            builder.add(src, years[id(src)])
        out.tables = builder.build()
        out.notes = notes
        latest = max(years.values(), default=extract_date.year)
        out.reference_date = dt.date(latest, 3, 31)
        out.reference_dates = [
            ssda903_reference(
                src.path,
                years[id(src)],
                max(
                    filter(None, (parse_903_date(r.get("DECOM")) for _, r in src.rows)),
                    default=None,
                ),
                any(r.get("YEAR") for _, r in src.rows),
            )
            for src in sources
            if src.table == "episodes"
        ]
        return out


def _source_years(sources: list[_Source], extract_date: dt.date) -> dict[int, int]:
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


class _Builder:
    """Collects every source's rows, then joins years and derives the contract tables."""

    def __init__(self, notes: list[AdapterNote]) -> None:
        self.notes = notes
        self.episodes: list[_Episode] = []
        self.bad_episodes: list[_Episode] = []
        # table -> key -> (year, path, row, values); the latest return wins.
        self.keyed: dict[
            str, dict[tuple[str | None, ...], tuple[int, Path, int, dict[str, str | None]]]
        ] = defaultdict(dict)
        self.unkeyed: dict[str, list[tuple[int, Path, int, dict[str, str | None]]]] = defaultdict(
            list
        )
        self.ids = MadeIds()
        self.repeats = ExactRepeats(_NOUNS)
        # Rows left out by a rule, noted once per file (see the module docstring).
        self.left_out = {
            "repeated_key": RowNotes(
                "903_repeated_key",
                ROW_DROPPED,
                "row",
                "same child and date as an earlier row of the same return but other values "
                "(e.g. REVIEW_CODE, MIS_END, PLACE), left out: the earlier row is used",
            ),
            "review_without_episode": RowNotes(
                "903_review_without_episode",
                ROW_DROPPED,
                "review",
                "review of a child with no episode in the return, left out: the review belongs "
                "to no period of care (the DfE portal checks a child's other tables only once "
                "their episodes are loaded, rule EPI)",
                column="CHILD",
            ),
        }

    def add(self, src: _Source, year: int) -> None:
        for row, values in src.rows:
            if self.repeats.is_repeat(src.path, src.table, row, values):
                continue
            row_year = year
            if values.get("YEAR") and str(values["YEAR"]).isdigit():
                row_year = int(str(values["YEAR"]))
            if src.table == "episodes":
                ep = _Episode(
                    child=values.get("CHILD"),
                    la=values.get("LA") or "",
                    year=row_year,
                    path=src.path,
                    row=row,
                    values=values,
                    decom=parse_903_date(values.get("DECOM")),
                    dec=parse_903_date(values.get("DEC")),
                    rec=values.get("REC"),
                    rpc=values.get("REASON_PLACE_CHANGE"),
                )
                ok = ep.child is not None and ep.decom is not None
                ok = ok and (values.get("DEC") is None or ep.dec is not None)
                (self.episodes if ok else self.bad_episodes).append(ep)
            else:
                self._keep(src.table, row_year, src.path, row, values)

    def _keep(
        self, table: str, year: int, path: Path, row: int, values: dict[str, str | None]
    ) -> None:
        child = values.get("CHILD")
        key: tuple[str | None, ...] | None
        if table == "header" or table == "oc3":
            key = (child,)
        elif table == "reviews":
            key = (child, _iso(values.get("REVIEW")))
        elif table == "missing":
            key = (child, _iso(values.get("MIS_START")), values.get("MISSING"))
        else:
            key = None
        if key is None or child is None:
            self.unkeyed[table].append((year, path, row, values))
            return
        seen = self.keyed[table].get(key)
        if seen is None:
            self.keyed[table][key] = (year, path, row, values)
            return
        if seen[0] == year:
            if table in ("header", "oc3"):
                # Two different rows of one child: both kept, for staging to reject (the child's
                # id is the return's own, and which row is right cannot be told).
                self.unkeyed[table].append((year, path, row, values))
            else:
                # A second review (or missing episode) of the child on the same day: the contract
                # row holds nothing the first does not, or clashes with it.
                self.left_out["repeated_key"].add(path, row)
            return
        old, new = (
            (seen, (year, path, row, values))
            if seen[0] < year
            else ((year, path, row, values), seen)
        )
        self.keyed[table][key] = new
        if old[3] != new[3]:
            self.notes.append(
                AdapterNote(
                    str(old[1]),
                    "903_superseded",
                    f"{table} row of child {child} from the {old[0]} return replaced by the "
                    f"{new[0]} return's row ({new[1].name} row {new[2]})",
                    ROW_DROPPED,
                    old[2],
                    column="CHILD",
                    value=child,
                )
            )

    def _rows(self, table: str) -> list[tuple[int, Path, int, dict[str, str | None]]]:
        rows = list(self.keyed[table].values()) + self.unkeyed[table]
        return sorted(rows, key=lambda r: (str(r[1]), r[2]))

    def _dedupe_episodes(self) -> list[_Episode]:
        best: dict[tuple[str, str | None, dt.date | None], _Episode] = {}
        for ep in self.episodes:
            key = (ep.la, ep.child, ep.decom)
            seen = best.get(key)
            if seen is None:
                best[key] = ep
                continue
            if seen.year == ep.year:
                # Same return, same CHILD + DECOM (the 903's key), other values: the first is used.
                self.left_out["repeated_key"].add(ep.path, ep.row)
                continue
            old, new = (seen, ep) if seen.year < ep.year else (ep, seen)
            best[key] = new
            self.notes.append(
                _note(
                    old,
                    "903_superseded",
                    f"episode of child {old.child} from DECOM {_text(old.decom)} in the "
                    f"{old.year} return replaced by the {new.year} return's "
                    f"({new.path.name} row {new.row}): DEC {_text(old.dec)} -> {_text(new.dec)}",
                    ROW_DROPPED,
                    "DECOM",
                    old.get("DECOM"),
                )
            )
        return list(best.values())

    def build(self) -> list[AdaptedTable]:
        tables: dict[tuple[str, Path], list[dict[str, object]]] = defaultdict(list)
        episodes = _fix_episodes(self._dedupe_episodes(), self.notes)
        by_child: dict[str | None, list[_Episode]] = defaultdict(list)
        for ep in episodes:
            by_child[ep.child].append(ep)
        child_periods: dict[str | None, list[_Period]] = {}
        for child, eps in by_child.items():
            eps.sort(key=lambda e: (e.decom or dt.date.min, e.year))
            child_periods[child] = _periods(eps)
            for period in child_periods[child]:
                period.cla_id = self.ids.make("cla", child, period.start.isoformat()) or ""
                self._period_rows(period, tables)
        for ep in self.bad_episodes:
            # Rows the staging must judge (a blank CHILD, a DECOM or DEC that is not a date):
            # passed on as delivered, without a period of care.
            tables[("ssd_cla_episodes", ep.path)].append(self._episode_row(ep, None, None))
        self._person_rows(tables)
        self._review_rows(tables, child_periods)
        self._missing_rows(tables)
        self._care_leaver_rows(tables)
        self._involvement_rows(tables)
        self.notes.extend(self.repeats.notes())
        for rule in self.left_out.values():
            self.notes.extend(rule.notes())
        return [
            AdaptedTable(table, text_frame(rows, _COLUMNS[table]), path)
            for (table, path), rows in sorted(
                tables.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))
            )
        ]

    def _episode_row(
        self, ep: _Episode, period: _Period | None, entered: str | None
    ) -> dict[str, object]:
        decom = ep.decom.isoformat() if ep.decom else _iso(ep.get("DECOM"))
        return {
            "source_row": ep.row,
            "clae_cla_episode_id": self.ids.make("episode", ep.child, decom),
            "clae_person_id": ep.child,
            "clae_cla_episode_start_date": decom,
            "clae_cla_episode_start_reason": ep.get("RNE"),
            "clae_cla_primary_need_code": ep.get("CIN"),
            "clae_cla_episode_ceased": ep.dec.isoformat() if ep.dec else _iso(ep.get("DEC")),
            "clae_cla_episode_ceased_reason": _blank_marker(ep.rec),
            "clae_cla_id": period.cla_id if period else None,
            "clae_entered_care_date": entered,
        }

    def _period_rows(
        self, period: _Period, tables: dict[tuple[str, Path], list[dict[str, object]]]
    ) -> None:
        first = period.episodes[0]
        entered = period.start.isoformat() if first.get("RNE") == "S" else None
        for ep in period.episodes:
            tables[("ssd_cla_episodes", ep.path)].append(self._episode_row(ep, period, entered))
        for run in _runs(period.episodes, PLACEMENT_CHANGE, ("PLACE", "PLACE_PROVIDER")):
            head, tail = run[0], run[-1]
            assert head.decom is not None
            tables[("ssd_cla_placement", head.path)].append(
                {
                    "source_row": head.row,
                    "clap_cla_placement_id": self.ids.make(
                        "placement", head.child, head.decom.isoformat()
                    ),
                    "clap_cla_id": period.cla_id,
                    "clap_person_id": head.child,
                    "clap_cla_placement_start_date": head.decom.isoformat(),
                    "clap_cla_placement_end_date": tail.dec.isoformat() if tail.dec else None,
                    "clap_cla_placement_type": head.get("PLACE"),
                    "clap_cla_placement_provider": head.get("PLACE_PROVIDER"),
                    # Recorded on the episode that ends the placement.
                    "clap_cla_placement_change_reason": _blank_marker(tail.rpc),
                }
            )
        for run in _runs(period.episodes, LEGAL_CHANGE, ("LS",)):
            head, tail = run[0], run[-1]
            assert head.decom is not None
            tables[("ssd_legal_status", head.path)].append(
                {
                    "source_row": head.row,
                    "lega_legal_status_id": self.ids.make(
                        "legal_status", head.child, head.decom.isoformat()
                    ),
                    "lega_person_id": head.child,
                    "lega_legal_status": head.get("LS"),
                    "lega_legal_status_start_date": head.decom.isoformat(),
                    "lega_legal_status_end_date": tail.dec.isoformat() if tail.dec else None,
                }
            )

    def _person_rows(self, tables: dict[tuple[str, Path], list[dict[str, object]]]) -> None:
        for _, path, row, v in self._rows("header"):
            tables[("ssd_person", path)].append(
                {
                    "source_row": row,
                    "pers_person_id": v.get("CHILD"),
                    "pers_sex": {"1": "M", "2": "F"}.get(v.get("SEX") or "", v.get("SEX")),
                    "pers_ethnicity": v.get("ETHNIC"),
                    "pers_dob": _iso(v.get("DOB")),
                }
            )

    def _review_rows(
        self,
        tables: dict[tuple[str, Path], list[dict[str, object]]],
        child_periods: dict[str | None, list[_Period]],
    ) -> None:
        for _, path, row, v in self._rows("reviews"):
            child, held = v.get("CHILD"), parse_903_date(v.get("REVIEW"))
            cla_id = _period_at(child_periods.get(child, []), held)
            if cla_id is None and child:
                self.left_out["review_without_episode"].add(path, row)
                continue
            review = _iso(v.get("REVIEW"))
            tables[("ssd_cla_reviews", path)].append(
                {
                    "source_row": row,
                    "clar_cla_review_id": self.ids.make("review", child, review),
                    "clar_cla_id": cla_id,
                    "clar_cla_review_date": review,
                    # The 903 lists reviews held: none was cancelled.
                    "clar_cla_review_cancelled": "N",
                }
            )

    def _missing_rows(self, tables: dict[tuple[str, Path], list[dict[str, object]]]) -> None:
        for _, path, row, v in self._rows("missing"):
            child, start, kind = v.get("CHILD"), _iso(v.get("MIS_START")), v.get("MISSING")
            key = (child, start, *([kind] if kind else []))
            tables[("ssd_missing", path)].append(
                {
                    "source_row": row,
                    "miss_table_id": self.ids.make("missing", *key),
                    "miss_person_id": child,
                    "miss_missing_episode_start_date": start,
                    "miss_missing_episode_type": kind,
                    "miss_missing_episode_end_date": _iso(v.get("MIS_END")),
                }
            )

    def _care_leaver_rows(self, tables: dict[tuple[str, Path], list[dict[str, object]]]) -> None:
        for _, path, row, v in self._rows("oc3"):
            accom, suitable = split_accommodation(v.get("ACCOM"))
            tables[("ssd_care_leavers", path)].append(
                {
                    "source_row": row,
                    "clea_table_id": v.get("CHILD"),
                    "clea_person_id": v.get("CHILD"),
                    "clea_care_leaver_in_touch": v.get("IN_TOUCH"),
                    "clea_care_leaver_accommodation": accom,
                    "clea_care_leaver_accom_suitable": suitable,
                    "clea_care_leaver_activity": v.get("ACTIV"),
                }
            )

    def _involvement_rows(self, tables: dict[tuple[str, Path], list[dict[str, object]]]) -> None:
        for _, path, row, v in self._rows("sw_episodes"):
            child, worker, start = v.get("CHILD"), v.get("SW_ID"), _iso(v.get("SW_DECOM"))
            tables[("ssd_involvements", path)].append(
                {
                    "source_row": row,
                    "invo_involvements_id": self.ids.make("involvement", child, worker, start),
                    "invo_professional_id": worker,
                    "invo_professional_role_id": ROLE,
                    "invo_involvement_start_date": start,
                    "invo_involvement_end_date": _iso(v.get("SW_DEC")),
                    "invo_worker_change_reason": v.get("SW_REASON"),
                    "invo_person_id": child,
                }
            )


def _period_at(periods: list[_Period], day: dt.date | None) -> str | None:
    """The period of care a date falls in; else the latest one begun before it; else the first."""
    if not periods:
        return None
    if day is None:
        return periods[-1].cla_id
    before = [p for p in periods if p.start <= day]
    # Latest first: on the day one period ends and the next begins, the review is the new one's.
    for p in reversed(before):
        if p.end is None or day <= p.end:
            return p.cla_id
    return before[-1].cla_id if before else periods[0].cla_id


def split_accommodation(value: str | None) -> tuple[str | None, str | None]:
    """OC3 ACCOM (``B1``: letter + 1 suitable / 2 unsuitable; ``0`` not known) as the contract's
    accommodation letter and suitability code. Anything else is passed on whole for staging."""
    if value is None:
        return None, None
    text = value.strip().upper()
    if re.fullmatch(r"[A-Z][12]", text):
        return text[0], text[1]
    return text, None


# What one row of each 903 table is, for notes about its rows.
_NOUNS = {
    "header": "child",
    "episodes": "episode",
    "reviews": "review",
    "missing": "missing episode",
    "oc3": "care leaver",
    "sw_episodes": "social worker episode",
}

# The columns each table's frame carries: exactly what PROVIDES declares, in contract order.
_COLUMNS: dict[str, list[str]] = {
    table: [c for c in TABLES_BY_NAME[table].column_names if c in columns]
    for table, columns in PROVIDES.items()
}

ADAPTER = Ssda903Adapter()

__all__ = [
    "ADAPTER",
    "LIMITS",
    "PROVIDES",
    "Ssda903Adapter",
    "parse_903_date",
    "split_accommodation",
    "year_ending",
]
