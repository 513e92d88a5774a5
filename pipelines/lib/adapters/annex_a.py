"""Ofsted Annex A workbook (ILACS child-level lists 1-11) as contract tables.

Annex A is the workbook a council sends Ofsted before an inspection (six months of activity)
and that many councils also build monthly for self-assessment: one sheet per list, one row per
child per event. Real workbooks vary, so the reader forgives:

- sheet names ``List 1``, ``List_1``, ``List 1 - Contacts``..., or any sheet whose header looks
  like a list (the list is then recognised by its columns); title rows and blank rows above the
  header row;
- header wording in case, spacing, punctuation and quote marks (``children's`` = ``children’s``),
  older and newer layouts (List 9 with or without personal adviser, pathway plan and latest
  contact);
- coded values with or without their ``a)`` prefix and description (``q) 6: Police`` = ``6``,
  ``b) Female`` = ``Female``, ``N1 - Abuse or Neglect`` = ``N1``);
- dates as Excel dates, Excel serial numbers or text (``DD/MM/YYYY`` or ``YYYY-MM-DD``); text that
  is not a real date is passed on as it is, so staging rejects the row naming the cell;
- formulas: the value Excel saved is used; a formula with no saved value is noted and left blank;
- Excel error values (``#N/A``...) are noted and left blank.

Lists and tables (with the ids built for them):

- List 1 contacts -> ``ssd_contacts`` (``CON:<child>:<date of contact>:<source code>``);
- List 2 early help: not used (the contract has no early help table);
- List 3 referrals -> ``ssd_cin_episodes`` (``REF:<child>:<referral date>``);
- List 4 assessments -> ``ssd_cin_assessments`` (``ASM:<child>:<start date>``);
- List 5 s47 enquiries -> ``ssd_s47_enquiry`` (``S47:<child>:<strategy discussion date>``) and,
  when a conference is dated or has an outcome, ``ssd_initial_cp_conference``
  (``ICPC:<child>:<strategy discussion date>:<ICPC date>``);
- List 6 children in need -> ``ssd_cin_episodes``, an episode from the CIN start date
  (``REF:<child>:<CIN start date>``);
- List 7 child protection -> ``ssd_cp_plans`` (``CPP:<child>:<plan start>``);
- List 8 children in care -> ``ssd_cla_episodes`` (``CLA:<child>:<date started>``, also the
  period id ``clae_cla_id``), ``ssd_cla_placement`` (``PLA:<child>:<placement start>``) and
  ``ssd_legal_status`` (``LS:<child>:<legal status start>``);
- List 9 care leavers -> ``ssd_care_leavers`` (``CL:<child>``);
- Lists 10 (adoption) and 11 (adopters): not used (the contract has no table for them).

Every child list (1-10) also gives ``ssd_person`` rows: one per Child Unique ID, from the child's
first row that has a date of birth (lists in order, then rows), else the first row; later rows
that disagree on sex or date of birth are noted. Annex A has no ids for events, so the ids above
are built from the child and the event's date (dates in ``YYYY-MM-DD``): the same event gives
the same id in every monthly workbook, and an exact repeat of a row is dropped by staging as a
duplicate. Links are derived: an assessment and an s47 enquiry belong to the child's latest
referral (List 3 or 6) on or before their start; an ICPC and a CP plan are linked when the plan
starts on the day of the conference. A List 6 episode that starts on the day of a List 3
referral of the same child is that referral's episode: its need code, closure date and reason
are added to the List 3 row (and noted). A List 8 row is one period of care: one episode
starting the period (reason ``S``), its current placement and current legal status.

Worker and adviser names, postcodes, URNs and ages are never carried; an adviser's name becomes
an opaque token (``PA:`` + a hash) because only whether one is recorded is used.
"""

import datetime as dt
import hashlib
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.lib.adapters.base import (
    NOT_MAPPED,
    NOT_USED,
    REPAIRED,
    Adapted,
    AdaptedTable,
    AdapterNote,
    text_frame,
)
from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.readers import ROW_COLUMN, FileLevelError

SOURCE_FORMAT = "annex_a"

PROVIDES: dict[str, frozenset[str]] = {
    "ssd_person": frozenset({"pers_person_id", "pers_sex", "pers_ethnicity", "pers_dob"}),
    "ssd_contacts": frozenset(
        {"cont_contact_id", "cont_person_id", "cont_contact_date", "cont_contact_source_code"}
    ),
    "ssd_cin_episodes": frozenset(
        {
            "cine_referral_id",
            "cine_person_id",
            "cine_referral_date",
            "cine_cin_primary_need_code",
            "cine_referral_source_code",
            "cine_referral_nfa",
            "cine_close_reason",
            "cine_close_date",
            "cine_referral_team",
        }
    ),
    "ssd_cin_assessments": frozenset(
        {
            "cina_assessment_id",
            "cina_person_id",
            "cina_referral_id",
            "cina_assessment_start_date",
            "cina_assessment_child_seen",
            "cina_assessment_auth_date",
            "cina_assessment_outcome_nfa",
            "cina_assessment_team",
        }
    ),
    "ssd_s47_enquiry": frozenset(
        {"s47e_s47_enquiry_id", "s47e_referral_id", "s47e_person_id", "s47e_s47_start_date"}
    ),
    "ssd_initial_cp_conference": frozenset(
        {
            "icpc_icpc_id",
            "icpc_s47_enquiry_id",
            "icpc_person_id",
            "icpc_cp_plan_id",
            "icpc_icpc_date",
            "icpc_icpc_outcome_cp_flag",
        }
    ),
    "ssd_cp_plans": frozenset(
        {
            "cppl_cp_plan_id",
            "cppl_person_id",
            "cppl_icpc_id",
            "cppl_cp_plan_start_date",
            "cppl_cp_plan_end_date",
            "cppl_cp_plan_initial_category",
            "cppl_cp_plan_latest_category",
        }
    ),
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
    "ssd_care_leavers": frozenset(
        {
            "clea_table_id",
            "clea_person_id",
            "clea_care_leaver_eligibility",
            "clea_care_leaver_in_touch",
            "clea_care_leaver_latest_contact",
            "clea_care_leaver_accommodation",
            "clea_care_leaver_accom_suitable",
            "clea_care_leaver_activity",
            "clea_pathway_plan_review_date",
            "clea_care_leaver_personal_advisor",
            "clea_care_leaver_allocated_team",
        }
    ),
}

