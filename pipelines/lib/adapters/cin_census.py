"""The children in need (CIN) census XML as contract tables.

The CIN census is the DfE's annual child-level return: every child in need at any point in the
collection year (1 April to 31 March), with each episode of need (``CINdetails``) and, inside
it, the episode's assessments, section 47 enquiries, initial child protection conferences and
child protection plans with their reviews. This adapter reads any schema year from 2017 to
2026: element names are matched case-insensitively and without namespaces, and both
``GenderCurrent`` (to 2024, codes 1/2/0/9) and ``Sex`` (2025 on, M/F/U) are read.

What becomes what:

- ``Child`` -> ``ssd_person`` (``LAchildID`` is the person id in every table). An unborn
  child's ``ExpectedPersonBirthDate`` is used as the date of birth when there is no
  ``PersonBirthDate`` (a note says so). UPNs are not read.
- ``CINdetails`` -> ``ssd_cin_episodes``; ``Assessments`` -> ``ssd_cin_assessments``;
  ``Section47`` -> ``ssd_s47_enquiry``; a ``Section47`` with a ``DateOfInitialCPC`` ->
  ``ssd_initial_cp_conference``; ``ChildProtectionPlans`` -> ``ssd_cp_plans``;
  ``Reviews/CPPreviewDate`` -> ``ssd_cp_reviews``.
- An episode's own ``DateOfInitialCPC`` that matches none of its enquiries' conferences is a
  conference without an enquiry: a transfer-in conference (the census records no enquiry for a
  child who arrives on another authority's plan), so ``icpc_icpc_transfer_in`` is ``Y``.
  Conferences that follow an enquiry are ``N``.
- A conference's outcome is ``Y`` and it is linked to a plan when a plan of the same episode
  starts on the conference date (a plan starts at the conference that made it); otherwise ``N``.

Ids. The census has an id for the child only. The others are built from the child id and the
dates that identify the event, so the same record gets the same id in every year's file:

- referral ``<LAchildID>|<CINreferralDate>``
- assessment ``<referral id>|A|<AssessmentActualStartDate>``
- s47 enquiry ``<referral id>|S47|<S47ActualStartDate>``; its conference ``<s47 id>|ICPC``
- transfer-in conference ``<referral id>|ICPC|<DateOfInitialCPC>``
- plan ``<referral id>|CPP|<CPPstartDate>``; review ``<plan id>|REV|<CPPreviewDate>``

Two records with the same id (two assessments of an episode starting on the same day) are left
to staging's duplicate rule: an exact repeat keeps the first, different values reject both.

Schema. When the file's collection year has an XSD available (``CIN_schema_<year>.xsd`` in
``CSC_CIN_SCHEMA_DIR`` or the shared reference schemas), the file is validated and each schema
error becomes a note with its line and XML path; the rows are still adapted (staging judges the
values). Only XML that cannot be parsed at all rejects the file.
"""

import datetime as dt
import os
import re
from collections import Counter
from pathlib import Path

import polars as pl
from lxml import etree

from pipelines.lib.adapters.base import (
    NOT_MAPPED,
    NOT_USED,
    REPAIRED,
    Adapted,
    AdaptedTable,
    AdapterNote,
    ReferenceDate,
    text_frame,
)
from pipelines.lib.adapters.reference_dates import long_date
from pipelines.lib.contract import ABUSE_CATEGORY_MAP
from pipelines.lib.paths import PROJECT_ROOT
from pipelines.lib.readers import ROW_COLUMN, FileLevelError

SOURCE_FORMAT = "cin_census"
SCHEMA_DIR_ENV = "CSC_CIN_SCHEMA_DIR"
# Where the reference XSDs sit beside the project (see /work/shared/samples/README.md).
SHARED_SCHEMA_DIR = (
    PROJECT_ROOT / ".." / "shared" / "samples" / "liia-tools-pipeline" / "reference_schemas"
)
SCHEMA_ERROR = "cin_schema"  # rule of a note for an XSD validation error


