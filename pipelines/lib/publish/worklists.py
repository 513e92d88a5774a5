"""Managers' worklists: the children behind the clinic's timeliness figures, per team.

RESTRICTED: every list is child-level (the LA's ``person_id`` and ``professional_id``), so it is
written under ``data/restricted/`` and never under ``data/published/``.

For one LA and one extract dated E, six lists, each built with the rule of the KPI it explains
(so a manager's list accounts for the clinic's figure) and read as at the end of E:

- ``assessments_35wd``: single assessments open at E at 35 or more working days (overdue beyond
  45, as ``assessments_open_over_45wd`` counts them);
- ``icpc_due``: section 47 enquiries with no conference held whose 15-working-day ICPC deadline
  (``icpc_15wd_pct``) is at most 3 working days away or has passed;
- ``cp_visits_due``: children on a CP plan whose next visit (10 working days,
  ``cp_visits_10wd_pct``) is due within 7 days or overdue;
- ``cp_reviews_due``: CP plans whose next review (3 months from the start, then 6 months from the
  last review, ``cp_reviews_timely_pct``) is due within 7 days or overdue;
- ``cla_reviews_due``: children looked after whose next review (20 working days from entering
  care, then 3 months, then 6 months, ``cla_reviews_timely_pct``) is due within 7 days or overdue;
- ``unallocated``: children with an open case and no allocated social worker
  (``unallocated_children``).

Working days follow the catalogue: wd(a, b) counts the working days after a up to b, and a clock
of N working days is overdue once wd(start, E) > N, or once its due date is before E: on a
Sunday extract a deadline that fell on the Friday is overdue (2 days late), although no working
day has passed since and the KPI would still count a weekend visit as in time. A manager reads
a date that has passed as missed.

Team: the allocated social worker's team at E (their ``ext_worker_periods`` period, as
``caseload_avg``; else the involvement's team; else the worker's department in
``ssd_professionals``); assessments use their own recorded team, as the assessment KPIs do; a
child without a worker falls back to the team of their open referral, else "Unassigned".
"""

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.lib.kpi.extract_views import install_extract_views
from pipelines.lib.kpi.shared_blocks import ensure_shared_blocks
from pipelines.lib.publish import cells, folders
from pipelines.lib.publish.figures import la_name
from pipelines.lib.publish.worklist_workbook import write_workbook as _write_workbook

UNASSIGNED = "Unassigned"
ALL_TEAMS = "all-teams"
# How close a calendar-dated item must be to appear (visits and reviews), and a working-day one
# (ICPC); an assessment appears from its 35th working day.
DUE_SOON_DAYS = 7
ICPC_DUE_SOON_WORKING_DAYS = 3
ASSESSMENT_LIST_FROM_WORKING_DAYS = 35


@dataclass(frozen=True)
class Worklist:
    """One list: its key (sheet and CSV name), its title and the rule, for the cover sheet."""

    key: str
    title: str
    rule: str