# KPIs whose columns Annex A fills but whose figure would be wrong (availability.py reads this).
NOT_AVAILABLE: dict[str, str] = {
    "cla_3plus_placements_pct": (
        "List 8 has each child's current placement only, so placement moves in the 12 months "
        "are undercounted (List 8's own count of placements is not a contract column)"
    ),
}

LIMITS: dict[str, str] = {
    "pers_death_date": "Annex A has no date of death",
    "cont_contact_date": "List 1 has the date of contact only, no time",
    "cont_contact_outcome_json": "List 1 does not record what was decided on a contact",
    "ext_contact_decisions": (
        "Annex A has no contact decisions or their timestamps (List 1 has the contact date only)"
    ),
    "cine_referral_source_code": (
        "List 6 episodes that do not match a List 3 referral have no referral source"
    ),
    "cine_referral_nfa": "List 6 episodes that do not match a List 3 referral have no NFA flag",
    "cina_assessment_worker_id": (
        "Annex A names the allocated worker but gives no worker id; names are not carried"
    ),
    "ext_assessment_types": "Annex A lists continuous (single) assessments only, with no type",
    "s47e_s47_end_date": "List 5 has no date the s47 enquiry ended",
    "s47e_s47_nfa": "List 5 records whether an ICPC was unnecessary, not an NFA outcome",
    "icpc_icpc_transfer_in": "List 5 does not say whether a conference was a transfer-in",
    "icpc_icpc_target_date": "List 5 has no ICPC target date",
    "ssd_cp_reviews": (
        "List 7 has the date of the latest review conference only, not the review history"
    ),
    "ssd_cp_visits": "List 7 has the date of the last statutory visit only, not the visits",
    "ssd_cin_visits": "List 6 has the date the child was last seen only, not the visits",
    "ssd_cla_visits": "List 8 has the date of the last social work visit only, not the visits",
    "ssd_cla_reviews": "List 8 has the date of the latest statutory review only",
    "ssd_cla_placement": (
        "List 8 has the current (most recent) placement only: earlier placements, and so "
        "placement moves and counts, are missing (it gives a count for the last 12 months)"
    ),
    "clap_cla_placement_change_reason": "List 8 has no reason for a placement change",
    "ssd_legal_status": "List 8 has the current legal status only, not its history",
    "ssd_cla_episodes": (
        "List 8 has one row per period of care; the SSDA903 episodes within it are not known"
    ),
    "ssd_missing": (
        "List 8 counts missing and absent episodes in the last 12 months; it has no episodes "
        "or dates, and return interview offered/accepted only for the last one"
    ),
    "ext_return_interviews": "Annex A has no return interview dates or times",
    "clea_pathway_plan_review_date": (
        "Only the newer List 9 layout (2023 on) has the latest pathway plan review date"
    ),
    "clea_care_leaver_personal_advisor": (
        "Only the newer List 9 layout (2023 on) has the personal adviser (carried as a token, "
        "not the name)"
    ),
    "clea_care_leaver_latest_contact": (
        "Only the newer List 9 layout (2023 on) has the latest date of contact"
    ),
    "ssd_involvements": "Annex A names the allocated worker as at the list date only",
    "ssd_professionals": "Annex A has no workforce data",
    "ssd_department": "Annex A has team names only, no team ids or structure",
    "ext_worker_periods": "Annex A has no workforce data",
    "ext_absences": "Annex A has no workforce data",
    "ext_vacancies": "Annex A has no workforce data",
    "ext_supervisions": "Annex A has no supervision records",
    "ext_homeless_16_17": "Annex A has no homelessness presentations",
    "ext_education_status": "Annex A has no education status",
    "ext_lado_referrals": "Annex A has no LADO referrals",
}

LIST_TITLES = {
    1: "List 1 (Contacts)",
    2: "List 2 (Early help)",
    3: "List 3 (Referrals)",
    4: "List 4 (Assessments)",
    5: "List 5 (Section 47 enquiries and ICPCs)",
    6: "List 6 (Children in need)",
    7: "List 7 (Child protection)",
    8: "List 8 (Children in care)",
    9: "List 9 (Care leavers)",
    10: "List 10 (Adoption)",
    11: "List 11 (Adopters)",
}
NOT_USED_LISTS = {
    2: "the contract has no early help table",
    10: "the contract has no adoption or permanence table",
    11: "adopters are not children; the contract has no table for them",
}

