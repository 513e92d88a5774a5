"""The bad-input corpus: one broken delivery per failure kind, dropped beside a good extract.

Every case starts from a data folder whose inbox holds a good extract of LA 900 that has been run
(module-scoped, copied per case), drops ONE broken thing (a later extract folder, a file, a
missing la.yaml...) and runs ``csc-kpis run`` again. Whatever the defect: no traceback, the right
exit code, a message naming the file (and row and column for row-level defects), the good
extract still current unless a newer one loaded, its KPIs unchanged, nothing lost (the delivery
is recorded with its problems, or the LA-level error names the path) and no child-level value
under ``published/``.

Runs keep Dagster's history in memory (``CSC_DAGSTER_EPHEMERAL``, as the other tests do).
"""

import dataclasses
import datetime as dt
import logging
import os
import random
import re
import resource
import shutil
import textwrap
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines import cli
from pipelines.lib import ingest, warehouse
from pipelines.lib.contract import TABLES
from pipelines.lib.validation.report import render_report
from pipelines.runner import EPHEMERAL_ENV
from pipelines.synthetic.writer import write_xlsx
from tests.conftest import CONTACTS_CSV, PERSON_CSV, write_extract
from tests.lib.test_ingest import load

LA = "900"
GOOD = "2024-01-07"
NEW = "2024-01-14"

# A fourth child with a distinctive id, so that its values can be searched for in outputs
# (the fixture's ids C1-C3 are also legal status codes, too short to search for).
PERSON = PERSON_CSV + "C4417,Dorran,Testperson,9990000044,F,WBRI,19/07/2012,,ZZ9 9ZX\n"
CHILD_VALUES = (
    "C4417",
    "2012-07-19",
    "19/07/2012",
    "2015-03-01",
    "01/02/2016",
    "2016-02-01",
    "2010-11-30",
    "Amberly",
    "Dorran",
    "Testperson",
    "9990000011",
    "9990000044",
    "ZZ9 9ZX",
)
GOOD_TABLES = {"ssd_person": PERSON, "ssd_contacts": CONTACTS_CSV}
# CONTACTS_CSV: header row 1, K1-K3 rows 2-4; a row appended is row 5.
CONTACTS_NO_DATE = """
cont_contact_id,cont_person_id,cont_contact_source_code
K1,C1,1A
K2,C2,6
"""
S47_CSV = """
s47e_s47_enquiry_id,s47e_referral_id,s47e_person_id,s47e_s47_start_date,s47e_s47_end_date,s47e_s47_nfa
S1,,C1,2024-01-03,2024-01-10,N
"""
ICPC_ORPHAN_CSV = """
icpc_icpc_id,icpc_s47_enquiry_id,icpc_person_id,icpc_cp_plan_id,icpc_icpc_transfer_in,icpc_icpc_target_date,icpc_icpc_date,icpc_icpc_outcome_cp_flag
I1,S1,C1,,N,2024-01-24,2024-01-12,Y
I2,S9,C2,,N,2024-01-24,2024-01-12,N
"""
CP_PLANS_ORPHAN_CSV = """
cppl_cp_plan_id,cppl_person_id,cppl_icpc_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,cppl_cp_plan_initial_category,cppl_cp_plan_latest_category
P1,C1,,2024-01-12,,Neglect,NEG
P2,C9,,2024-01-12,,EMO,EMO
"""
CLA_REVIEWS_HEADER_ONLY = (
    "clar_cla_review_id,clar_cla_id,clar_cla_review_due_date,clar_cla_review_date,"
    "clar_cla_review_cancelled\n"
)
# Numbers that are numbers but cannot be true (rows 3-4 of each); row 2 is good.
WORKER_PERIODS_CSV = """
worker_id,team_id,period_start,period_end,fte,agency,org_role,leaving_reason
W1,T1,2023-01-02,,1.0,N,5,
W2,T1,2023-01-02,,-1,N,5,
W3,T2,2023-01-02,,1e20,N,5,
"""
VACANCIES_CSV = """
team_id,as_at_date,vacant_fte
T1,2023-09-30,2.0
T2,2023-09-30,-3
T3,2023-09-30,inf
"""
ABSENCES_CSV = """
worker_id,start_date,end_date,reason,working_days_lost
W1,2023-05-01,2023-05-05,,5
W1,2023-06-01,2023-06-02,,-10
W1,2023-07-03,2023-07-04,,NaN
"""
# Personal data typed into cells: a child in the person table (Dylan Quuxington), a valid NHS
# number (943 476 5919: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299, 299 % 11 = 2, 11 - 2 = 9)
# and a postcode, in a JSON outcome, an ethnicity, a LADO outcome and a contact date; and a
# name-like date of someone not in the extract (Zara Notinlist).
PERSONAL = ("943 476 5919", "9434765919", "QX1 1QX", "Quuxington", "Dylan")
PERSON_WITH_NAMES = (
    PERSON + "C5,Dylan,Quuxington,9990000055,M,Dylan Quuxington,2013-05-05,,QX1 1QX\n"
)
CONTACTS_WITH_FREE_TEXT = """
cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code,cont_contact_outcome_json
K1,C1,2024-01-02 09:30,1A,"{""NEW_REFERRAL_FLAG"": ""Y"", ""note"": ""dylan quuxington NHS 943 476 5919 at QX1 1QX""}"
K2,C2,03/01/2024 10:00,6,"{""NEW_REFERRAL_FLAG"": ""N""}"
K3,C3,2024-01-04,2a,
K4,C5,Dylan Quuxington QX1 1QX,1A,
K5,C5,Zara Notinlist,1A,
"""
LADO_CSV = """
lado_id,received_date,initial_consideration_date,outcome
L1,2024-01-03,2024-01-04,Mr Quuxington (9434765919) dismissed
"""
# What a password-protected .xlsx is: an OLE compound file (EncryptionInfo, EncryptedPackage).
OLE_HEADER = (
    bytes.fromhex("d0cf11e0a1b11ae1")
    + bytes(16)
    + bytes.fromhex("3e000300feff0900060000000000000000000000")
)
ENCRYPTED_XLSX = (
    OLE_HEADER.ljust(512, b"\xff")
    + "EncryptionInfo".encode("utf-16-le").ljust(64, b"\0")
    + "EncryptedPackage".encode("utf-16-le").ljust(64, b"\0")
    + random.Random(1).randbytes(3000)
)


