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

The package: ``spec.yaml`` (the format as data: lists, headers, labels, what it gives and
cannot give) read by ``spec``; ``reading`` (workbook -> list sheets, with ``headers``);
``cells`` and ``converter`` (a cell as contract text, noting what is left blank); ``mapping``
(the lists to contract rows, through ``people``, ``need``, ``protection`` and ``care``).
"""

import datetime as dt
import re
import zipfile
from pathlib import Path

from pipelines.lib.adapters.annex_a.context import Output, WorkbookMapper
from pipelines.lib.adapters.annex_a.headers import list_number
from pipelines.lib.adapters.annex_a.mapping import map_workbook, to_tables
from pipelines.lib.adapters.annex_a.people import PersonCandidate, person_outputs
from pipelines.lib.adapters.annex_a.reading import WorkbookReader as _Reader
from pipelines.lib.adapters.annex_a.spec import LIMITS, NOT_AVAILABLE, PROVIDES
from pipelines.lib.adapters.base import Adapted

__all__ = ["ADAPTER", "LIMITS", "NOT_AVAILABLE", "PROVIDES", "SOURCE_FORMAT", "AnnexAAdapter"]

SOURCE_FORMAT = "annex_a"
_NAME = re.compile(r"annex[\s_\-]*a", re.IGNORECASE)


class AnnexAAdapter:
    """Ofsted Annex A workbooks (``Annex_A*.xlsx``, or any .xlsx whose sheets are Annex A
    lists). Rows of one table from different sheets come as separate ``AdaptedTable``s, so a
    row number always belongs to one sheet (the notes name the sheet)."""

    source_format = SOURCE_FORMAT
    label = "Annex A workbook"  # how outputs name the format

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
        people: list[PersonCandidate] = []
        outputs: list[Output] = []
        for order, path in enumerate(sorted(paths)):
            reader = _Reader(path)
            mapper = WorkbookMapper(reader, reader.read(), order)
            people.extend(map_workbook(mapper))
            outputs.extend(mapper.outputs.values())
            adapted.notes.extend(reader.notes)
        adapted.tables = to_tables([*person_outputs(people, adapted.notes), *outputs])
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