# Header patterns, matched against the normalised header (lower case, apostrophes removed,
# every other run of punctuation or space one space). Within a list the first pattern that
# matches wins, so the specific ones come before the general ones.
_COMMON: tuple[tuple[str, str], ...] = (
    ("child_id", r"^(child )?unique (child )?id|^child (unique )?id(entifier)?$|^person id$"),
    ("sex", r"^(gender|sex)\b"),
    ("ethnicity", r"^ethnic"),
    ("dob", r"^(date of birth|dob|birth date)\b"),
    ("team", r"allocated team|^team\b"),
)
_LIST_FIELDS: dict[int, tuple[tuple[str, str], ...]] = {
    1: (
        ("contact_date", r"date of contact|contact date"),
        ("contact_source", r"source"),
    ),
    2: (),
    3: (
        ("referral_date", r"date of referral|referral date"),
        ("referral_source", r"source"),
        ("referral_nfa", r"\bnfa\b|no further action"),
    ),
    4: (
        ("assessment_auth", r"authoris|authoriz|completion date|date completed"),
        ("assessment_start", r"start"),
        ("assessment_seen", r"child seen|seen during"),
        ("assessment_in_need", r"requiring|in need|need of support|further support"),
    ),
    5: (
        ("icpc_outcome", r"result in a (child protection )?plan|resulted in|icpc outcome"),
        ("icpc_unnecessary", r"unnecessary|not required"),
        ("s47_start", r"strategy discussion|section 47 enquiry start|s47 (enquiry )?start"),
        ("icpc_date", r"^date of (the )?(initial child protection conference|icpc)|icpc date"),
    ),
    6: (
        ("cin_close_reason", r"reason for closure|closure reason|reason closed"),
        ("cin_start", r"cin start|start date"),
        ("primary_need", r"primary need|category of need"),
        ("cin_close", r"closure date|close date|date closed|end date"),
    ),
    7: (
        ("cp_initial_category", r"initial category"),
        ("cp_latest_category", r"latest category"),
        ("cp_start", r"plan start|start date"),
        ("cp_end", r"plan end|end date"),
    ),
    8: (
        ("cla_ceased_reason", r"reason ceased|reason for ceasing"),
        ("cla_ceased", r"ceased"),
        ("legal_status_start", r"legal status start|start date of (the )?current legal status"),
        ("legal_status", r"legal status"),
        ("placement_start", r"placement start|start date of (the )?(most recent|current) placem"),
        ("placement_type", r"placement type|type of placement"),
        ("placement_provider", r"placement provider|provider"),
        ("cla_need", r"category of need|primary need"),
        ("cla_start", r"started to be looked after|became looked after|date started"),
    ),
    9: (
        ("personal_adviser", r"personal advis"),
        ("eligibility", r"eligibility"),
        ("pathway_plan", r"pathway plan"),
        ("in_touch", r"in touch"),
        ("latest_contact", r"date of contact|latest contact|last contact"),
        ("accommodation_suitable", r"suitab"),
        ("accommodation", r"accommodation"),
        ("activity", r"activity"),
    ),
    10: (),
    11: (),
}
_ADOPTER_ID = r"adopter (identifier|id)\b"
# Columns recognised but deliberately not carried (identifiers, or nothing in the contract).
_IGNORED = re.compile(
    r"^age\b|disabilit|worker|postcode|\burn\b|family identifier|uasc|unaccompanied|"
    r"number of|last seen|case status|visit|seen alone|review|emergency protection|"
    r"second or subsequent|permanence|iro|health assessment|dental|placement location|"
    r"la of placement|return interview|organisation|assessment (start|completion) date|"
    r"adopt|fostering|stage [12]|application|enquiry received|matched|placed|leaving"
)
# Columns that name a person or a place: dropped (data minimisation), and said so.
_IDENTIFIERS = re.compile(r"worker|postcode|\burn\b|name|address|\bupn\b|\bnhs\b")
# Columns that show a list (when the sheet's name does not say which list it is).
_SIGNATURES: tuple[tuple[int, str], ...] = (
    (11, _ADOPTER_ID),
    (10, r"placed for adoption"),
    (9, r"eligibility"),
    (8, r"started to be looked after|legal status"),
    (7, r"child protection plan start|category of abuse"),
    (6, r"cin start|primary need"),
    (5, r"strategy discussion|section 47"),
    (4, r"continuous assessment|assessment date of authoris"),
    (3, r"date of referral|referral date"),
    (2, r"organisation completing"),
    (1, r"date of contact|contact date"),
)
# The column each list cannot do without: a sheet with rows but without it is unusable.
_KEY_FIELDS = {
    1: "contact_date",
    3: "referral_date",
    4: "assessment_start",
    5: "s47_start",
    6: "cin_start",
    7: "cp_start",
    8: "cla_start",
}

_SHEET_LIST = re.compile(r"^\s*list\s*[_\-\s.]*0*(\d{1,2})(?!\d)", re.IGNORECASE)
_NAME = re.compile(r"annex[\s_\-]*a", re.IGNORECASE)
_EXCEL_ERRORS = frozenset(
    {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!"}
)
# ``a) ``, ``zz) `` or ``(b) `` before a code or label.
_PREFIX = re.compile(r"^\(?[a-z]{1,2}\)\s*", re.IGNORECASE)
# A code before its description: ``6: Police``, ``N1 - Abuse or neglect``, ``X1:CodeError``.
_CODE = re.compile(r"^([A-Za-z0-9]{1,6})\s*(?::|\s-\s|\s–\s)")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")
# Excel serial numbers accepted as dates: 1910-01-01 to 2099-12-31. A smaller number in a date
# column is more likely a year or a typing slip than a date, and a date is never guessed.
_SERIAL_RANGE = (3654, 73050)
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})
_UNKNOWN = frozenset({"unknown", "not known", "n/a", "na", "not recorded", "not stated"})
# Annex A labels of referral sources that name one CIN code exactly ("Individual" and "Health
# services" cover several codes, so they are left for staging to clear).
_SOURCE_LABELS = {
    "schools": "2A",
    "education services": "2B",
    "housing": "4",
    "police": "6",
    "other legal agency": "7",
    "other": "8",
    "anonymous": "9",
    "unknown": "10",
}
_SEX_LABELS = {"not stated/recorded": "U", "not stated": "U", "not recorded": "U", "unborn": "U"}
_ELIGIBILITY = (
    ("former relevant", "Former Relevant"),
    ("relevant", "Relevant"),
    ("eligible", "Eligible"),
    ("qualifying", "Qualifying"),
    ("no current eligibility", "No Current Eligibility"),
)
_SUITABILITY = {"suitable": "1", "unsuitable": "2", "not suitable": "2"}
_NO_ADVISER = frozenset({"none", "n/a", "na", "no", "not allocated", "unallocated", "-"})
_HEADER_SCAN_ROWS = 30
# What openpyxl raises on a file that is not a workbook or is damaged (zip, deflate or XML).
_WORKBOOK_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    ValueError,
    SyntaxError,  # xml ParseError
)


def normalise_header(value: object) -> str:
    """A header as the matcher sees it: ``Child's  Legal-Status?`` -> ``childs legal status``."""
    text = str(value if value is not None else "").lower()
    text = re.sub(r"['’‘`]", "", text)
    return re.sub(r"[^a-z0-9/]+", " ", text).replace("/", " / ").strip()


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def match_header(list_no: int, header: object) -> str | None:
    """The field a header names in a list (``None`` when it is not one the adapter reads)."""
    name = normalise_header(header)
    if not name:
        return None
    for field_name, pattern in (*_COMMON, *_LIST_FIELDS.get(list_no, ())):
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


def _list_from_headers(headers: list[str]) -> int | None:
    for list_no, pattern in _SIGNATURES:
        if any(re.search(pattern, h) for h in headers):
            return list_no
    return None


# --- cell values -------------------------------------------------------------------------


def _text(value: object) -> str | None:
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
    text = _collapse(str(value).replace("\xa0", " "))
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
            return _text(value)
    else:
        text = _text(value)
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
    iso = _ISO_DATE.match(text)
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
    if label in _YES:
        return "Y"
    if label in _NO:
        return "N"
    if label in _UNKNOWN:
        return None
    return text