LIMITS: dict[str, str] = {
    "cine_referral_team": "the CIN census has no team or worker",
    "cina_assessment_team": "the CIN census has no team or worker",
    "cina_assessment_worker_id": "the CIN census has no team or worker",
    "cina_assessment_child_seen": "the CIN census does not say whether the child was seen",
    "cina_assessment_outcome_nfa": (
        "the CIN census records NFA per referral (ReferralNFA) and closure reason RC8, not per "
        "assessment"
    ),
    "s47e_s47_end_date": "the CIN census has the enquiry's start date only, no end date",
    "s47e_s47_nfa": (
        "the CIN census says only whether an ICPC was not required (ICPCnotRequired), not "
        "whether the enquiry ended with no further action"
    ),
    "icpc_icpc_transfer_in": (
        "inferred: a conference that matches no section 47 enquiry of its episode is taken "
        "as a transfer-in"
    ),
    "icpc_icpc_target_date": (
        "given only for enquiries whose conference was held (InitialCPCtarget sits on the "
        "enquiry; a planned conference not yet held has no row)"
    ),
    "cppr_cp_review_due": "the CIN census has review dates, not due dates",
    "ssd_cin_plans": "CINPlanDates (CIN plan start and end) have no table in the contract",
    "ssd_contacts": "the CIN census has referrals only, not contacts",
    "ssd_cin_visits": "the CIN census has no visits",
    "ssd_cp_visits": "the CIN census has no visits",
    "ssd_cla_episodes": "children looked after are in the SSDA903 return, not the CIN census",
    "disabilities": "Disabilities and assessment factors have no column in the contract",
}

PERSON_COLUMNS = ["pers_person_id", "pers_sex", "pers_ethnicity", "pers_dob", "pers_death_date"]
EPISODE_COLUMNS = [
    "cine_referral_id", "cine_person_id", "cine_referral_date", "cine_cin_primary_need_code",
    "cine_referral_source_code", "cine_referral_nfa", "cine_close_reason", "cine_close_date",
]  # fmt: skip
ASSESSMENT_COLUMNS = [
    "cina_assessment_id", "cina_person_id", "cina_referral_id", "cina_assessment_start_date",
    "cina_assessment_auth_date",
]  # fmt: skip
S47_COLUMNS = ["s47e_s47_enquiry_id", "s47e_referral_id", "s47e_person_id", "s47e_s47_start_date"]
ICPC_COLUMNS = [
    "icpc_icpc_id", "icpc_s47_enquiry_id", "icpc_person_id", "icpc_cp_plan_id",
    "icpc_icpc_transfer_in", "icpc_icpc_target_date", "icpc_icpc_date",
    "icpc_icpc_outcome_cp_flag",
]  # fmt: skip
PLAN_COLUMNS = [
    "cppl_cp_plan_id", "cppl_person_id", "cppl_icpc_id", "cppl_cp_plan_start_date",
    "cppl_cp_plan_end_date", "cppl_cp_plan_initial_category", "cppl_cp_plan_latest_category",
    "cppl_previous_cp_plans",
]  # fmt: skip
REVIEW_COLUMNS = ["cppr_cp_review_id", "cppr_person_id", "cppr_cp_plan_id", "cppr_cp_review_date"]
TABLE_COLUMNS = {
    "ssd_person": PERSON_COLUMNS,
    "ssd_cin_episodes": EPISODE_COLUMNS,
    "ssd_cin_assessments": ASSESSMENT_COLUMNS,
    "ssd_s47_enquiry": S47_COLUMNS,
    "ssd_initial_cp_conference": ICPC_COLUMNS,
    "ssd_cp_plans": PLAN_COLUMNS,
    "ssd_cp_reviews": REVIEW_COLUMNS,
}
# What the census fills: exactly the columns its rows carry.
PROVIDES: dict[str, frozenset[str]] = {t: frozenset(c) for t, c in TABLE_COLUMNS.items()}

