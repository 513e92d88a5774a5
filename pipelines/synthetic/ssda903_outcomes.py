"""The SSDA903 UASC and OC2 tables of one collection year, from an extract's
``ssd_immigration_status`` and ``ssd_cla_health`` (``ssda903_writer`` writes them).

- ``uasc.csv``: a child of the return whose UASC status was open at some time in the year (the
  latest such span); DUC is the date it ended when that was by 31 March, blank otherwise (as at
  the time of the return, as DEC is).
- ``oc2.csv``: the children looked after continuously for 12 months at 31 March, short breaks
  (V3/V4) left out: a run of episodes, each starting the day the one before ended, open at the
  end of 31 March and begun on or before 31 March of the year before. HEALTH_ASSESSMENT and
  TEETH_CHECK are 1 when the extract has a health assessment (dental check) dated in the 12
  months to 31 March, else 0; HEALTH_CHECK (the under fives' health surveillance check) the same
  for a child under 5 at 31 March, blank from 5. The other OC2 items (SDQ, convictions,
  immunisations, substance misuse) are blank: the extract contract holds none of them.
"""

import datetime as dt
from collections import defaultdict

import polars as pl

UASC_COLUMNS = ("CHILD", "SEX", "DOB", "DUC")
OC2_COLUMNS = (
    "CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS",
    "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
)  # fmt: skip
SHORT_BREAKS = ("V3", "V4")


def _uk(day: dt.date | None) -> str | None:
    return day.strftime("%d/%m/%Y") if day is not None else None


def uasc_rows(
    statuses: pl.DataFrame | None,
    children: set[str],
    person: dict[str, dict[str, object]],
    year_start: dt.date,
    year_end: dt.date,
) -> list[dict[str, object]]:
    """The UASC table's rows; ``person`` holds each child's 903 SEX and DOB as the header has."""
    if statuses is None:
        return []
    latest: dict[str, tuple[dt.date, dt.date | None]] = {}
    for r in statuses.iter_rows(named=True):
        child, start = r["immi_person_id"], r["immi_immigration_status_start_date"]
        end = r["immi_immigration_status_end_date"]
        text = (r["immi_immigration_status"] or "").strip().upper().replace("-", " ")
        if child not in children or start is None or text not in _UASC:
            continue
        if start > year_end or (end is not None and end < year_start):
            continue
        if child not in latest or start > latest[child][0]:
            latest[child] = (start, end)
    return [
        {
            "CHILD": child,
            **person.get(child, {}),
            "DUC": _uk(end) if end is not None and end <= year_end else None,
        }
        for child, (_, end) in sorted(latest.items())
    ]


# The spellings the KPI cla_uasc_pct reads as UASC (hyphens read as spaces).
_UASC = {"UASC", "UNACCOMPANIED ASYLUM SEEKING CHILD"}


def in_care_12_months(episodes: pl.DataFrame, year_end: dt.date) -> set[str]:
    """Children looked after continuously for 12 months at ``year_end`` (short breaks out), from
    typed ``ssd_cla_episodes`` rows with the legal status open on each DECOM
    (``lega_legal_status``)."""
    year_before = dt.date(year_end.year - 1, 3, 31)
    Span = tuple[dt.date, dt.date | None, str | None]  # DECOM, ceased, legal status
    by_child: dict[str, list[Span]] = defaultdict(list)
    for r in episodes.iter_rows(named=True):
        if r["clae_cla_episode_start_date"] is not None:
            by_child[r["clae_person_id"]].append(
                (
                    r["clae_cla_episode_start_date"],
                    r["clae_cla_episode_ceased"],
                    r.get("lega_legal_status"),
                )
            )
    found = set()
    for child, spans in by_child.items():
        start: dt.date | None = None
        previous_end: dt.date | None = None
        for begun, ended, legal in sorted(spans, key=lambda e: e[0]):
            if legal in SHORT_BREAKS or begun > year_end:
                start = None
                continue
            # A gap after the episode before starts a new stretch (an open one has none).
            if start is None or (previous_end is not None and begun > previous_end):
                start = begun
            previous_end = ended
            if ended is not None and ended <= year_end:
                continue
            if start <= year_before:
                found.add(child)
            break
    return found


def oc2_rows(
    health: pl.DataFrame | None,
    cohort: set[str],
    dob: dict[str, dt.date | None],
    year_end: dt.date,
) -> list[dict[str, object]]:
    """The OC2 table's rows for the children of ``cohort``."""
    year_before = dt.date(year_end.year - 1, 3, 31)
    done: dict[str, set[str]] = defaultdict(set)
    if health is not None:
        for r in health.iter_rows(named=True):
            day = r["clah_health_check_date"]
            if day is not None and year_before < day <= year_end:
                done[r["clah_person_id"]].add(r["clah_health_check_type"])
    rows: list[dict[str, object]] = []
    for child in sorted(cohort):
        born = dob.get(child)
        under_five = born is not None and born > dt.date(year_end.year - 5, 3, 31)
        checks = done.get(child, set())
        rows.append(
            {
                "CHILD": child,
                "DOB": _uk(born),
                "HEALTH_CHECK": int("HEALTH_SURVEILLANCE" in checks) if under_five else None,
                "TEETH_CHECK": int("DENTAL_CHECK" in checks),
                "HEALTH_ASSESSMENT": int("HEALTH_ASSESSMENT" in checks),
            }
        )
    return rows