WORKLISTS = (
    Worklist(
        "assessments_35wd",
        "Assessments at 35 working days or more",
        "Single (children and family) assessments started on or before the extract date and not "
        "authorised by it, at 35 or more working days since their start. Due date: the 45th "
        "working day. Status overdue when more than 45 working days have passed (as the KPI "
        "assessments_open_over_45wd counts them) or the due date is before the extract date, "
        "else at_35wd_plus. The referral's own state is "
        "not looked at.",
    ),
    Worklist(
        "icpc_due",
        "Initial child protection conferences due",
        "Section 47 enquiries with no initial child protection conference held by the extract "
        "date, still open and not ended with no further action (or with a conference booked), "
        "whose deadline of 15 working days from the strategy discussion (as icpc_15wd_pct "
        "counts it) is 3 working days away or less. Status overdue when more than 15 working "
        "days have passed or the due date is before the extract date. An enquiry that ended "
        "without a no-further-action flag and without a conference booked is read as "
        "concluded without a conference.",
    ),
    Worklist(
        "cp_visits_due",
        "Child protection visits due",
        "Children on a child protection plan whose next visit is due within 7 days or overdue. "
        "Due date: 10 working days after the last visit that saw the child since their latest "
        "plan started, or after the start of their earliest open plan when there was none (as "
        "cp_visits_10wd_pct counts it). Status overdue when more than 10 working days have "
        "passed or the due date is before the extract date.",
    ),
    Worklist(
        "cp_reviews_due",
        "Child protection reviews due",
        "Child protection plans open at the extract date whose next review is due within 7 "
        "days or overdue. Due date: 3 months after the plan started, then 6 months after the "
        "last review (as cp_reviews_timely_pct counts it; the due date recorded on a review is "
        "not used). Status overdue when the due date is before the extract date. A plan whose "
        "earlier review was late (not timely in the KPI) is listed only when its next review "
        "is due.",
    ),
    Worklist(
        "cla_reviews_due",
        "Children in care reviews due",
        "Children looked after at the extract date whose next review is due within 7 days or "
        "overdue. Due date: 20 working days after entering care for the first review, 3 months "
        "after the first for the second, then 6 months after the last (as "
        "cla_reviews_timely_pct counts it; cancelled reviews are ignored and the due date "
        "recorded on a review is not used). Status overdue when the due date is before the "
        "extract date (for the first review, also when more than 20 working days have passed "
        "since entering care). A child with an "
        "earlier late review is listed only when the next review is due.",
    ),
    Worklist(
        "unallocated",
        "Children without an allocated social worker",
        "Children with an open referral episode, child protection plan or care episode (short "
        "breaks included) at the extract date and no allocated social worker (as "
        "unallocated_children counts them). Due date: the day the child became unallocated "
        "(the later of the earliest open case's start and the end of the last allocation); "
        "every row is overdue.",
    ),
)
WORKLIST_KEYS = tuple(w.key for w in WORKLISTS)

# The lists' SQL, one file each, and the blocks they share (created in this order: a block reads
# only those before it), run after the KPI engine's shared blocks that any of them reads.
SQL_DIR = Path(__file__).with_name("worklist_sql")
MACROS = ("add_working_days",)
BLOCKS = ("team_names", "child_worker", "child_referral", "child_team")
# Values bound by name into the lists' SQL (``$name``).
PARAMETERS = {
    "from_wd": ASSESSMENT_LIST_FROM_WORKING_DAYS,
    "icpc_wd": ICPC_DUE_SOON_WORKING_DAYS,
    "due_days": DUE_SOON_DAYS,
    "unassigned": UNASSIGNED,
}
_SQL_COMMENT = re.compile(r"--[^\n]*")


def worklist_sql(name: str) -> str:
    """The SQL of a list, block or macro in ``worklist_sql/``."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _bound(sql: str) -> dict[str, object]:
    """The parameters ``sql`` binds (comments left out: they may name one)."""
    code = _SQL_COMMENT.sub("", sql)
    return {name: value for name, value in PARAMETERS.items() if f"${name}" in code}


def _prepare(cur: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date) -> None:
    """The KPI engine's view of one LA and extract, at the single as-at date E.

    Same views as the engine's (history tables: extract E; current-state tables: every extract
    up to E), the engine's macros, and the engine's shared blocks the lists read (materialised
    by the engine's own function), with ``as_at_dates`` holding E only."""
    install_extract_views(cur, la_code, extract_date)
    cur.execute(
        "create or replace temp table as_at_dates as "
        "select cast(getvariable('extract_date') as date) as as_at_date"
    )
    own = {name: worklist_sql(name) for name in (*MACROS, *BLOCKS, *WORKLIST_KEYS)}
    ensure_shared_blocks(cur, "\n".join(own.values()), set())
    for name in MACROS:
        cur.execute(own[name])
    for name in BLOCKS:
        cur.execute(f"create or replace temp table {name} as {own[name]}")


def build_worklists(
    con: duckdb.DuckDBPyConnection, la_code: str, extract_date: dt.date
) -> dict[str, pl.DataFrame]:
    """The six worklists of one LA's extract, keyed as ``WORKLIST_KEYS``, each sorted overdue
    first then by due date.

    Reads the staged rows of that extract (``stg.*``), ``meta.la_roles`` and ``ref.calendar``
    with the ``working_days_between`` macro (``install_calendar``). Works on a read-only
    connection: everything it creates is temporary and lives on a cursor of its own, so the
    caller's connection is left as it was."""
    cur = con.cursor()
    try:
        _prepare(cur, la_code, extract_date)
        lists = {}
        for key in WORKLIST_KEYS:
            sql = worklist_sql(key)
            lists[key] = cur.execute(sql, _bound(sql)).pl()
        return lists
    finally:
        cur.close()


# ---------------------------------------------------------------------------------------------
# Writing: one workbook and one CSV per list per team, plus a workbook of all teams (the
# workbook itself: ``worklist_workbook``).


def _refuse_published(restricted_dir: Path) -> None:
    """Child-level files must never land in, or under, a folder named ``published``."""
    for candidate in (restricted_dir.absolute(), restricted_dir.resolve()):
        if "published" in candidate.parts:
            raise ValueError(
                f"refusing to write child-level worklists to {restricted_dir}: it is inside a "
                "folder named 'published' (worklists belong under data/restricted/)"
            )


def team_slug(team: str, team_name: str | None) -> str:
    """A file name for a team: its id and name in lower case, e.g. ``t03-assessment-team-1``."""
    label = team if not team_name or team_name == team else f"{team} {team_name}"
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower().replace("'", "")).strip("-")
    return slug or "team"