# --- reading the workbook ----------------------------------------------------------------


@dataclass
class _Row:
    number: int  # the Excel row
    values: dict[str, object]  # field -> cell value (cached value of a formula)
    formulas: dict[str, str]  # field -> formula, for a formula cell with no saved value


@dataclass
class _ListSheet:
    list_no: int
    sheet: str
    header_row: int
    fields: dict[str, int]  # field -> column index
    headers: dict[str, str]  # field -> the header as written
    rows: list[_Row] = field(default_factory=list)

    @property
    def location(self) -> str:
        return f"{LIST_TITLES[self.list_no]}, sheet '{self.sheet}'"


@dataclass
class _Workbook:
    path: Path
    epoch: dt.datetime
    lists: list[_ListSheet]


def _rows(sheet: Any) -> Iterator[tuple[object, ...]]:
    return iter(sheet.iter_rows(values_only=True))


def _find_header(rows: list[tuple[object, ...]]) -> tuple[int, str | None] | None:
    """(index of the header row, the title above it) among the first rows of a sheet: the first
    row with a child id column and at least one more column, or an adopter id (List 11)."""
    title: str | None = None
    for index, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        names = [n for n in (normalise_header(v) for v in row) if n]
        is_child_list = len(names) >= 2 and any(match_header(0, n) == "child_id" for n in names)
        if is_child_list or any(re.search(_ADOPTER_ID, n) for n in names):
            return index, title
        texts = [t for t in (_text(v) for v in row) if t]
        if texts and title is None:
            title = texts[0]
    return None


class _Reader:
    """Reads one workbook's list sheets and collects notes on what it could not use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notes: list[AdapterNote] = []
        self._noted: set[tuple[object, ...]] = set()

    def note(self, rule: str, message: str, action: str, **where: Any) -> None:
        """Record a note once (a cell read for two tables is noted once)."""
        place = (rule, where.get("source_row"), where.get("location"), where.get("column"))
        if place not in self._noted:
            self._noted.add(place)
            self.notes.append(AdapterNote(str(self.path), rule, message, action, **where))

    def read(self) -> _Workbook:
        import openpyxl  # imported here: only workbooks pay for it

        if self.path.suffix.lower() == ".xls":
            raise FileLevelError(
                self.path,
                "is a legacy Excel .xls workbook; open it in Excel and save it as .xlsx",
            )
        try:
            values = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            formulas = openpyxl.load_workbook(self.path, read_only=True, data_only=False)
        except _WORKBOOK_ERRORS as exc:
            raise FileLevelError(
                self.path,
                "cannot be opened as an .xlsx workbook (password-protected, corrupt or another "
                "format); remove any password and save as .xlsx",
            ) from exc
        try:
            epoch = values.epoch
            lists = []
            for name in values.sheetnames:
                found = self._read_sheet(name, list(_rows(values[name])), _rows(formulas[name]))
                if found is not None:
                    lists.append(found)
        except FileLevelError:
            raise
        except _WORKBOOK_ERRORS as exc:
            raise FileLevelError(
                self.path,
                f"cannot be read: the workbook is damaged ({exc}); open it in Excel and save "
                "it again as .xlsx",
            ) from exc
        finally:
            values.close()
            formulas.close()
        if not lists:
            raise FileLevelError(
                self.path, "has no sheet that looks like an Annex A list (List 1 ... List 11)"
            )
        return _Workbook(self.path, epoch, lists)

    def _read_sheet(
        self, name: str, rows: list[tuple[object, ...]], formula_rows: Iterator[tuple[object, ...]]
    ) -> _ListSheet | None:
        named = list_number(name)
        header = _find_header(rows)
        if header is None:
            if named is not None and any(any(_text(v) for v in row) for row in rows):
                raise FileLevelError(
                    self.path,
                    f"sheet '{name}' has no header row with a 'Child Unique ID' column in its "
                    f"first {_HEADER_SCAN_ROWS} rows",
                )
            return None
        header_index, title = header
        names = [normalise_header(v) for v in rows[header_index]]
        list_no = named or list_number("", title) or _list_from_headers(names)
        if list_no is None:
            return None
        sheet = _ListSheet(list_no, name, header_index + 1, {}, {})
        header_notes: list[tuple[str, str, str, str]] = []
        for column, header_value in enumerate(rows[header_index]):
            header_notes.extend(self._place_column(sheet, column, header_value))
        formula_list = list(formula_rows)
        for index in range(header_index + 1, len(rows)):
            cells = rows[index]
            if not any(_text(v) for v in cells):
                continue
            written = formula_list[index] if index < len(formula_list) else ()
            row = _Row(index + 1, {}, {})
            for field_name, column in sheet.fields.items():
                value = cells[column] if column < len(cells) else None
                formula = written[column] if column < len(written) else None
                row.values[field_name] = value
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    row.formulas[field_name] = formula
            sheet.rows.append(row)
        # The columns of an empty or unused list do not matter: no notes about them.
        if sheet.rows and list_no not in NOT_USED_LISTS:
            for rule, message, action, header_text in header_notes:
                self.note(
                    rule,
                    message,
                    action,
                    source_row=sheet.header_row,
                    location=sheet.location,
                    column=header_text,
                )
        self._check_columns(sheet)
        return sheet

    def _place_column(
        self, sheet: _ListSheet, column: int, header_value: object
    ) -> list[tuple[str, str, str, str]]:
        """Assign a column to the field its header names; returns notes (rule, message,
        action, header) on a column that is not used."""
        header_text = _text(header_value)
        if header_text is None:
            return []
        field_name = match_header(sheet.list_no, header_value)
        normalised = normalise_header(header_value)
        if field_name is None and _IDENTIFIERS.search(normalised):
            message = (
                f"column '{header_text}' identifies a person or place; it is never carried, "
                "so its values are not checked"
            )
            return [("identifier_not_carried", message, NOT_USED, header_text)]
        if field_name is None and not _IGNORED.search(normalised):
            message = (
                f"column '{header_text}' is not an Annex A column this adapter reads; its "
                "values are not used"
            )
            return [("unknown_header", message, NOT_MAPPED, header_text)]
        if field_name is None:
            return []
        if field_name in sheet.fields:
            message = (
                f"column '{header_text}' repeats column '{sheet.headers[field_name]}'; the "
                "first one is used"
            )
            return [("duplicate_header", message, NOT_USED, header_text)]
        sheet.fields[field_name] = column
        sheet.headers[field_name] = header_text
        return []

    def _check_columns(self, sheet: _ListSheet) -> None:
        if not sheet.rows or sheet.list_no in NOT_USED_LISTS:
            return
        for required in ("child_id", _KEY_FIELDS.get(sheet.list_no)):
            if required is not None and required not in sheet.fields:
                raise FileLevelError(
                    self.path,
                    f"sheet '{sheet.sheet}' ({LIST_TITLES[sheet.list_no]}) has rows but no "
                    f"column for {required.replace('_', ' ')}",
                    column=required,
                )


# --- turning rows into contract rows -----------------------------------------------------


@dataclass
class _Output:
    """Rows for one contract table from one sheet of one workbook."""

    table: str
    path: Path
    sheet: str
    rows: list[dict[str, object]] = field(default_factory=list)


@dataclass
class _PersonCandidate:
    child: str
    sex: str | None
    ethnicity: str | None
    dob: str | None
    list_no: int
    sheet: str
    row: int
    path: Path
    order: tuple[int, int, int]  # file, list, row: the earliest wins among equals


class _Converter:
    """Cell values of one workbook's rows as contract text, with notes."""

    def __init__(self, reader: _Reader, workbook: _Workbook) -> None:
        self.reader = reader
        self.workbook = workbook

    def value(self, sheet: _ListSheet, row: _Row, field_name: str) -> object:
        """The cell's value, or None for a formula without a saved value or an Excel error."""
        if field_name in row.formulas:
            self.reader.note(
                "excel_formula_no_value",
                f"the formula {row.formulas[field_name]} has no saved value (the workbook was "
                "not recalculated and saved in Excel); left blank",
                NOT_MAPPED,
                source_row=row.number,
                location=sheet.location,
                column=sheet.headers[field_name],
                value=row.formulas[field_name],
            )
            return None
        value = row.values.get(field_name)
        if isinstance(value, str) and value.strip().upper() in _EXCEL_ERRORS:
            self.reader.note(
                "excel_error",
                f"Excel error value {value.strip()} left blank",
                REPAIRED,
                source_row=row.number,
                location=sheet.location,
                column=sheet.headers[field_name],
                value=value.strip(),
            )
            return None
        return value

    def text(self, sheet: _ListSheet, row: _Row, field_name: str) -> str | None:
        return _text(self.value(sheet, row, field_name))

    def date(
        self, sheet: _ListSheet, row: _Row, field_name: str, keep_time: bool = False
    ) -> str | None:
        return date_text(self.value(sheet, row, field_name), self.workbook.epoch, keep_time)

    def code(
        self,
        sheet: _ListSheet,
        row: _Row,
        field_name: str,
        labels: dict[str, str] | None = None,
    ) -> str | None:
        text = self.text(sheet, row, field_name)
        if text is None:
            return None
        label = strip_prefix(text)
        if labels and label.lower() in labels:
            return labels[label.lower()]
        return code_of(text)

    def label(self, sheet: _ListSheet, row: _Row, field_name: str) -> str | None:
        text = self.text(sheet, row, field_name)
        return strip_prefix(text) if text is not None else None

    def flag(
        self, sheet: _ListSheet, row: _Row, field_name: str, invert: bool = False
    ) -> str | None:
        """Y/N from a yes/no cell. Staging would blank any other answer without a word, so
        the adapter blanks it and notes it."""
        text = self.text(sheet, row, field_name)
        answer = yes_no(text)
        if answer not in (None, "Y", "N"):
            self.reader.note(
                "not_yes_no",
                f"'{text}' is not a yes/no answer; left blank (unknown)",
                NOT_MAPPED,
                source_row=row.number,
                location=sheet.location,
                column=sheet.headers[field_name],
                value=text,
            )
            return None
        if invert and answer is not None:
            return "N" if answer == "Y" else "Y"
        return answer