# GenderCurrent (to 2024): 1 male, 2 female, 0 not recorded or unborn, 9 indeterminate.
SEX_CODES = {"M": "M", "F": "F", "U": "U", "1": "M", "2": "F", "0": "U", "9": "U"}
TRUE_VALUES = frozenset({"1", "true", "y", "yes"})
FALSE_VALUES = frozenset({"0", "false", "n", "no"})
# Elements that repeat, so their place among siblings is part of an XML path.
REPEATED = frozenset({
    "child", "cindetails", "assessments", "cinplandates", "section47", "childprotectionplans",
    "cppreviewdate", "disability", "assessmentfactors", "source",
})  # fmt: skip
# Parts of the return with no place in the contract: counted once per file in a note.
UNMAPPED_PARTS = {
    "cinplandates": "CIN plans (CINPlanDates)",
    "disabilities": "disabilities",
    "factorsidentifiedatassessment": "assessment factors",
    "preproceedingsandfgdm": "pre-proceedings and family group decision making",
}
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+)?(?:Z|[+-]\d{2}:\d{2})?$")


# Deterministic ids (see the module docstring). Public so that the round-trip test and anyone
# matching census rows to an SSD extract build them the same way.
def referral_id(child_id: str | None, referral_date: str | None) -> str | None:
    return None if child_id is None else f"{child_id}|{referral_date or ''}"


def assessment_id(ref_id: str | None, start: str | None) -> str | None:
    return None if ref_id is None else f"{ref_id}|A|{start or ''}"


def s47_id(ref_id: str | None, start: str | None) -> str | None:
    return None if ref_id is None else f"{ref_id}|S47|{start or ''}"


def icpc_id_for_s47(enquiry_id: str | None) -> str | None:
    return None if enquiry_id is None else f"{enquiry_id}|ICPC"


def transfer_in_icpc_id(ref_id: str | None, icpc_date: str | None) -> str | None:
    return None if ref_id is None else f"{ref_id}|ICPC|{icpc_date or ''}"


def plan_id(ref_id: str | None, start: str | None) -> str | None:
    return None if ref_id is None else f"{ref_id}|CPP|{start or ''}"


def review_id(cp_plan_id: str | None, review_date: str | None) -> str | None:
    return None if cp_plan_id is None else f"{cp_plan_id}|REV|{review_date or ''}"


def _name(el: etree._Element) -> str:
    """An element's name in lower case, without a namespace ('' for comments)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return etree.QName(tag).localname.lower()


def _kids(el: etree._Element | None, name: str) -> list[etree._Element]:
    return [] if el is None else [c for c in el if _name(c) == name]


def _kid(el: etree._Element | None, *names: str) -> etree._Element | None:
    if el is None:
        return None
    for c in el:
        if _name(c) in names:
            return c
    return None


def _text(el: etree._Element | None, *names: str) -> str | None:
    found = _kid(el, *names) if names else el
    if found is None or found.text is None:
        return None
    value = found.text.strip()
    return value or None


def _date(value: str | None) -> str | None:
    """``YYYY-MM-DD``; an ``xs:date`` with a time zone (or a datetime) keeps its date part.
    Anything else is passed on for staging to accept (``DD/MM/YYYY``) or reject."""
    if value is None:
        return None
    match = _ISO_DATE.match(value)
    return match.group(1) if match else value


def _flag(value: str | None) -> str | None:
    if value is None:
        return None
    low = value.lower()
    if low in TRUE_VALUES:
        return "Y"
    if low in FALSE_VALUES:
        return "N"
    return value


def _code(value: str | None) -> str | None:
    return None if value is None else value.upper()


def _category(value: str | None) -> str | None:
    if value is None:
        return None
    return ABUSE_CATEGORY_MAP.get(value.upper(), value.upper())


def _path(el: etree._Element) -> str:
    """``/Message/Children/Child[3]/CINdetails[1]/Assessments[2]``: repeated elements carry
    their place among same-named siblings, as the file names them."""
    parts: list[str] = []
    node: etree._Element | None = el
    while node is not None:
        label = etree.QName(node.tag).localname
        parent = node.getparent()
        if parent is not None and _name(node) in REPEATED:
            same = [c for c in parent if _name(c) == _name(node)]
            label += f"[{same.index(node) + 1}]"
        parts.append(label)
        node = parent
    return "/" + "/".join(reversed(parts))


def collection_year(root: etree._Element) -> int | None:
    """The census year: ``Header/CollectionDetails/Year``, else the reference date's year."""
    details = _kid(_kid(root, "header"), "collectiondetails")
    year = _text(details, "year")
    if year and year.isdigit():
        return int(year)
    ref = reference_date(root)
    return ref.year if ref else None


