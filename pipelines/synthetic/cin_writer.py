"""Write an SSD extract folder as the CIN census XML return for one collection year.

``write_cin_census(extract_dir, out_file, 2025)`` writes the 2024-25 census (1 April 2024 to
31 March 2025, reference date 31 March 2025) from the CSV files of an extract folder, as the
demo generator writes them (``csc-kpis generate``). It lets the same synthetic history be read
both as an SSD extract and as the statutory return, so that KPIs from the two can be compared.

Who and what is in the census (the DfE guide's scope, as this writer applies it):

- a child is in it when one of their episodes of need (referrals) was open at any point in the
  year: referred on or before 31 March and not closed before 1 April;
- inside those episodes: assessments open at any point in the year (started by 31 March, not
  authorised before 1 April); section 47 enquiries open in the year (started by 31 March, not
  ended, nor conferenced, before 1 April); child protection plans open in the year; and the
  plans' reviews held in the year;
- nothing after the reference date is known: a closure, authorisation, conference, plan end or
  death after 31 March is left out (the episode, assessment or plan is open at 31 March).

How SSD rows become census elements:

- an assessment or enquiry sits in the episode its referral id names; a conference in its
  enquiry's episode; a plan in its conference's episode; a row without such a link (or whose
  link is not in the extract) goes to the child's episode open on its date (the latest referral
  on or before it). A row that fits no episode of the child is left out.
- ``ICPCnotRequired`` is 1 for an enquiry that ended by the reference date with no conference;
  ``InitialCPCtarget`` and ``DateOfInitialCPC`` come from the enquiry's conference.
- a conference with no enquiry (a transfer-in) is written as the episode's ``DateOfInitialCPC``;
  otherwise the episode's ``DateOfInitialCPC`` is its latest conference held in the year.
- ``NumberOfPreviousCPP`` counts the child's plans in the extract that started before this one.
- sex is ``Sex`` M/F/U from 2025 and ``GenderCurrent`` 1/2/0 before; a blank sex is U (0), a
  blank ethnicity ``NOBT`` (not yet obtained), a blank referral source ``10`` (unknown), a blank
  referral NFA 0. Yes/no values are 0/1 (every schema year accepts them).
- a child born after the reference date is written with ``ExpectedPersonBirthDate``.
- UPNs, names and disabilities are not written (the extract has no disabilities; identifiers are
  never carried). CIN plans are not written (the contract has no CIN plan table).
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from lxml import etree

from pipelines.lib.contract import ABUSE_CATEGORY_MAP

SOFTWARE_CODE = "csc-kpis"
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
GENDER_CURRENT = {"M": "1", "F": "2", "U": "0"}


def census_window(collection_year: int) -> tuple[dt.date, dt.date]:
    """The collection year's first day (1 April) and reference date (31 March)."""
    return dt.date(collection_year - 1, 4, 1), dt.date(collection_year, 3, 31)