def _teams(lists: dict[str, pl.DataFrame]) -> dict[str, tuple[str, str | None]]:
    """Team id -> (slug, name) for every team on any list, slugs unique and never 'all-teams'."""
    names: dict[str, str | None] = {}
    for frame in lists.values():
        for team, name in frame.select("team", "team_name").unique().iter_rows():
            names.setdefault(team, name)
    taken = {ALL_TEAMS}
    out: dict[str, tuple[str, str | None]] = {}
    for team in sorted(names):
        base = slug = team_slug(team, names[team])
        n = 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        out[team] = (slug, names[team])
    return out


def write_worklists(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    restricted_dir: Path,
) -> list[Path]:
    """Write the worklists of one LA's extract under
    ``restricted_dir/<la_code>/worklists/<extract_date>/`` and return the files written.

    Per team: ``<team-slug>.xlsx`` (a RESTRICTED cover sheet with the extract date and each
    list's rule, then one sheet per list) and ``<team-slug>/<list>.csv``; plus
    ``all-teams.xlsx``. Re-running replaces that extract's folder whole: the new one is written
    beside it and swapped in, so a failure leaves the previous one. Refuses (``ValueError``) a
    ``restricted_dir`` that is, or is inside, a folder named ``published``."""
    restricted_dir = Path(restricted_dir)
    _refuse_published(restricted_dir)
    lists = build_worklists(con, la_code, extract_date)
    la_label = f"{la_name(con, la_code)} ({la_code})"

    parent = restricted_dir / la_code / "worklists"
    target = parent / extract_date.isoformat()
    written: list[Path] = []
    with folders.replacing(target) as staging:
        _write_workbook(
            staging / f"{ALL_TEAMS}.xlsx",
            WORKLISTS,
            lists,
            la_label=la_label,
            team_label="All teams",
            extract_date=extract_date,
        )
        written.append(target / f"{ALL_TEAMS}.xlsx")
        for team, (slug, name) in _teams(lists).items():
            team_lists = {k: f.filter(pl.col("team") == team) for k, f in lists.items()}
            _write_workbook(
                staging / f"{slug}.xlsx",
                WORKLISTS,
                team_lists,
                la_label=la_label,
                team_label=team if not name or name == team else f"{name} ({team})",
                extract_date=extract_date,
            )
            written.append(target / f"{slug}.xlsx")
            (staging / slug).mkdir()
            for key, frame in team_lists.items():
                cells.write_csv(frame, staging / slug / f"{key}.csv", date_format="%Y-%m-%d")
                written.append(target / slug / f"{key}.csv")
    return written