def reference_date(root: etree._Element) -> dt.date | None:
    details = _kid(_kid(root, "header"), "collectiondetails")
    text = _date(_text(details, "referencedate"))
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def schema_path(year: int) -> Path | None:
    """The XSD for a collection year, if one is available here."""
    dirs = [Path(os.environ[SCHEMA_DIR_ENV])] if os.environ.get(SCHEMA_DIR_ENV) else []
    dirs.append(SHARED_SCHEMA_DIR)
    for folder in dirs:
        candidate = folder / f"CIN_schema_{year}.xsd"
        if candidate.is_file():
            return candidate
    return None


def schema_errors(doc: etree._ElementTree, year: int | None) -> list[tuple[int, str, str]] | None:
    """(line, XML path, message) of every XSD error, or None when no XSD is available."""
    path = schema_path(year) if year else None
    if path is None:
        return None
    schema = etree.XMLSchema(etree.parse(str(path)))
    if schema.validate(doc):
        return []
    out = []
    for error in schema.error_log:
        # lxml's path leaves out [1] on an only child; give every path the adapter's form.
        found = doc.xpath(error.path) if error.path else []
        where = _path(found[0]) if found and isinstance(found[0], etree._Element) else error.path
        out.append((error.line, where, error.message))
    return out


class _File:
    """Rows and notes for one census file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows: dict[str, list[dict[str, object]]] = {t: [] for t in TABLE_COLUMNS}
        self.notes: list[AdapterNote] = []
        self.unmapped: Counter[str] = Counter()

    def note(self, el: etree._Element, rule: str, message: str, action: str, **kw: str) -> None:
        self.notes.append(
            AdapterNote(
                source_file=self.path.name,
                rule=rule,
                message=message,
                action=action,
                source_row=el.sourceline,
                location=_path(el),
                **kw,
            )
        )

    def child(self, child: etree._Element) -> None:
        ids = _kid(child, "childidentifiers")
        chars = _kid(child, "childcharacteristics")
        person = _text(ids, "lachildid")
        dob = _date(_text(ids, "personbirthdate"))
        expected = _date(_text(ids, "expectedpersonbirthdate"))
        if dob is None and expected is not None:
            dob = expected
            self.note(
                ids if ids is not None else child,
                "expected_birth_date",
                "no PersonBirthDate: the expected date of birth (unborn child) is used",
                REPAIRED,
                column="ExpectedPersonBirthDate",
                value=expected,
            )
        sex = _text(ids, "sex", "gendercurrent", "gender")
        self.rows["ssd_person"].append(
            {
                ROW_COLUMN: child.sourceline,
                "pers_person_id": person,
                "pers_sex": SEX_CODES.get(sex.upper(), sex) if sex else None,
                "pers_ethnicity": _code(_text(chars, "ethnicity")),
                "pers_dob": dob,
                "pers_death_date": _date(_text(ids, "persondeathdate")),
            }
        )
        if _kid(chars, "disabilities") is not None:
            self.unmapped["disabilities"] += 1
        for episode in _kids(child, "cindetails"):
            self.episode(person, episode)

    def episode(self, person: str | None, ep: etree._Element) -> None:
        referral_date = _date(_text(ep, "cinreferraldate"))
        ref = referral_id(person, referral_date)
        self.rows["ssd_cin_episodes"].append(
            {
                ROW_COLUMN: ep.sourceline,
                "cine_referral_id": ref,
                "cine_person_id": person,
                "cine_referral_date": referral_date,
                "cine_cin_primary_need_code": _code(_text(ep, "primaryneedcode")),
                "cine_referral_source_code": _code(_text(ep, "referralsource")),
                "cine_referral_nfa": _flag(_text(ep, "referralnfa")),
                "cine_close_reason": _code(_text(ep, "reasonforclosure")),
                "cine_close_date": _date(_text(ep, "cinclosuredate")),
            }
        )
        for part in ("cinplandates", "preproceedingsandfgdm"):
            self.unmapped[part] += len(_kids(ep, part))
        for assessment in _kids(ep, "assessments"):
            start = _date(_text(assessment, "assessmentactualstartdate"))
            self.rows["ssd_cin_assessments"].append(
                {
                    ROW_COLUMN: assessment.sourceline,
                    "cina_assessment_id": assessment_id(ref, start),
                    "cina_person_id": person,
                    "cina_referral_id": ref,
                    "cina_assessment_start_date": start,
                    "cina_assessment_auth_date": _date(
                        _text(assessment, "assessmentauthorisationdate")
                    ),
                }
            )
            if _kid(assessment, "factorsidentifiedatassessment") is not None:
                self.unmapped["factorsidentifiedatassessment"] += 1
        # Plans first: a conference is linked to the plan of the episode starting on its date.
        plans_by_start: dict[str, str | None] = {}
        plan_rows: list[dict[str, object]] = []
        for plan in _kids(ep, "childprotectionplans"):
            start = _date(_text(plan, "cppstartdate"))
            pid = plan_id(ref, start)
            if start is not None:
                plans_by_start.setdefault(start, pid)
            plan_rows.append(
                {
                    ROW_COLUMN: plan.sourceline,
                    "cppl_cp_plan_id": pid,
                    "cppl_person_id": person,
                    "cppl_icpc_id": None,
                    "cppl_cp_plan_start_date": start,
                    "cppl_cp_plan_end_date": _date(_text(plan, "cppenddate")),
                    "cppl_cp_plan_initial_category": _category(
                        _text(plan, "initialcategoryofabuse")
                    ),
                    "cppl_cp_plan_latest_category": _category(_text(plan, "latestcategoryofabuse")),
                    "cppl_previous_cp_plans": _text(plan, "numberofpreviouscpp"),
                }
            )
            # Review dates sit in <Reviews>; some software writes them straight in the plan.
            reviews = _kid(plan, "reviews")
            for review in _kids(plan if reviews is None else reviews, "cppreviewdate"):
                when = _date(_text(review))
                self.rows["ssd_cp_reviews"].append(
                    {
                        ROW_COLUMN: review.sourceline,
                        "cppr_cp_review_id": review_id(pid, when),
                        "cppr_person_id": person,
                        "cppr_cp_plan_id": pid,
                        "cppr_cp_review_date": when,
                    }
                )
        icpc_by_date: dict[str, str | None] = {}
        for enquiry in _kids(ep, "section47"):
            start = _date(_text(enquiry, "s47actualstartdate"))
            sid = s47_id(ref, start)
            self.rows["ssd_s47_enquiry"].append(
                {
                    ROW_COLUMN: enquiry.sourceline,
                    "s47e_s47_enquiry_id": sid,
                    "s47e_referral_id": ref,
                    "s47e_person_id": person,
                    "s47e_s47_start_date": start,
                }
            )
            held = _date(_text(enquiry, "dateofinitialcpc"))
            if held is None:
                continue
            cid = icpc_id_for_s47(sid)
            icpc_by_date.setdefault(held, cid)
            target = _date(_text(enquiry, "initialcpctarget"))
            self._icpc(enquiry, cid, sid, person, "N", target, held, plans_by_start)
        episode_icpc = _date(_text(ep, "dateofinitialcpc"))
        if episode_icpc is not None and episode_icpc not in icpc_by_date:
            cid = transfer_in_icpc_id(ref, episode_icpc)
            icpc_by_date[episode_icpc] = cid
            self._icpc(ep, cid, None, person, "Y", None, episode_icpc, plans_by_start)
        for row in plan_rows:
            began = row["cppl_cp_plan_start_date"]
            row["cppl_icpc_id"] = icpc_by_date.get(began) if isinstance(began, str) else None
        self.rows["ssd_cp_plans"].extend(plan_rows)

    def _icpc(
        self,
        el: etree._Element,
        cid: str | None,
        enquiry: str | None,
        person: str | None,
        transfer_in: str,
        target: str | None,
        held: str,
        plans_by_start: dict[str, str | None],
    ) -> None:
        plan = plans_by_start.get(held)
        self.rows["ssd_initial_cp_conference"].append(
            {
                ROW_COLUMN: el.sourceline,
                "icpc_icpc_id": cid,
                "icpc_s47_enquiry_id": enquiry,
                "icpc_person_id": person,
                "icpc_cp_plan_id": plan,
                "icpc_icpc_transfer_in": transfer_in,
                "icpc_icpc_target_date": target,
                "icpc_icpc_date": held,
                "icpc_icpc_outcome_cp_flag": "Y" if plan is not None else "N",
            }
        )

    def unmapped_notes(self, root: etree._Element) -> None:
        for part, count in self.unmapped.items():
            if count:
                self.note(
                    root,
                    "not_in_contract",
                    f"{count} {UNMAPPED_PARTS[part]} block(s) have no place in the contract "
                    "and are not read",
                    NOT_MAPPED,
                    column=part,
                )


def _parse(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        doc = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        raise FileLevelError(path, f"not well-formed XML: {exc}") from exc
    root = doc.getroot()
    if _name(root) != "message":
        raise FileLevelError(
            path, f"the root element is <{root.tag}>, not the CIN census's <Message>"
        )
    if _kid(root, "children") is None:
        raise FileLevelError(path, "no <Children> element: not a CIN census return")
    return doc


def adapt_file(path: Path) -> tuple[list[AdaptedTable], list[AdapterNote], dt.date | None]:
    """One census file's rows for every table, its notes and its reference date."""
    doc = _parse(path)
    root = doc.getroot()
    out = _File(path)
    year = collection_year(root)
    errors = schema_errors(doc, year)
    if errors is None:
        out.note(
            root,
            "cin_schema_unavailable",
            f"no CIN census XSD for collection year {year} is available: the file was read "
            "without schema validation",
            NOT_USED,
        )
    for line, xml_path, message in errors or []:
        out.notes.append(
            AdapterNote(
                source_file=path.name,
                rule=SCHEMA_ERROR,
                message=f"does not match the {year} CIN census schema: {message}",
                action=NOT_MAPPED,
                source_row=line,
                location=xml_path,
            )
        )
    for child in _kids(_kid(root, "children"), "child"):
        out.child(child)
    out.unmapped_notes(root)
    tables = [
        AdaptedTable(table=t, frame=text_frame(out.rows[t], cols), source_file=path)
        for t, cols in TABLE_COLUMNS.items()
    ]
    return tables, out.notes, reference_date(root)