def _key(*parts: str | None) -> str:
    return ":".join(part or "" for part in parts)


def _latest_on_or_before(
    index: dict[str, list[tuple[str, str]]], child: str | None, day: str | None
) -> str | None:
    """The id of the child's latest dated item on or before ``day`` (ISO text compares as
    dates), or None."""
    if child is None or day is None or not _ISO_DATE.match(day):
        return None
    best: str | None = None
    for start, item_id in sorted(index.get(child, [])):
        if start <= day[:10]:
            best = item_id
    return best


def _adviser_token(name: str | None) -> str | None:
    if name is None or name.strip().lower() in _NO_ADVISER:
        return None
    digest = hashlib.sha256(_collapse(name).lower().encode("utf-8")).hexdigest()
    return f"PA:{digest[:12]}"


class _WorkbookMapper:
    """Maps one workbook's lists to contract rows."""

    def __init__(self, reader: _Reader, workbook: _Workbook, file_order: int) -> None:
        self.reader = reader
        self.workbook = workbook
        self.convert = _Converter(reader, workbook)
        self.file_order = file_order
        self.outputs: dict[tuple[str, str], _Output] = {}
        self.people: list[_PersonCandidate] = []
        self.icpc_by_plan: dict[str, str] = {}  # CP plan id -> the ICPC that began it

    def output(self, table: str, sheet: _ListSheet) -> _Output:
        key = (table, sheet.sheet)
        if key not in self.outputs:
            self.outputs[key] = _Output(table, self.workbook.path, sheet.sheet)
        return self.outputs[key]

    def sheets(self, list_no: int) -> list[_ListSheet]:
        return [s for s in self.workbook.lists if s.list_no == list_no]

    def map(self) -> None:
        for sheet in self.workbook.lists:
            if sheet.list_no in NOT_USED_LISTS and sheet.rows:
                self.reader.note(
                    "list_not_used",
                    f"{LIST_TITLES[sheet.list_no]} has {len(sheet.rows)} rows; not used: "
                    f"{NOT_USED_LISTS[sheet.list_no]}",
                    NOT_USED,
                    location=sheet.location,
                )
            if sheet.list_no != 11:
                self._people(sheet)
        self._contacts()
        referrals = self._referrals_and_episodes()
        self._assessments(referrals)
        plans = self._cp_plan_starts()
        self._s47_and_icpc(referrals, plans)
        self._cp_plans()
        self._children_in_care()
        self._care_leavers()

    def _people(self, sheet: _ListSheet) -> None:
        c = self.convert
        for row in sheet.rows:
            child = c.text(sheet, row, "child_id") if "child_id" in sheet.fields else None
            if child is None:
                continue
            sex = c.code(sheet, row, "sex", _SEX_LABELS) if "sex" in sheet.fields else None
            ethnicity = c.label(sheet, row, "ethnicity") if "ethnicity" in sheet.fields else None
            dob = c.date(sheet, row, "dob") if "dob" in sheet.fields else None
            self.people.append(
                _PersonCandidate(
                    child,
                    sex,
                    code_of(ethnicity) if ethnicity else None,
                    dob,
                    sheet.list_no,
                    sheet.sheet,
                    row.number,
                    self.workbook.path,
                    (self.file_order, sheet.list_no, row.number),
                )
            )

    def _child(self, sheet: _ListSheet, row: _Row) -> str | None:
        return self.convert.text(sheet, row, "child_id")

    def _optional(
        self, sheet: _ListSheet, row: _Row, field_name: str, get: Callable[..., str | None]
    ) -> str | None:
        return get(sheet, row, field_name) if field_name in sheet.fields else None

    def _contacts(self) -> None:
        c = self.convert
        for sheet in self.sheets(1):
            out = self.output("ssd_contacts", sheet)
            for row in sheet.rows:
                child = self._child(sheet, row)
                day = c.date(sheet, row, "contact_date", keep_time=True)
                source = self._source(sheet, row, "contact_source")
                out.rows.append(
                    {
                        ROW_COLUMN: row.number,
                        "cont_contact_id": _key("CON", child, day, source),
                        "cont_person_id": child,
                        "cont_contact_date": day,
                        "cont_contact_source_code": source,
                    }
                )

    def _source(self, sheet: _ListSheet, row: _Row, field_name: str) -> str | None:
        if field_name not in sheet.fields:
            return None
        return self.convert.code(sheet, row, field_name, _SOURCE_LABELS)

    def _referrals_and_episodes(self) -> dict[str, list[tuple[str, str]]]:
        """List 3 referrals and List 6 episodes as ``ssd_cin_episodes``; returns each child's
        (start date, referral id) for linking assessments and enquiries."""
        c = self.convert
        by_id: dict[str, tuple[dict[str, object], _ListSheet]] = {}
        index: dict[str, list[tuple[str, str]]] = {}
        for sheet in self.sheets(3):
            out = self.output("ssd_cin_episodes", sheet)
            for row in sheet.rows:
                child = self._child(sheet, row)
                day = c.date(sheet, row, "referral_date")
                record: dict[str, object] = {
                    ROW_COLUMN: row.number,
                    "cine_referral_id": _key("REF", child, day),
                    "cine_person_id": child,
                    "cine_referral_date": day,
                    "cine_referral_source_code": self._source(sheet, row, "referral_source"),
                    "cine_referral_nfa": self._optional(sheet, row, "referral_nfa", c.flag),
                    "cine_referral_team": self._optional(sheet, row, "team", c.text),
                }
                out.rows.append(record)
                by_id.setdefault(str(record["cine_referral_id"]), (record, sheet))
                if child and day:
                    index.setdefault(child, []).append((day, str(record["cine_referral_id"])))
        for sheet in self.sheets(6):
            out = self.output("ssd_cin_episodes", sheet)
            for row in sheet.rows:
                child = self._child(sheet, row)
                day = c.date(sheet, row, "cin_start")
                episode = {
                    "cine_cin_primary_need_code": self._optional(
                        sheet, row, "primary_need", c.code
                    ),
                    "cine_close_date": self._optional(sheet, row, "cin_close", c.date),
                    "cine_close_reason": self._optional(sheet, row, "cin_close_reason", c.code),
                }
                team = self._optional(sheet, row, "team", c.text)
                referral_id = _key("REF", child, day)
                if child and day and referral_id in by_id:
                    referral, referral_sheet = by_id[referral_id]
                    referral.update(episode)
                    if referral.get("cine_referral_team") is None:
                        referral["cine_referral_team"] = team
                    self.reader.note(
                        "cin_episode_merged",
                        f"the episode of child {child} starting {day} is also the referral on "
                        f"sheet '{referral_sheet.sheet}' row {referral[ROW_COLUMN]}; its need "
                        "code, closure date and reason were added to that row",
                        REPAIRED,
                        source_row=row.number,
                        location=sheet.location,
                    )
                    continue
                out.rows.append(
                    {
                        ROW_COLUMN: row.number,
                        "cine_referral_id": referral_id,
                        "cine_person_id": child,
                        "cine_referral_date": day,
                        "cine_referral_team": team,
                        **episode,
                    }
                )
                if child and day:
                    index.setdefault(child, []).append((day, referral_id))
        return index

    def _assessments(self, referrals: dict[str, list[tuple[str, str]]]) -> None:
        c = self.convert
        for sheet in self.sheets(4):
            out = self.output("ssd_cin_assessments", sheet)
            for row in sheet.rows:
                child = self._child(sheet, row)
                start = c.date(sheet, row, "assessment_start")
                out.rows.append(
                    {
                        ROW_COLUMN: row.number,
                        "cina_assessment_id": _key("ASM", child, start),
                        "cina_person_id": child,
                        "cina_referral_id": _latest_on_or_before(referrals, child, start),
                        "cina_assessment_start_date": start,
                        "cina_assessment_child_seen": self._optional(
                            sheet, row, "assessment_seen", c.flag
                        ),
                        "cina_assessment_auth_date": self._optional(
                            sheet, row, "assessment_auth", c.date
                        ),
                        # "Assessed as requiring support?" No = no further action.
                        "cina_assessment_outcome_nfa": (
                            c.flag(sheet, row, "assessment_in_need", invert=True)
                            if "assessment_in_need" in sheet.fields
                            else None
                        ),
                        "cina_assessment_team": self._optional(sheet, row, "team", c.text),
                    }
                )

    def _cp_plan_starts(self) -> dict[tuple[str, str], str]:
        """(child, plan start) -> plan id, to link a conference to the plan it began."""
        c = self.convert
        found: dict[tuple[str, str], str] = {}
        for sheet in self.sheets(7):
            for row in sheet.rows:
                child = self._child(sheet, row)
                start = c.date(sheet, row, "cp_start")
                if child and start:
                    found.setdefault((child, start), _key("CPP", child, start))
        return found

    def _s47_and_icpc(
        self, referrals: dict[str, list[tuple[str, str]]], plans: dict[tuple[str, str], str]
    ) -> None:
        c = self.convert
        for sheet in self.sheets(5):
            enquiries = self.output("ssd_s47_enquiry", sheet)
            conferences = self.output("ssd_initial_cp_conference", sheet)
            for row in sheet.rows:
                child = self._child(sheet, row)
                start = c.date(sheet, row, "s47_start")
                enquiry_id = _key("S47", child, start)
                enquiries.rows.append(
                    {
                        ROW_COLUMN: row.number,
                        "s47e_s47_enquiry_id": enquiry_id,
                        "s47e_referral_id": _latest_on_or_before(referrals, child, start),
                        "s47e_person_id": child,
                        "s47e_s47_start_date": start,
                    }
                )
                held = self._optional(sheet, row, "icpc_date", c.date)
                outcome = self._optional(sheet, row, "icpc_outcome", c.flag)
                if held is None and outcome is None:
                    continue  # no conference (yet): nothing to record
                plan_id = plans.get((child, held)) if child and held else None
                icpc_id = _key("ICPC", child, start, held)
                if plan_id:
                    self.icpc_by_plan.setdefault(plan_id, icpc_id)
                conferences.rows.append(
                    {
                        ROW_COLUMN: row.number,
                        "icpc_icpc_id": icpc_id,
                        "icpc_s47_enquiry_id": enquiry_id,
                        "icpc_person_id": child,
                        "icpc_cp_plan_id": plan_id,
                        "icpc_icpc_date": held,
                        "icpc_icpc_outcome_cp_flag": outcome,
                    }
                )

    def _cp_plans(self) -> None:
        c = self.convert
        for sheet in self.sheets(7):
            out = self.output("ssd_cp_plans", sheet)
            for row in sheet.rows:
                child = self._child(sheet, row)
                start = c.date(sheet, row, "cp_start")
                plan_id = _key("CPP", child, start)
                out.rows.append(
                    {
                        ROW_COLUMN: row.number,
                        "cppl_cp_plan_id": plan_id,
                        "cppl_person_id": child,
                        "cppl_icpc_id": self.icpc_by_plan.get(plan_id),
                        "cppl_cp_plan_start_date": start,
                        "cppl_cp_plan_end_date": self._optional(sheet, row, "cp_end", c.date),
                        "cppl_cp_plan_initial_category": self._optional(
                            sheet, row, "cp_initial_category", c.code
                        ),
                        "cppl_cp_plan_latest_category": self._optional(
                            sheet, row, "cp_latest_category", c.code
                        ),
                    }
                )

    def _children_in_care(self) -> None:
        c = self.convert
        for sheet in self.sheets(8):
            episodes = self.output("ssd_cla_episodes", sheet)
            placements = self.output("ssd_cla_placement", sheet)
            statuses = self.output("ssd_legal_status", sheet)
            for row in sheet.rows:
                child = self._child(sheet, row)
                start = c.date(sheet, row, "cla_start")
                ceased = self._optional(sheet, row, "cla_ceased", c.date)
                period_id = _key("CLA", child, start)
                episodes.rows.append(
                    {
                        ROW_COLUMN: row.number,
                        "clae_cla_episode_id": period_id,
                        "clae_person_id": child,
                        "clae_cla_episode_start_date": start,
                        # The row's period of care starts on this date: a new period (903 RNE S).
                        "clae_cla_episode_start_reason": "S",
                        "clae_cla_primary_need_code": self._optional(
                            sheet, row, "cla_need", c.code
                        ),
                        "clae_cla_episode_ceased": ceased,
                        "clae_cla_episode_ceased_reason": self._optional(
                            sheet, row, "cla_ceased_reason", c.code
                        ),
                        "clae_cla_id": period_id,
                        "clae_entered_care_date": start,
                    }
                )
                placement_start = self._optional(sheet, row, "placement_start", c.date)
                placement_type = self._optional(sheet, row, "placement_type", c.code)
                provider = self._optional(sheet, row, "placement_provider", c.code)
                if placement_start or placement_type or provider:
                    placements.rows.append(
                        {
                            ROW_COLUMN: row.number,
                            "clap_cla_placement_id": _key("PLA", child, placement_start),
                            "clap_cla_id": period_id,
                            "clap_person_id": child,
                            "clap_cla_placement_start_date": placement_start,
                            "clap_cla_placement_end_date": ceased,
                            "clap_cla_placement_type": placement_type,
                            "clap_cla_placement_provider": provider,
                        }
                    )
                status = self._optional(sheet, row, "legal_status", c.code)
                status_start = self._optional(sheet, row, "legal_status_start", c.date)
                if status or status_start:
                    statuses.rows.append(
                        {
                            ROW_COLUMN: row.number,
                            "lega_legal_status_id": _key("LS", child, status_start),
                            "lega_person_id": child,
                            "lega_legal_status": status,
                            "lega_legal_status_start_date": status_start,
                            "lega_legal_status_end_date": ceased,
                        }
                    )

    def _care_leavers(self) -> None:
        c = self.convert
        for sheet in self.sheets(9):
            out = self.output("ssd_care_leavers", sheet)
            for row in sheet.rows:
                child = self._child(sheet, row)
                out.rows.append(
                    {
                        ROW_COLUMN: row.number,
                        "clea_table_id": _key("CL", child),
                        "clea_person_id": child,
                        "clea_care_leaver_eligibility": self._eligibility(sheet, row),
                        "clea_care_leaver_in_touch": self._optional(sheet, row, "in_touch", c.code),
                        "clea_care_leaver_latest_contact": self._optional(
                            sheet, row, "latest_contact", c.date
                        ),
                        "clea_care_leaver_accommodation": self._optional(
                            sheet, row, "accommodation", c.code
                        ),
                        "clea_care_leaver_accom_suitable": self._suitability(sheet, row),
                        "clea_care_leaver_activity": self._optional(sheet, row, "activity", c.code),
                        "clea_pathway_plan_review_date": self._optional(
                            sheet, row, "pathway_plan", c.date
                        ),
                        "clea_care_leaver_personal_advisor": _adviser_token(
                            self._optional(sheet, row, "personal_adviser", c.text)
                        ),
                        "clea_care_leaver_allocated_team": self._optional(
                            sheet, row, "team", c.text
                        ),
                    }
                )

    def _eligibility(self, sheet: _ListSheet, row: _Row) -> str | None:
        label = self._optional(sheet, row, "eligibility", self.convert.label)
        if label is None:
            return None
        lowered = label.lower()
        for start, canonical in _ELIGIBILITY:
            if lowered.startswith(start):
                return canonical
        return label

    def _suitability(self, sheet: _ListSheet, row: _Row) -> str | None:
        label = self._optional(sheet, row, "accommodation_suitable", self.convert.label)
        if label is None:
            return None
        return _SUITABILITY.get(label.lower(), label)