def _to_date(value: str | None) -> dt.date | None:
    """An extract's date or datetime text (ISO or DD/MM/YYYY) as a date; None when blank."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if m := _ISO_DATE.match(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _UK_DATE.match(text):
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    raise ValueError(f"not a date: {value!r}")


def _read(extract_dir: Path, table: str, required: bool = False) -> list[dict[str, str | None]]:
    path = extract_dir / f"{table}.csv"
    if not path.is_file():
        if required:
            raise FileNotFoundError(f"{path} is needed to write a CIN census")
        return []
    frame = pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy")
    frame = frame.rename({c: c.lstrip("\ufeff").strip().lower() for c in frame.columns})
    return frame.to_dicts()


def _flag(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().upper() in ("Y", "YES", "1", "TRUE")


def _category(value: str | None) -> str | None:
    if value is None:
        return None
    return ABUSE_CATEGORY_MAP.get(value.strip().upper(), value.strip().upper())


def _in_year(start: dt.date | None, end: dt.date | None, first: dt.date, ref: dt.date) -> bool:
    """Open at some point between ``first`` and ``ref``: started by ``ref``, not ended before
    ``first``."""
    return start is not None and start <= ref and (end is None or end >= first)


def _known(day: dt.date | None, ref: dt.date) -> dt.date | None:
    """A date as known at the reference date: a later one has not happened yet."""
    return day if day is not None and day <= ref else None


@dataclass
class _Episode:
    row: dict[str, str | None]
    referral: dt.date
    close: dt.date | None
    assessments: list[dict] = field(default_factory=list)
    enquiries: list[dict] = field(default_factory=list)
    plans: list[dict] = field(default_factory=list)
    transfer_in_icpcs: list[dt.date] = field(default_factory=list)


def _episode_on(episodes: list[_Episode], day: dt.date | None) -> _Episode | None:
    """The child's episode open on ``day``: the latest referral on or before it, not closed
    before it."""
    if day is None:
        return None
    best = None
    for ep in episodes:
        is_open = ep.referral <= day and (ep.close is None or ep.close >= day)
        if is_open and (best is None or ep.referral > best.referral):
            best = ep
    return best


def write_cin_census(
    extract_dir: Path, out_file: Path, collection_year: int, la_code: str | None = None
) -> Path:
    """Write ``extract_dir``'s children in need in ``collection_year`` (the year ending
    31 March ``collection_year``) to ``out_file`` as CIN census XML and return its path.

    ``la_code`` (the header's LEA) defaults to the extract folder's parent's name
    (``<inbox>/<la>/<date>/``)."""
    extract_dir = Path(extract_dir)
    first, ref = census_window(collection_year)
    lea = la_code or extract_dir.resolve().parent.name

    people = {r["pers_person_id"]: r for r in _read(extract_dir, "ssd_person", required=True)}
    all_episodes: dict[str, _Episode] = {}
    by_person: dict[str, list[_Episode]] = defaultdict(list)
    for r in _read(extract_dir, "ssd_cin_episodes", required=True):
        referral = _to_date(r["cine_referral_date"])
        if referral is None or r["cine_person_id"] is None or r["cine_referral_id"] is None:
            continue
        episode = _Episode(r, referral, _to_date(r["cine_close_date"]))
        all_episodes[r["cine_referral_id"]] = episode
        by_person[r["cine_person_id"]].append(episode)

    def place(ref_id: str | None, person: str | None, day: dt.date | None) -> _Episode | None:
        if ref_id is not None and ref_id in all_episodes:
            return all_episodes[ref_id]
        return _episode_on(by_person.get(person or "", []), day)

    for r in _read(extract_dir, "ssd_cin_assessments"):
        start = _to_date(r["cina_assessment_start_date"])
        auth = _to_date(r["cina_assessment_auth_date"])
        ep = place(r["cina_referral_id"], r["cina_person_id"], start)
        if ep is not None and _in_year(start, auth, first, ref):
            ep.assessments.append({"start": start, "auth": _known(auth, ref)})

    icpcs = _read(extract_dir, "ssd_initial_cp_conference")
    icpc_by_s47: dict[str, dict] = {}
    for r in sorted(icpcs, key=lambda r: r["icpc_icpc_date"] or ""):
        if r["icpc_s47_enquiry_id"] is not None:
            icpc_by_s47.setdefault(r["icpc_s47_enquiry_id"], r)
    enquiry_episode: dict[str, _Episode] = {}
    for r in _read(extract_dir, "ssd_s47_enquiry"):
        start = _to_date(r["s47e_s47_start_date"])
        ended = _to_date(r["s47e_s47_end_date"])
        ep = place(r["s47e_referral_id"], r["s47e_person_id"], start)
        if ep is None or start is None:
            continue
        enquiry_episode[r["s47e_s47_enquiry_id"] or ""] = ep
        icpc = icpc_by_s47.get(r["s47e_s47_enquiry_id"] or "")
        held = _to_date(icpc["icpc_icpc_date"]) if icpc else None
        last = max((d for d in (ended, held) if d is not None), default=None)
        if not _in_year(start, last, first, ref):
            continue
        ep.enquiries.append(
            {
                "start": start,
                "target": _to_date(icpc["icpc_icpc_target_date"]) if icpc else None,
                "held": _known(held, ref),
                "not_required": icpc is None and _known(ended, ref) is not None,
            }
        )

    icpc_episode: dict[str, _Episode] = {}
    for r in icpcs:
        held = _to_date(r["icpc_icpc_date"])
        linked = enquiry_episode.get(r["icpc_s47_enquiry_id"] or "")
        if linked is not None:
            icpc_episode[r["icpc_icpc_id"] or ""] = linked
            continue
        ep = _episode_on(by_person.get(r["icpc_person_id"] or "", []), held)
        if ep is None:
            continue
        icpc_episode[r["icpc_icpc_id"] or ""] = ep
        if held is not None and first <= held <= ref:
            ep.transfer_in_icpcs.append(held)

    plans = _read(extract_dir, "ssd_cp_plans")
    starts_by_person: dict[str, list[dt.date]] = defaultdict(list)
    for r in plans:
        start = _to_date(r["cppl_cp_plan_start_date"])
        if start is not None:
            starts_by_person[r["cppl_person_id"] or ""].append(start)
    reviews_by_plan: dict[str, list[dt.date]] = defaultdict(list)
    for r in _read(extract_dir, "ssd_cp_reviews"):
        when = _to_date(r["cppr_cp_review_date"])
        if when is not None and first <= when <= ref:
            reviews_by_plan[r["cppr_cp_plan_id"] or ""].append(when)
    for r in plans:
        start = _to_date(r["cppl_cp_plan_start_date"])
        end = _to_date(r["cppl_cp_plan_end_date"])
        person = r["cppl_person_id"] or ""
        ep = icpc_episode.get(r["cppl_icpc_id"] or "") or _episode_on(by_person[person], start)
        if ep is None or start is None or not _in_year(start, end, first, ref):
            continue
        ep.plans.append(
            {
                "start": start,
                "end": _known(end, ref),
                "initial": _category(r["cppl_cp_plan_initial_category"]),
                "latest": _category(r["cppl_cp_plan_latest_category"]),
                "previous": sum(1 for s in starts_by_person[person] if s < start),
                "reviews": sorted(reviews_by_plan.get(r["cppl_cp_plan_id"] or "", [])),
            }
        )

    root = _header(collection_year, ref, lea, extract_dir)
    children = etree.SubElement(root, "Children")
    for person in sorted(by_person, key=_person_order):
        episodes = [ep for ep in by_person[person] if _in_year(ep.referral, ep.close, first, ref)]
        if not episodes:
            continue
        _child(children, person, people.get(person, {}), episodes, collection_year, ref)
    out_file = Path(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    etree.ElementTree(root).write(
        str(out_file), pretty_print=True, xml_declaration=True, encoding="UTF-8"
    )
    return out_file


def _person_order(person_id: str) -> tuple[int, str]:
    return (len(person_id), person_id)


def _add(parent: etree._Element, name: str, value: object) -> None:
    """A child element with text, left out when the value is blank."""
    if value is None:
        return
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    etree.SubElement(parent, name).text = text


def _header(year: int, ref: dt.date, lea: str, extract_dir: Path) -> etree._Element:
    root = etree.Element("Message")
    header = etree.SubElement(root, "Header")
    details = etree.SubElement(header, "CollectionDetails")
    _add(details, "Collection", "CIN")
    _add(details, "Year", year)
    _add(details, "ReferenceDate", ref)
    source = etree.SubElement(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", lea)
    _add(source, "SoftwareCode", SOFTWARE_CODE)
    _add(source, "Release", "1")
    _add(source, "SerialNo", "001")
    # The extract's date when the folder is named by it, so the same extract gives the same file.
    try:
        made = dt.date.fromisoformat(extract_dir.name)
    except ValueError:
        made = ref
    _add(source, "DateTime", f"{made.isoformat()}T00:00:00")
    return root


def _child(
    children: etree._Element,
    person: str,
    row: dict[str, str | None],
    episodes: list[_Episode],
    year: int,
    ref: dt.date,
) -> None:
    first, _ = census_window(year)
    child = etree.SubElement(children, "Child")
    ids = etree.SubElement(child, "ChildIdentifiers")
    _add(ids, "LAchildID", person)
    dob = _to_date(row.get("pers_dob"))
    if dob is not None and dob > ref:
        _add(ids, "ExpectedPersonBirthDate", dob)
    else:
        _add(ids, "PersonBirthDate", dob)
    sex = (row.get("pers_sex") or "U").strip().upper()[:1]
    sex = sex if sex in GENDER_CURRENT else "U"
    if year >= 2025:
        _add(ids, "Sex", sex)
    else:
        _add(ids, "GenderCurrent", GENDER_CURRENT[sex])
    _add(ids, "PersonDeathDate", _known(_to_date(row.get("pers_death_date")), ref))
    chars = etree.SubElement(child, "ChildCharacteristics")
    _add(chars, "Ethnicity", (row.get("pers_ethnicity") or "NOBT").strip().upper())
    for ep in sorted(episodes, key=lambda e: (e.referral, e.row["cine_referral_id"] or "")):
        _episode(child, ep, first, ref)


def _episode(child: etree._Element, ep: _Episode, first: dt.date, ref: dt.date) -> None:
    r = ep.row
    details = etree.SubElement(child, "CINdetails")
    _add(details, "CINreferralDate", ep.referral)
    _add(details, "ReferralSource", r["cine_referral_source_code"] or "10")
    _add(details, "PrimaryNeedCode", r["cine_cin_primary_need_code"])
    close = _known(ep.close, ref)
    _add(details, "CINclosureDate", close)
    _add(details, "ReasonForClosure", r["cine_close_reason"] if close else None)
    held = [e["held"] for e in ep.enquiries if e["held"] and e["held"] >= first]
    episode_icpc = max(ep.transfer_in_icpcs, default=None) or max(held, default=None)
    _add(details, "DateOfInitialCPC", episode_icpc)
    for a in sorted(ep.assessments, key=lambda a: a["start"]):
        block = etree.SubElement(details, "Assessments")
        _add(block, "AssessmentActualStartDate", a["start"])
        _add(block, "AssessmentAuthorisationDate", a["auth"])
    for e in sorted(ep.enquiries, key=lambda e: e["start"]):
        block = etree.SubElement(details, "Section47")
        _add(block, "S47ActualStartDate", e["start"])
        _add(block, "InitialCPCtarget", e["target"])
        _add(block, "DateOfInitialCPC", e["held"])
        _add(block, "ICPCnotRequired", 1 if e["not_required"] else 0)
    _add(details, "ReferralNFA", 1 if _flag(r["cine_referral_nfa"]) else 0)
    for p in sorted(ep.plans, key=lambda p: p["start"]):
        block = etree.SubElement(details, "ChildProtectionPlans")
        _add(block, "CPPstartDate", p["start"])
        _add(block, "CPPendDate", p["end"])
        _add(block, "InitialCategoryOfAbuse", p["initial"])
        _add(block, "LatestCategoryOfAbuse", p["latest"])
        _add(block, "NumberOfPreviousCPP", p["previous"])
        if p["reviews"]:
            reviews = etree.SubElement(block, "Reviews")
            for when in p["reviews"]:
                _add(reviews, "CPPreviewDate", when)