class CinCensusAdapter:
    """CIN census XML files (any schema year 2017-2026)."""

    source_format = SOURCE_FORMAT

    def claims(self, path: Path) -> bool:
        """An ``.xml`` file whose start looks like a CIN census: a ``<Message>`` with
        collection ``CIN`` or with ``CINdetails`` (the workforce census is also a Message)."""
        if path.suffix.lower() != ".xml" or not path.is_file():
            return False
        with path.open("rb") as handle:
            head = handle.read(16384).decode("utf-8", errors="ignore").lower()
        head = re.sub(r"\s+", "", head)
        if "<message" not in head:
            return False
        return "<collection>cin</collection>" in head or "<cindetails" in head

    def adapt(self, paths: list[Path], extract_date: dt.date) -> Adapted:
        """Every claimed census file of one extract folder; a file that is not well-formed XML
        raises ``FileLevelError``. ``extract_date`` is not needed: the census's dates are kept
        as they are (staging checks them against the extract date)."""
        result = Adapted(source_format=SOURCE_FORMAT)
        for path in paths:
            tables, notes, ref = adapt_file(path)
            result.tables.extend(tables)
            result.notes.extend(notes)
            if ref and (result.reference_date is None or ref > result.reference_date):
                result.reference_date = ref
            if ref:
                result.reference_dates.append(
                    ReferenceDate(
                        path.name,
                        ref,
                        f"the CIN census at {long_date(ref)}",
                        "ReferenceDate in its header",
                    )
                )
        return result


ADAPTER = CinCensusAdapter()


def frames_by_table(adapted: Adapted) -> dict[str, pl.DataFrame]:
    """All files' rows of each table stacked (the source file is dropped): for inspection and
    tests."""
    out: dict[str, list[pl.DataFrame]] = {}
    for piece in adapted.tables:
        out.setdefault(piece.table, []).append(piece.frame)
    return {t: pl.concat(frames) for t, frames in out.items()}