def _choose_people(
    candidates: list[_PersonCandidate], notes: list[AdapterNote]
) -> list[_PersonCandidate]:
    """One row per child: the earliest row with a date of birth, else the earliest row. Later
    rows that disagree on sex or date of birth are noted, so the difference can be fixed."""
    by_child: dict[str, list[_PersonCandidate]] = {}
    for candidate in sorted(candidates, key=lambda p: p.order):
        by_child.setdefault(candidate.child, []).append(candidate)
    chosen = []
    for child, rows in by_child.items():
        best = next((r for r in rows if r.dob is not None), rows[0])
        chosen.append(best)
        if best.dob is None:
            notes.append(
                AdapterNote(
                    str(best.path),
                    "blank_date_of_birth",
                    f"child {child} has no Date of Birth in any list: the child's age is "
                    "unknown, so age-based measures leave the child out",
                    NOT_MAPPED,
                    source_row=best.row,
                    location=f"{LIST_TITLES[best.list_no]}, sheet '{best.sheet}'",
                    column="Date of Birth",
                )
            )
        for other in rows:
            if other is best:
                continue
            for label, mine, theirs in (
                ("Date of Birth", other.dob, best.dob),
                ("Gender", other.sex, best.sex),
            ):
                if mine is not None and theirs is not None and mine.upper() != theirs.upper():
                    notes.append(
                        AdapterNote(
                            str(other.path),
                            "person_conflict",
                            f"child {child}: {label} '{mine}' differs from '{theirs}' on sheet "
                            f"'{best.sheet}' row {best.row}, which was used",
                            NOT_USED,
                            source_row=other.row,
                            location=f"{LIST_TITLES[other.list_no]}, sheet '{other.sheet}'",
                            column=label,
                            value=mine,
                        )
                    )
    return sorted(chosen, key=lambda p: p.order)