# --- builders: each writes the broken thing into the inbox --------------------------------------


def _write(folder: Path, files: dict[str, str | bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        target = folder / (name if "." in name else f"{name}.csv")
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")


def extract(day: str = NEW, **files: str | bytes) -> Callable[[Path], None]:
    """A new extract folder of LA 900: the good person and contacts files, with ``files`` added
    or put in their place (``ext_vacancies__xlsx`` names ``ext_vacancies.xlsx``)."""

    def build(inbox: Path) -> None:
        tables: dict[str, str | bytes] = dict(GOOD_TABLES)
        for name, content in files.items():
            tables.pop(name, None)
            tables[name.replace("__", ".")] = content
        _write(inbox / LA / day, tables)

    return build


def xlsx_with_leading_blank_rows(inbox: Path) -> None:
    extract()(inbox)
    frame = pl.DataFrame(
        {
            "team_id": ["T1", "T2"],
            "as_at_date": ["2024-01-12", "2024-01-12"],
            "vacant_fte": ["2", "0.5"],
        }
    )
    write_xlsx(frame, "ext_vacancies", inbox / LA / NEW / "ext_vacancies.xlsx", blank_rows=3)


def xlsx_with_damaged_sheet(inbox: Path, part: str = "sheet1.xml") -> None:
    """A workbook whose zip is fine but one part's XML is cut off: by default the sheet's, which
    is only read row by row, after the workbook opened."""
    extract()(inbox)
    good = inbox / LA / NEW / "good.xlsx"
    frame = pl.DataFrame({"team_id": [f"T{i}" for i in range(500)]}).with_columns(
        as_at_date=pl.lit("2024-01-12"), vacant_fte=pl.lit("1")
    )
    write_xlsx(frame, "ext_vacancies", good, blank_rows=0)
    with (
        zipfile.ZipFile(good) as source,
        zipfile.ZipFile(
            inbox / LA / NEW / "ext_vacancies.xlsx", "w", zipfile.ZIP_DEFLATED
        ) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith(part):
                data = data[: len(data) // 2] + b"<row r=<<"
            target.writestr(item, data)
    good.unlink()


def nested_parquet(inbox: Path) -> None:
    extract()(inbox)
    (inbox / LA / NEW / "ssd_contacts.csv").unlink()
    pl.DataFrame(
        {
            "cont_contact_id": ["K1"],
            "cont_person_id": [["C1", "C2"]],
            "cont_contact_date": ["2024-01-02"],
            "cont_contact_source_code": ["1A"],
        }
    ).write_parquet(inbox / LA / NEW / "ssd_contacts.parquet")


def binary_parquet(inbox: Path) -> None:
    extract()(inbox)
    (inbox / LA / NEW / "ssd_contacts.csv").unlink()
    pl.DataFrame(
        {
            "cont_contact_id": [b"K1", b"\xff\xfe"],
            "cont_person_id": ["C1", "C2"],
            "cont_contact_date": ["2024-01-02", "2024-01-03"],
            "cont_contact_source_code": ["1A", "6"],
        }
    ).write_parquet(inbox / LA / NEW / "ssd_contacts.parquet")


def crlf_and_bom(inbox: Path) -> None:
    folder = inbox / LA / NEW
    folder.mkdir(parents=True)
    for name, text in GOOD_TABLES.items():
        body = textwrap.dedent(text).lstrip("\n").replace("\n", "\r\n")
        (folder / f"{name}.csv").write_bytes(b"\xef\xbb\xbf" + body.encode())


def unknown_la(inbox: Path) -> None:
    write_extract(inbox, "902", NEW, GOOD_TABLES, la_yaml=None)


def la_yaml_deleted(inbox: Path) -> None:
    (inbox / LA / "la.yaml").unlink()
    write_extract(inbox, LA, NEW, GOOD_TABLES, la_yaml=None)


def billion_laughs(levels: int = 9) -> str:
    """``roles:`` holding nine lists of nine aliases of the list before: 9**9 values expanded."""
    lines = ['  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for before, name in zip("abcdefgh", "bcdefghi"[: levels - 1], strict=False):
        lines.append(f"  {name}: &{name} [" + ",".join([f"*{before}"] * 9) + "]")
    return "la_name: Bomb\nroles:\n" + "\n".join(lines) + "\n"


def redelivered_same_date(inbox: Path) -> None:
    """The good extract's folder again, corrected: one more contact."""
    (inbox / LA / GOOD / "ssd_contacts.csv").write_text(
        textwrap.dedent(CONTACTS_CSV).lstrip("\n") + "K4,C1,2024-01-05,1A,\n"
    )


def copy_of_a_dated_folder(inbox: Path) -> None:
    extract()(inbox)
    extract(day=f"{NEW} (copy)", ssd_contacts=CONTACTS_CSV + "K5,C2,2024-01-11,6,\n")(inbox)


def folders_not_named_by_a_date(inbox: Path) -> None:
    extract(day="14-01-2024")(inbox)
    extract(day="2024-02-30")(inbox)


# --- the corpus ------------------------------------------------------------------------------------

Issue = tuple[str, int, str, str, str]  # source_file, source_row, column_name, rule, action
FileIssue = tuple[str, str | None, str]  # source_file, column_name, severity


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Path], None]
    status: str | None  # the new delivery's status; None: no new delivery
    printed: tuple[str, ...] = ()  # printed (stdout or stderr); {inbox} is the inbox folder
    quarantine: frozenset[Issue] = frozenset()
    file_errors: frozenset[FileIssue] = frozenset()
    la_fails: str | None = None  # the LA whose run fails (its message printed, the others run)
    good_status: str = "loaded"  # the good delivery's status afterwards
    delivery_date: str = NEW
    withheld: bool = False  # a table lost most of its rows: its KPIs withheld, the rest published

    @property
    def exit_code(self) -> int:
        return 1 if self.status == "rejected" or self.la_fails else 3 if self.withheld else 0

    @property
    def current(self) -> str:
        return self.delivery_date if self.status == "loaded" else GOOD


def row_level(id: str, build: Callable[[Path], None], *issues: Issue, printed: str) -> Case:
    return Case(id, build, "loaded", (printed,), quarantine=frozenset(issues))


def file_level(
    id: str, build: Callable[[Path], None], file: str, column: str | None, message: str
) -> Case:
    where = f"{LA} {NEW} {file}" + (f", column '{column}'" if column else "")
    return Case(
        id,
        build,
        "rejected",
        (f"{where}: {message}", f"LA {LA}: extract {NEW} was REJECTED"),
        file_errors=frozenset({(file, column, "error")}),
    )


def bad_la_yaml(id: str, text: str, message: str) -> Case:
    """The LA's la.yaml replaced by ``text`` beside a new good extract: the LA's run fails with
    one short line."""

    def build(inbox: Path) -> None:
        (inbox / LA / "la.yaml").write_text(text, encoding="utf-8")
        extract()(inbox)

    return Case(id, build, None, (f"{{inbox}}/{LA}/la.yaml: {message}",), la_fails=LA)


REJECT, CLEAR, FLAG, DROP = "row_rejected", "value_cleared", "row_flagged", "duplicate_dropped"
REDACT = "text_redacted"
CONTACTS = "ssd_contacts.csv"
NEW_CONTACT = CONTACTS_CSV + "K4,C1,{},1A,\n"

MISSING_COLUMN = file_level(
    "missing_required_column",
    extract(ssd_contacts=CONTACTS_NO_DATE, ssd_person=PERSON + "C5,,,,F,WBRI,31/02/2016,,\n"),
    CONTACTS,
    "cont_contact_date",
    "a required column is missing",
)

CASES = [
    # The generator's --dirty defects, one at a time. Row-level ones load; file-level ones reject.
    row_level(
        "impossible_date",
        extract(
            ssd_contacts=NEW_CONTACT.format("2024-02-30"),
            ssd_person=PERSON + "C5,,,,F,WBRI,31/02/2016,,\n",
        ),
        (CONTACTS, 5, "cont_contact_date", "invalid_date", REJECT),
        ("ssd_person.csv", 6, "pers_dob", "invalid_date", REJECT),
        printed=f"{LA} {NEW} {CONTACTS} row 5, column 'cont_contact_date': '2024-02-30' is not a "
        "real date [row quarantined]",
    ),
    row_level(
        "ambiguous_date",
        extract(ssd_contacts=NEW_CONTACT.format("03/01/24")),
        (CONTACTS, 5, "cont_contact_date", "unrecognised_date", REJECT),
        printed=f"{CONTACTS} row 5, column 'cont_contact_date': '03/01/24' is not a date in "
        "YYYY-MM-DD or DD/MM/YYYY form [row quarantined]",
    ),
    row_level(
        "unsupported_date_separator",
        extract(ssd_contacts=NEW_CONTACT.format("2024.01.03")),
        (CONTACTS, 5, "cont_contact_date", "unrecognised_date", REJECT),
        printed=f"{CONTACTS} row 5, column 'cont_contact_date': '2024.01.03' is not a date",
    ),
    row_level(
        "duplicate_exact_row",
        extract(ssd_contacts=CONTACTS_CSV + "K3,C3,2024-01-04,2a,Schools\n"),
        (CONTACTS, 5, "cont_contact_id", "duplicate_row", DROP),
        printed=f"{CONTACTS} row 5, column 'cont_contact_id': 'K3' repeats an earlier row exactly",
    ),
    row_level(
        "conflicting_duplicate_id",
        extract(ssd_contacts=CONTACTS_CSV + "K3,C3,2024-01-05,2a,Schools\n"),
        (CONTACTS, 4, "cont_contact_id", "duplicate_id", REJECT),
        (CONTACTS, 5, "cont_contact_id", "duplicate_id", REJECT),
        printed=f"{CONTACTS} row 5, column 'cont_contact_id': 'K3' is an id used by more than one "
        "row with different values",
    ),
    row_level(
        "orphan_person",
        extract(ssd_cp_plans=CP_PLANS_ORPHAN_CSV),
        ("ssd_cp_plans.csv", 3, "cppl_person_id", "orphan_reference", FLAG),
        printed="ssd_cp_plans.csv row 3, column 'cppl_person_id': 'C9' is not in "
        "ssd_person.pers_person_id; the row is kept and flagged [row kept, flagged]",
    ),
    row_level(
        "orphan_s47_reference",
        extract(ssd_s47_enquiry=S47_CSV, ssd_initial_cp_conference=ICPC_ORPHAN_CSV),
        ("ssd_initial_cp_conference.csv", 3, "icpc_s47_enquiry_id", "orphan_reference", FLAG),
        printed="ssd_initial_cp_conference.csv row 3, column 'icpc_s47_enquiry_id': 'S9' is not "
        "in ssd_s47_enquiry.s47e_s47_enquiry_id",
    ),
    row_level(
        "unknown_code",
        extract(ssd_contacts=CONTACTS_CSV + "K4,C1,2024-01-05,ZZ,\n"),
        (CONTACTS, 5, "cont_contact_source_code", "unknown_code", CLEAR),
        printed=f"{CONTACTS} row 5, column 'cont_contact_source_code': 'ZZ' is not a known code; "
        "cleared to unknown [value cleared]",
    ),
    # Two of each table's three rows are out of range: more than half rejected, so the KPIs
    # that read them keep their last good values (exit 3) and the rest publish.
    dataclasses.replace(
        row_level(
            "fte_and_vacant_fte_out_of_range",
            extract(ext_worker_periods=WORKER_PERIODS_CSV, ext_vacancies=VACANCIES_CSV),
            ("ext_worker_periods.csv", 3, "fte", "out_of_range", REJECT),
            ("ext_worker_periods.csv", 4, "fte", "out_of_range", REJECT),
            ("ext_vacancies.csv", 3, "vacant_fte", "out_of_range", REJECT),
            ("ext_vacancies.csv", 4, "vacant_fte", "out_of_range", REJECT),
            printed="ext_worker_periods.csv row 4, column 'fte': '1e20' is outside the plausible "
            "range (a finite number from 0 to 1) [row quarantined]",
        ),
        withheld=True,
    ),
    row_level(
        "working_days_lost_out_of_range",
        extract(ext_absences=ABSENCES_CSV),
        ("ext_absences.csv", 3, "working_days_lost", "out_of_range", CLEAR),
        ("ext_absences.csv", 4, "working_days_lost", "out_of_range", CLEAR),
        printed="ext_absences.csv row 3, column 'working_days_lost': '-10' is outside the "
        "plausible range (a finite number of 0 or more) [value cleared]",
    ),
    Case(
        "personal_data_in_free_text",
        extract(
            ssd_person=PERSON_WITH_NAMES,
            ssd_contacts=CONTACTS_WITH_FREE_TEXT,
            ext_lado_referrals=LADO_CSV,
        ),
        "loaded",
        (
            f"{CONTACTS} row 5, column 'cont_contact_date': '[removed] [removed]' is not a date",
            f"{CONTACTS} row 6, column 'cont_contact_date': a 14-character value is not a date",
            f"{CONTACTS} row 2, column 'cont_contact_outcome_json': the cell held an NHS number; "
            "removed from the text [removed; the rest of the cell kept]",
        ),
        quarantine=frozenset(
            {
                (CONTACTS, 2, "cont_contact_outcome_json", "nhs_number", REDACT),
                (CONTACTS, 2, "cont_contact_outcome_json", "postcode", REDACT),
                (CONTACTS, 2, "cont_contact_outcome_json", "person_name", REDACT),
                (CONTACTS, 5, "cont_contact_date", "postcode", REDACT),
                (CONTACTS, 5, "cont_contact_date", "person_name", REDACT),
                (CONTACTS, 5, "cont_contact_date", "unrecognised_date", REJECT),
                (CONTACTS, 6, "cont_contact_date", "unrecognised_date", REJECT),
                # The LADO outcome is a code: screened like any cell, then an unknown code.
                ("ext_lado_referrals.csv", 2, "outcome", "nhs_number", REDACT),
                ("ext_lado_referrals.csv", 2, "outcome", "person_name", REDACT),
                ("ext_lado_referrals.csv", 2, "outcome", "unknown_code", CLEAR),
            }
        ),
    ),
    row_level(
        "blank_required_field",
        extract(ssd_contacts=CONTACTS_CSV + "K4,,2024-01-05,1A,\n"),
        (CONTACTS, 5, "cont_person_id", "blank_required", REJECT),
        printed=f"{CONTACTS} row 5, column 'cont_person_id': (blank) is blank but a value is "
        "required [row quarantined]",
    ),
    # Rejected, yet the row-level defects of its other files are still recorded and reported.
    dataclasses.replace(
        MISSING_COLUMN,
        quarantine=frozenset({("ssd_person.csv", 6, "pers_dob", "invalid_date", REJECT)}),
        printed=(
            *MISSING_COLUMN.printed,
            f"{LA} {NEW} ssd_person.csv row 6, column 'pers_dob': '31/02/2016' is not a real date "
            "[row quarantined]",
        ),
    ),
    file_level(
        "header_only_file",
        extract(ssd_cla_reviews=CLA_REVIEWS_HEADER_ONLY),
        "ssd_cla_reviews.csv",
        None,
        "the file has a header but no rows",
    ),
    Case("xlsx_leading_blank_rows", xlsx_with_leading_blank_rows, "loaded"),
    # Files that cannot be used at all.
    file_level(
        "empty_file",
        extract(ssd_contacts=b""),
        CONTACTS,
        None,
        "the file is empty (no header row)",
    ),
    file_level(
        "not_utf8",
        extract(
            ssd_person=textwrap.dedent(PERSON).lstrip().replace("Dorran", "Zoë").encode("latin-1")
        ),
        "ssd_person.csv",
        None,
        "not UTF-8 text (invalid byte 0xeb on line 5)",
    ),
    file_level(
        "semicolon_delimited",
        extract(ssd_contacts=CONTACTS_CSV.replace(",", ";")),
        CONTACTS,
        None,
        "the header has one column: the file is not comma-separated (wrong delimiter?)",
    ),
    file_level(
        "duplicate_header_column",
        extract(ssd_person=PERSON.replace("pers_postcode", "pers_dob", 1)),
        "ssd_person.csv",
        "pers_dob",
        "the column appears twice in the header",
    ),
    file_level(
        "password_protected_workbook",
        extract(ext_vacancies__xlsx=ENCRYPTED_XLSX),
        "ext_vacancies.xlsx",
        None,
        "cannot be opened as an .xlsx workbook (password-protected, corrupt or another format)",
    ),
    file_level(
        "corrupt_workbook",
        extract(ext_vacancies__xlsx=random.Random(2).randbytes(5000)),
        "ext_vacancies.xlsx",
        None,
        "cannot be opened as an .xlsx workbook (password-protected, corrupt or another format)",
    ),
    # Harmless oddities: they load.
    Case("windows_line_endings_and_bom", crlf_and_bom, "loaded"),
    Case(
        "unknown_extra_file",
        extract(notes__txt="Sent by J. Bloggs, call me about C4417\n"),
        "loaded",
        (
            f"{LA} {NEW} notes.txt: neither a table of the extract contract nor a statutory return; ignored (warning)",
        ),
        file_errors=frozenset({("notes.txt", None, "warning")}),
    ),
    # Problems with the LA's folder rather than an extract.
    Case(
        "unknown_la_without_la_yaml",
        unknown_la,
        None,
        ("{inbox}/902/la.yaml: missing", f"{LA} {GOOD}: already loaded (same files); skipped"),
        la_fails="902",
    ),
    Case(
        "la_yaml_deleted_after_a_run",
        la_yaml_deleted,
        None,
        (f"{{inbox}}/{LA}/la.yaml: missing",),
        la_fails=LA,
    ),
    # An la.yaml that is too big, or whose values are not what they should be: one short line.
    bad_la_yaml(
        "la_yaml_alias_bomb",
        billion_laughs(),
        "its aliases expand to more than 100,000 values; not read",
    ),
    bad_la_yaml(
        "la_yaml_too_many_aliases",
        "la_name: X\ntargets: &t [a]\nx: [" + ",".join(["*t"] * 101) + "]\n",
        "more than 100 aliases (*name); an la.yaml may use at most",
    ),
    bad_la_yaml(
        "la_yaml_of_2_mb",
        "la_name: Big\n" + "# padding\n" * 200_000,
        "2,000,013 bytes, more than an la.yaml may be (1,000,000)",
    ),
    bad_la_yaml(
        "la_yaml_name_not_text",
        "la_name: [Testshire, Borough]\n",
        "'la_name' must be text, got a list",
    ),
    bad_la_yaml(
        "la_yaml_role_not_text",
        "la_name: X\nroles: {SW: [" + ", ".join(["ALLOCATED_SOCIAL_WORKER"] * 50) + "]}\n",
        "roles: 'SW' must be text, got a list",
    ),
    # Two extracts with the same date.
    Case(
        "corrected_redelivery_same_date",
        redelivered_same_date,
        "loaded",
        (f"{LA} {GOOD}: loaded 8 rows",),
        good_status="superseded",
        delivery_date=GOOD,
    ),
    Case(
        "copy_of_a_dated_folder",
        copy_of_a_dated_folder,
        "loaded",
        (
            f"{{inbox}}/{LA}/{NEW} (copy): not an extract folder (expected a YYYY-MM-DD name); "
            "ignored",
        ),
    ),
    Case(
        "folders_not_named_by_a_date",
        folders_not_named_by_a_date,
        None,
        (
            f"{{inbox}}/{LA}/14-01-2024: not an extract folder (expected a YYYY-MM-DD name); "
            "ignored",
            f"{{inbox}}/{LA}/2024-02-30: '2024-02-30' is not a real date; ignored",
        ),
    ),
]

# Found with this corpus: a file that crashed the reader, was cut into phantom rows, or an extract
# with nothing in it made current. The same checks without Dagster (a run costs seconds).
QUICK_CASES = [
    file_level(
        "workbook_with_damaged_sheet",
        xlsx_with_damaged_sheet,
        "ext_vacancies.xlsx",
        None,
        "sheet 'ext_vacancies' cannot be read: the workbook is damaged",
    ),
    file_level(
        "header_line_beyond_csv_field_limit",
        extract(ssd_contacts="x" * 300_000 + "\n"),
        CONTACTS,
        None,
        "the header row (line 1) cannot be read as CSV (field larger than field limit",
    ),
    file_level(
        "parquet_with_nested_values",
        nested_parquet,
        "ssd_contacts.parquet",
        "cont_person_id",
        "holds lists or nested records, not one value per cell",
    ),
    Case(
        "no_file_named_after_a_table",
        lambda inbox: _write(
            inbox / LA / NEW, {"contacts.csv": CONTACTS_CSV, "ssd_person.txt": PERSON}
        ),
        "rejected",
        (
            f"{LA} {NEW} contacts.csv: neither a table of the extract contract nor a statutory return; "
            "ignored (warning)",
            f"{LA} {NEW} {NEW}: no file is named after a table of the extract contract",
            f"LA {LA}: extract {NEW} was REJECTED",
        ),
        file_errors=frozenset(
            {
                ("contacts.csv", None, "warning"),
                ("ssd_person.txt", None, "warning"),
                (NEW, None, "error"),
            }
        ),
    ),
    file_level(
        "workbook_with_damaged_workbook_xml",
        lambda inbox: xlsx_with_damaged_sheet(inbox, part="workbook.xml"),
        "ext_vacancies.xlsx",
        None,
        "cannot be opened as an .xlsx workbook (password-protected, corrupt or another format)",
    ),
    file_level(
        "parquet_with_binary_values",
        binary_parquet,
        "ssd_contacts.parquet",
        None,
        "has values that cannot be read as text (invalid utf8)",
    ),
    Case(
        "empty_extract_folder",
        lambda inbox: (inbox / LA / NEW).mkdir(),
        "rejected",
        (f"{LA} {NEW} {NEW}: no file is named after a table of the extract contract",),
        file_errors=frozenset({(NEW, None, "error")}),
    ),
    Case(
        "trailing_empty_header_columns",
        extract(ssd_contacts=re.sub(r"(?m)^(.+)$", r"\1,,", CONTACTS_CSV)),
        "loaded",
    ),
    Case(
        "line_separator_inside_a_field",
        extract(ssd_contacts=CONTACTS_CSV.replace("Family member", "Family\u2028member\x85\x0c")),
        "loaded",
    ),
]


# --- harness -----------------------------------------------------------------------------------------


def _isolate(env: pytest.MonkeyPatch, root: Path) -> None:
    # As tests/test_cli.py: the runner points DAGSTER_HOME and the data folder at the run's data
    # dir; the monkeypatch restores them after.
    for key in ("DAGSTER_HOME", "CSC_DATA_DIR", "CSC_INBOX"):
        env.setenv(key, str(root / "unused"))
    env.delenv("CSC_INBOX")
    # Dagster's run history in memory: writing it costs seconds a run and plays no part here.
    env.setenv(EPHEMERAL_ENV, "1")


def run(data: Path) -> int:
    # The progress logger gets its stdout handler only while it has no handler, and pytest hangs
    # its own on it: clear them so that this run prints its progress to the captured stdout.
    progress = logging.getLogger("csc_kpis.progress")
    handlers, progress.handlers = progress.handlers, []
    try:
        return cli.main(["run", "--inbox", str(data / "inbox"), "--data-dir", str(data)])
    finally:
        progress.handlers = handlers


def kpis_of(con: duckdb.DuckDBPyConnection, day: str) -> dict[str, list[tuple]]:
    return {
        table: sorted(
            con.execute(
                f"select * from kpi.{table} where la_code = ? and extract_date = ?", [LA, day]
            ).fetchall(),
            key=repr,
        )
        for table in ("kpi_runs", "kpi_values", "kpi_values_by_dimension", "kpi_availability")
    }


def deliveries_of(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """(delivery id, extract date) -> status. The id is the files' fingerprint: the same files
    sent under two dates make two deliveries with one id."""
    rows = con.execute(
        "select delivery_id, extract_date::varchar, status from meta.deliveries where la_code = ?",
        [LA],
    ).fetchall()
    return {(i, d): s for i, d, s in rows}


def current_dates(con: duckdb.DuckDBPyConnection) -> set[str]:
    views = con.execute(
        "select table_name from information_schema.tables where table_schema = 'current'"
    ).fetchall()
    dates: set[str] = set()
    for (view,) in views:
        rows = con.execute(
            f"select distinct extract_date::varchar from current.{view} where la_code = ?", [LA]
        ).fetchall()
        dates.update(d for (d,) in rows)
    return dates


def files_under(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


def assert_nothing_child_level_published(data: Path) -> None:
    for path in (data / "published").rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            for value in CHILD_VALUES:
                assert value.encode() not in content, f"{value} in published file {path}"
    # Personal data typed into cells reaches no output, published or restricted.
    for path in [*(data / "published").rglob("*"), *(data / "restricted").rglob("*")]:
        if path.is_file():
            content = path.read_bytes()
            for value in PERSONAL:
                assert value.encode() not in content, f"{value} in {path}"


@dataclasses.dataclass(frozen=True)
class Base:
    data: Path
    deliveries: dict[tuple[str, str], str]
    kpis: dict[str, list[tuple]]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    """A data folder whose inbox holds one good extract of LA 900, run once."""
    data = tmp_path_factory.mktemp("bad_inputs_base")
    write_extract(data / "inbox", LA, GOOD, GOOD_TABLES)
    with pytest.MonkeyPatch.context() as env:
        _isolate(env, data)
        assert run(data) == 0
    with warehouse.connect(data / "warehouse" / "csc.duckdb") as con:
        deliveries = deliveries_of(con)
        kpis = kpis_of(con, GOOD)
    assert list(deliveries.values()) == ["loaded"]
    assert kpis["kpi_runs"] and kpis["kpi_values"], "the good extract should publish some KPIs"
    return Base(data, deliveries, kpis)


@pytest.fixture
def data(base: Base, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the base data folder (without its Dagster history) for one case."""
    _isolate(monkeypatch, tmp_path)
    target = tmp_path / "data"
    shutil.copytree(base.data, target, ignore=shutil.ignore_patterns("dagster_home"))
    return target


def check(case: Case, base: Base, data: Path, code: int, printed: str, inbox_before: dict) -> None:
    inbox = data / "inbox"
    assert "Traceback" not in printed, printed
    # A message quotes at most a short excerpt of a value: no line runs on.
    assert max(map(len, printed.splitlines()), default=0) < 400, printed
    assert code == case.exit_code, printed
    for message in case.printed:
        assert message.format(inbox=inbox) in printed, printed
    failed = set(re.findall(r"^LA (\d+): run FAILED", printed, re.MULTILINE))
    assert failed == ({case.la_fails} if case.la_fails else set()), printed

    # Nothing in the inbox is moved or deleted by a run.
    assert files_under(inbox) == inbox_before

    with warehouse.connect(data / "warehouse" / "csc.duckdb") as con:
        deliveries = deliveries_of(con)
        new = {key: s for key, s in deliveries.items() if key not in base.deliveries}
        (good,) = base.deliveries
        assert deliveries[good] == case.good_status
        if case.status is None:
            assert new == {}
        else:
            assert [(day, s) for (_, day), s in new.items()] == [(case.delivery_date, case.status)]
        new_ids = [i for i, _ in new]

        quarantine = con.execute(
            """select source_file, source_row, column_name, rule, action from stg.quarantine
               where la_code = ? and delivery_id in (select unnest(?)) and extract_date = ?""",
            [LA, new_ids, case.delivery_date],
        ).fetchall()
        assert set(quarantine) == case.quarantine
        assert len(quarantine) == len(case.quarantine)
        file_errors = con.execute(
            """select source_file, column_name, severity, message from meta.file_errors
               where la_code = ? and delivery_id in (select unnest(?)) and extract_date = ?""",
            [LA, new_ids, case.delivery_date],
        ).fetchall()
        assert {(f, c, s) for f, c, s, _ in file_errors} == case.file_errors
        assert all(message for *_, message in file_errors)
        if case.status == "rejected":
            why = con.execute(
                "select message from meta.deliveries where delivery_id = ? and extract_date = ?",
                [*new_ids, case.delivery_date],
            ).fetchone()
            assert why and why[0], "a rejected delivery records why"
            # Nothing of a rejected delivery reaches staging.
            for table in TABLES:
                staged = con.execute(
                    f"select count(*) from stg.{table.name} where la_code = ? and extract_date = ?",
                    [LA, case.delivery_date],
                ).fetchone()
                assert staged == (0,), table.name

        assert current_dates(con) == {case.current}
        if case.good_status == "loaded":
            # The good extract's KPIs, as published, are untouched.
            assert kpis_of(con, GOOD) == base.kpis
        if case.current != GOOD:
            assert con.execute(
                "select count(*) from kpi.kpi_runs where la_code = ? and extract_date = ?",
                [LA, case.current],
            ).fetchone() == (1,)
        elif case.status != "loaded":
            assert con.execute(
                "select count(*) from kpi.kpi_runs where la_code = ? and extract_date <> ?",
                [LA, GOOD],
            ).fetchone() == (0,)
    assert_nothing_child_level_published(data)


ExtraCheck = Callable[[duckdb.DuckDBPyConnection], None]
EXTRA_CHECKS: dict[str, ExtraCheck] = {}


def extra(*case_ids: str) -> Callable[[ExtraCheck], ExtraCheck]:
    """What a case checks beyond the common checks, in the warehouse after its run."""

    def register(function: ExtraCheck) -> ExtraCheck:
        EXTRA_CHECKS.update(dict.fromkeys(case_ids, function))
        return function

    return register


@extra("fte_and_vacant_fte_out_of_range")
def _only_plausible_numbers_staged(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute("select worker_id, fte from current.ext_worker_periods").fetchall() == [
        ("W1", 1.0)
    ]
    assert con.execute("select team_id, vacant_fte from current.ext_vacancies").fetchall() == [
        ("T1", 2.0)
    ]


@extra("working_days_lost_out_of_range")
def _absences_kept_with_days_cleared(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "select source_row, working_days_lost from current.ext_absences order by source_row"
    ).fetchall()
    assert rows == [(2, 5.0), (3, None), (4, None)]


@extra("personal_data_in_free_text")
def _personal_data_nowhere(con: duckdb.DuckDBPyConnection) -> None:
    """Not in any text column of any table, and the rest of the text kept."""
    columns = con.execute(
        """select table_schema, table_name, column_name from information_schema.columns
           where data_type = 'VARCHAR' and table_schema not in ('information_schema', 'pg_catalog')
             and table_catalog = current_database()"""
    ).fetchall()
    assert len(columns) > 100
    for schema, table, column in columns:
        for value in (*PERSONAL, "Notinlist"):
            found = con.execute(
                f'select count(*) from "{schema}"."{table}" where "{column}" ilike ?',
                [f"%{value}%"],
            ).fetchone()
            if schema == "raw" and value == "Notinlist":
                continue  # not a name the extract holds: raw keeps the text as delivered
            assert found == (0,), (schema, table, column, value)
    outcome = con.execute(
        "select cont_contact_outcome_json from current.ssd_contacts where cont_contact_id = 'K1'"
    ).fetchone()
    assert outcome == (
        '{"NEW_REFERRAL_FLAG": "Y", "note": "[removed] NHS [removed] at [removed]"}',
    )
    assert con.execute(
        "select pers_ethnicity from current.ssd_person where pers_person_id = 'C5'"
    ).fetchone() == (None,)
    assert con.execute("select outcome from current.ext_lado_referrals").fetchone() == (None,)
    report = con.execute(
        """select column_name, rule, count(*) from stg.quarantine where action = ?
           group by all order by all""",
        [REDACT],
    ).fetchall()
    assert report == [
        ("cont_contact_date", "person_name", 1),
        ("cont_contact_date", "postcode", 1),
        ("cont_contact_outcome_json", "nhs_number", 1),
        ("cont_contact_outcome_json", "person_name", 1),
        ("cont_contact_outcome_json", "postcode", 1),
        ("outcome", "nhs_number", 1),
        ("outcome", "person_name", 1),
    ]
    # The validation report counts them by table, column and rule.
    page = render_report(con, LA, dt.date.fromisoformat(NEW))
    assert (
        "<tr><td>ssd_contacts.csv</td><td>cont_contact_outcome_json</td><td>nhs_number</td>"
        "<td>text redacted</td><td>1</td><td>row 2</td></tr>"
    ) in page
    assert not any(value in page for value in PERSONAL)


@extra("xlsx_leading_blank_rows")
def _vacancies_keep_sheet_rows(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "select source_row, team_id, vacant_fte from current.ext_vacancies order by source_row"
    ).fetchall()
    assert rows == [(5, "T1", 2.0), (6, "T2", 0.5)]


@extra("windows_line_endings_and_bom")
def _crlf_rows_intact(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "select source_row, cont_contact_id, cont_contact_source_code from current.ssd_contacts "
        "order by source_row"
    ).fetchall()
    assert rows == [(2, "K1", "1A"), (3, "K2", "6"), (4, "K3", "2A")]
    assert con.execute("select count(*) from current.ssd_person").fetchone() == (4,)


@extra("line_separator_inside_a_field", "trailing_empty_header_columns")
def _no_phantom_rows(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "select source_row, cont_contact_id, cont_person_id from current.ssd_contacts "
        "order by source_row"
    ).fetchall()
    assert rows == [(2, "K1", "C1"), (3, "K2", "C2"), (4, "K3", "C3")]


@extra("unknown_la_without_la_yaml")
def _other_la_untouched(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute("select count(*) from meta.deliveries where la_code = '902'").fetchone() == (
        0,
    )


@extra("corrected_redelivery_same_date")
def _corrected_contacts_current(con: duckdb.DuckDBPyConnection) -> None:
    ids = con.execute("select cont_contact_id from current.ssd_contacts order by 1").fetchall()
    assert ids == [("K1",), ("K2",), ("K3",), ("K4",)]


@extra("copy_of_a_dated_folder")
def _copy_not_loaded(con: duckdb.DuckDBPyConnection) -> None:
    ids = con.execute("select cont_contact_id from current.ssd_contacts order by 1").fetchall()
    assert ids == [("K1",), ("K2",), ("K3",)]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_broken_delivery_beside_a_good_extract(
    case: Case, base: Base, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case.build(data / "inbox")
    inbox_before = files_under(data / "inbox")
    capsys.readouterr()
    code = run(data)
    captured = capsys.readouterr()
    check(case, base, data, code, captured.out + captured.err, inbox_before)
    if case.id in EXTRA_CHECKS:
        with warehouse.connect(data / "warehouse" / "csc.duckdb") as con:
            EXTRA_CHECKS[case.id](con)


def test_a_corrected_redelivery_recomputes_its_kpis(base: Base, data: Path) -> None:
    redelivered_same_date(data / "inbox")
    assert run(data) == 0
    with warehouse.connect(data / "warehouse" / "csc.duckdb") as con:
        contacts = con.execute(
            """select value from kpi.kpi_values where la_code = ? and kpi_id = 'contacts_received'
               and grain = 'week' and period_end = ?""",
            [LA, GOOD],
        ).fetchone()
        assert con.execute("select count(*) from current.ssd_contacts").fetchone() == (4,)
    assert contacts == (4.0,)


# Without Dagster: the same rules, cheaply.


@pytest.mark.parametrize("case", QUICK_CASES, ids=[c.id for c in QUICK_CASES])
def test_a_broken_file_without_dagster(case: Case, tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "csc.duckdb"
    write_extract(inbox, LA, GOOD, GOOD_TABLES)
    case.build(inbox)
    load(inbox, db)  # receive every extract folder, then stage what was received
    with warehouse.connect(db) as con:
        deliveries = deliveries_of(con)
        assert sorted(deliveries.values()) == sorted(["loaded", case.status or ""])
        (new_id,) = [i for (i, day), _ in deliveries.items() if day == NEW]
        lines = "\n".join(ingest.issue_lines(con, LA, [new_id]))
        for message in case.printed:
            if "was REJECTED" not in message:  # printed by the command line, not a defect line
                assert message in lines, lines
        file_errors = con.execute(
            """select source_file, column_name, severity from meta.file_errors
               where la_code = ? and extract_date = ?""",
            [LA, NEW],
        ).fetchall()
        assert set(file_errors) == case.file_errors
        assert con.execute("select count(*) from stg.quarantine").fetchone() == (0,)
        assert current_dates(con) == {case.current}
        if case.id in EXTRA_CHECKS:
            EXTRA_CHECKS[case.id](con)


def test_a_reader_failing_unexpectedly_rejects_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "csc.duckdb"
    write_extract(inbox, LA, GOOD, GOOD_TABLES)
    original = ingest.read_table_file

    def failing(path: Path, table: str):  # type: ignore[no-untyped-def]
        if table == "ssd_contacts":
            raise RuntimeError("the library choked\non this file")
        return original(path, table)

    monkeypatch.setattr(ingest, "read_table_file", failing)
    (result,) = load(inbox, db)
    assert result.status == "rejected"
    assert result.file_errors == [
        f"{inbox / LA / GOOD / CONTACTS}: cannot be read (RuntimeError: the library choked)"
    ]


def test_every_generator_defect_kind_has_a_case() -> None:
    from pipelines.synthetic import defects

    source = Path(defects.__file__).read_text()
    kinds = set(re.findall(r'(?:change|append|_record)\(\s*"([a-z_]+)"', source))
    covered = {
        "impossible_date": "impossible_date",
        "ambiguous_date": "ambiguous_date",
        "unsupported_date_format": "unsupported_date_separator",
        "unknown_code": "unknown_code",
        "blank_required": "blank_required_field",
        "duplicate_row": "duplicate_exact_row",
        "conflicting_duplicate": "conflicting_duplicate_id",
        "orphan_person": "orphan_person",
        "orphan_reference": "orphan_s47_reference",
        "missing_column": "missing_required_column",
        "header_only": "header_only_file",
        "xlsx_leading_blank_rows": "xlsx_leading_blank_rows",
    }
    assert kinds == set(covered)
    assert set(covered.values()) <= {c.id for c in CASES}


JUNK_SIZE = 200 * 2**20


def write_junk(path: Path) -> None:
    """200 MB of junk: text-like lines, with random bytes (not UTF-8) in the middle."""
    block = ((b"lorem,ipsum;dolor|sit amet 0x3f\x1f junk " * 8 + b"\n") * 4000)[: 2**20]
    with path.open("wb") as handle:
        for number in range(JUNK_SIZE // 2**20):
            handle.write(os.urandom(2**20) if number in (100, 101) else block)


@pytest.mark.slow
def test_a_200_mb_file_of_junk(base: Base, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extract()(data / "inbox")
    junk = data / "inbox" / LA / NEW / CONTACTS
    write_junk(junk)
    assert junk.stat().st_size >= JUNK_SIZE
    inbox_before = files_under(data / "inbox")
    capsys.readouterr()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    started = time.monotonic()
    code = run(data)
    elapsed = time.monotonic() - started
    peak_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    captured = capsys.readouterr()
    case = file_level("junk", extract(), CONTACTS, None, "not UTF-8 text (invalid byte")
    check(case, base, data, code, captured.out + captured.err, inbox_before)
    assert elapsed < 120, f"a 200 MB file took {elapsed:.0f} s to reject"
    # Reading the file costs a few times its size at most, never an explosion.
    assert (peak_after - peak_before) * 1024 < 6 * JUNK_SIZE