def canonical_code(table: str, column: str, value: str | None) -> str | None:
    """A code as the contract spells it (``Physical abuse`` -> ``PHY``, ``yes`` -> ``YES``),
    matched as staging matches; a value the contract does not know is returned unchanged, for
    staging to clear and record."""
    col = TABLES_BY_NAME[table].column(column)
    if value is None or col.codes is None:
        return value
    key = _collapse(value).upper()
    lookup = {c.upper(): c for c in col.codes}
    lookup.update({k.upper(): v for k, v in col.code_map.items()})
    return lookup.get(key, value)


def _tables(outputs: Iterable[_Output]) -> list[AdaptedTable]:
    tables = []
    for out in outputs:
        if not out.rows:
            continue
        table = TABLES_BY_NAME[out.table]
        codes = [c.name for c in table.columns if c.kind == "code"]
        rows = [
            {
                k: canonical_code(out.table, k, v) if k in codes and isinstance(v, str) else v
                for k, v in row.items()
            }
            for row in out.rows
        ]
        tables.append(
            AdaptedTable(out.table, text_frame(rows, table.column_names), out.path, out.sheet)
        )
    return tables


class AnnexAAdapter:
    """Ofsted Annex A workbooks (``Annex_A*.xlsx``, or any .xlsx whose sheets are Annex A
    lists). Rows of one table from different sheets come as separate ``AdaptedTable``s, so a
    row number always belongs to one sheet (the notes name the sheet)."""

    source_format = SOURCE_FORMAT

    def claims(self, path: Path) -> bool:
        name = path.name
        if name.startswith("~$") or path.suffix.lower() not in (".xlsx", ".xls"):
            return False
        if _NAME.search(path.stem):
            return True
        if path.suffix.lower() != ".xlsx":
            return False
        return _looks_like_annex_a(path)

    def adapt(self, paths: list[Path], extract_date: dt.date) -> Adapted:
        adapted = Adapted(source_format=SOURCE_FORMAT)
        people: list[_PersonCandidate] = []
        outputs: list[_Output] = []
        for order, path in enumerate(sorted(paths)):
            reader = _Reader(path)
            workbook = reader.read()
            mapper = _WorkbookMapper(reader, workbook, order)
            mapper.map()
            people.extend(mapper.people)
            outputs.extend(mapper.outputs.values())
            adapted.notes.extend(reader.notes)
        person_outputs: dict[tuple[Path, str], _Output] = {}
        for person in _choose_people(people, adapted.notes):
            out = person_outputs.setdefault(
                (person.path, person.sheet), _Output("ssd_person", person.path, person.sheet)
            )
            out.rows.append(
                {
                    ROW_COLUMN: person.row,
                    "pers_person_id": person.child,
                    "pers_sex": person.sex,
                    "pers_ethnicity": person.ethnicity,
                    "pers_dob": person.dob,
                }
            )
        adapted.tables = _tables([*person_outputs.values(), *outputs])
        return adapted


def _looks_like_annex_a(path: Path) -> bool:
    """Two or more sheets named as Annex A lists (a cheap look at the sheet names only)."""
    try:
        with zipfile.ZipFile(path) as archive:
            workbook_xml = archive.read("xl/workbook.xml").decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    names = re.findall(r"<(?:\w+:)?sheet\b[^>]*\bname=\"([^\"]*)\"", workbook_xml)
    return sum(1 for n in names if list_number(n) is not None) >= 2


ADAPTER = AnnexAAdapter()
