"""Which KPIs each source can compute, and why not.

A KPI reads contract columns (in its own SQL and in the shared views it uses). A statutory
format fills only some columns of the tables it gives (its adapter's ``PROVIDES``): a KPI that
reads a column the format leaves blank cannot be computed from it, however many rows there are.
The reason comes from the adapter's ``LIMITS`` (e.g. Annex A has no decision timestamps).

``sources_table`` is the generated table in ``kpi_definitions/SOURCES.md`` (``csc-kpis sources
--write`` regenerates it; a test fails when it is out of date).
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from pipelines.lib.adapters import annex_a, cin_census, csww, ssda903
from pipelines.lib.adapters.dispatch import FORMAT_LABELS
from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.kpi.definitions import DEFINITIONS_DIR, KpiDefinition, load_shared_views

SOURCES_FILE = DEFINITIONS_DIR / "SOURCES.md"
SOURCE_MODULES: dict[str, ModuleType] = {
    "cin_census": cin_census,
    "ssda903": ssda903,
    "annex_a": annex_a,
    "csww": csww,
}
# Column order of the generated table: what councils have, most complete first.
SOURCES = ("ssd", "annex_a", "cin_census", "ssda903", "csww")
# Columns that only break a figure down by team: without them the KPI is still computed, for
# the whole LA, with no team or service-area breakdown.
BREAKDOWN_COLUMNS = frozenset(
    {
        ("ssd_cin_episodes", "cine_referral_team"),
        ("ssd_cin_assessments", "cina_assessment_team"),
        ("ssd_care_leavers", "clea_care_leaver_allocated_team"),
        ("ssd_involvements", "invo_professional_team"),
        ("ext_worker_periods", "team_id"),
    }
)
# Columns a KPI reads when a source gives them and does without otherwise, with what is lost
# without them: the number of previous CP plans (CIN census NumberOfPreviousCPP) falls back on
# the extract's own plans.
FALLBACK_COLUMNS = {
    ("ssd_cp_plans", "cppl_previous_cp_plans"): "no number of previous CP plans, so a plan "
    "that started before the extract's history is missed and a second plan can count as a first",
}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_COMMENT = re.compile(r"--[^\n]*")


def _words(sql: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(_COMMENT.sub("", sql))}


@cache
def _shared_views() -> dict[str, frozenset[str]]:
    return {view.name: frozenset(_words(view.sql)) for view in load_shared_views()}


def referenced_columns(kpi: KpiDefinition) -> dict[str, set[str]]:
    """Table -> the contract columns of that table the KPI reads (its SQL and shared views)."""
    views = _shared_views()
    words = _words(kpi.sql)
    pending = [v for v in views if v in words]
    seen: set[str] = set()
    while pending:  # shared views may use other shared views
        view = pending.pop()
        if view in seen:
            continue
        seen.add(view)
        words |= views[view]
        pending.extend(v for v in views if v in views[view] and v not in seen)
    return {
        table: {c for c in TABLES_BY_NAME[table].column_names if c in words}
        for table in kpi.all_tables
        if table in TABLES_BY_NAME
    }


@dataclass(frozen=True)
class SourceVerdict:
    available: bool
    reason: str | None  # why not, in plain English
    by_team: bool = True  # False: available for the LA as a whole, with no team breakdown


def _gaps(
    kpi: KpiDefinition, table: str, source_format: str, provides: Mapping[str, frozenset[str]]
) -> list[str]:
    """Why ``table`` as given by ``source_format`` cannot serve ``kpi`` (empty: it can)."""
    limits: Mapping[str, str] = getattr(SOURCE_MODULES[source_format], "LIMITS", {})
    label = FORMAT_LABELS[source_format]
    if table not in provides:
        return [f"the {label} has no {table}" + (f" ({limits[table]})" if table in limits else "")]
    missing = sorted(
        c
        for c in referenced_columns(kpi).get(table, set()) - provides[table]
        if (table, c) not in BREAKDOWN_COLUMNS and (table, c) not in FALLBACK_COLUMNS
    )
    reasons = []
    for column in missing:
        why = limits.get(column) or limits.get(table)
        reasons.append(f"the {label} does not give {table}.{column}" + (f": {why}" if why else ""))
    return reasons


def gaps_for_extract(kpi: KpiDefinition, formats: Mapping[str, str]) -> list[str]:
    """Why ``kpi`` cannot be computed from an extract whose tables came from ``formats``
    (table -> source format; tables from SSD files are absent or ``ssd``)."""
    reasons: list[str] = []
    for table in (*kpi.tables, *kpi.any_of_tables):
        source_format = formats.get(table, "ssd")
        if source_format == "ssd":
            continue
        provides = SOURCE_MODULES[source_format].PROVIDES
        reasons.extend(_gaps(kpi, table, source_format, provides))
    reasons.extend(_not_available(kpi, formats))
    if kpi.any_of_tables and reasons:
        # any_of: it is enough that one of them is usable.
        usable = [
            t
            for t in kpi.any_of_tables
            if formats.get(t, "ssd") == "ssd"
            or not _gaps(kpi, t, formats[t], SOURCE_MODULES[formats[t]].PROVIDES)
        ]
        if usable:
            reasons = [r for r in reasons if not any(f" {t}" in r for t in kpi.any_of_tables)]
    return reasons


def _not_available(kpi: KpiDefinition, formats: Mapping[str, str]) -> list[str]:
    """KPIs an adapter declares it cannot serve although it fills the columns (``NOT_AVAILABLE``:
    e.g. Annex A has each child's current placement only, so placement moves are undercounted)."""
    reasons = []
    for source_format in dict.fromkeys(formats.get(t, "ssd") for t in kpi.tables):
        if source_format == "ssd":
            continue
        declared: Mapping[str, str] = getattr(SOURCE_MODULES[source_format], "NOT_AVAILABLE", {})
        if kpi.id in declared:
            reasons.append(f"{declared[kpi.id]} ({FORMAT_LABELS[source_format]})")
    return reasons


def verdict(kpi: KpiDefinition, source_format: str) -> SourceVerdict:
    """Could ``kpi`` be computed from ``source_format`` alone?"""
    if source_format == "ssd":
        return SourceVerdict(True, None)
    provides = SOURCE_MODULES[source_format].PROVIDES
    formats = {t: source_format for t in provides}
    reasons = [
        r for t in kpi.tables if t not in provides for r in _gaps(kpi, t, source_format, provides)
    ]
    if kpi.any_of_tables and not any(t in provides for t in kpi.any_of_tables):
        reasons.append(
            f"the {FORMAT_LABELS[source_format]} has none of {', '.join(kpi.any_of_tables)}"
        )
    reasons += gaps_for_extract(kpi, formats)
    unique = list(dict.fromkeys(reasons))
    used = referenced_columns(kpi)
    by_team = not any(
        c in used.get(t, set()) and c not in provides.get(t, frozenset())
        for t, c in BREAKDOWN_COLUMNS
    )
    return SourceVerdict(not unique, "; ".join(unique) or None, by_team)


def _fallbacks(kpi: KpiDefinition, source_format: str) -> list[tuple[str, str]]:
    """(when, what is lost) for each ``FALLBACK_COLUMNS`` column ``kpi`` reads that the source
    lacks; an SSD extract may carry the column or not."""
    used = referenced_columns(kpi)
    provides = {} if source_format == "ssd" else SOURCE_MODULES[source_format].PROVIDES
    found = []
    for (table, column), lost in FALLBACK_COLUMNS.items():
        if column not in used.get(table, set()):
            continue
        if source_format == "ssd":
            found.append((f" when it leaves out {table}.{column}", lost))
        elif column not in provides.get(table, frozenset()):
            found.append(("", lost))
    return found


def sources_table(definitions: Sequence[KpiDefinition]) -> str:
    """The Markdown table of every KPI against every source, with the reasons."""
    header = "| KPI | " + " | ".join(FORMAT_LABELS[s] for s in SOURCES) + " |"
    lines = [
        "# What each source can compute",
        "",
        "Generated by `csc-kpis sources --write` from the KPI definitions and each adapter's",
        "`PROVIDES` and `LIMITS` (`pipelines/lib/adapters/`); do not edit by hand.",
        "",
        "A KPI is available from a source when the source gives every table the KPI needs and",
        "every column of them it reads. Sources can be combined in one extract folder: each",
        'table is then taken from the most detailed source that has it. "not by team": the',
        "source has no teams, so the figure is for the LA as a whole.",
        "",
        header,
        "|" + "---|" * (len(SOURCES) + 1),
    ]
    why: list[str] = []
    limited: list[str] = []
    for kpi in sorted(definitions, key=lambda k: (k.area, k.id)):
        cells = []
        for source in SOURCES:
            result = verdict(kpi, source)
            if result.available:
                cells.append("yes" if result.by_team else "yes, not by team")
                limited += [
                    f"- `{kpi.id}` from the {FORMAT_LABELS[source]}{without}: {lost}"
                    for without, lost in _fallbacks(kpi, source)
                ]
            else:
                why.append(f"- `{kpi.id}` from the {FORMAT_LABELS[source]}: {result.reason}")
                cells.append("no")
        lines.append(f"| `{kpi.id}` ({kpi.area}) | " + " | ".join(cells) + " |")
    totals = [sum(verdict(k, s).available for k in definitions) for s in SOURCES]
    lines.append("| **KPIs available** | " + " | ".join(str(t) for t in totals) + " |")
    lines += ["", "## Available, with less", "", *limited]
    lines += ["", "## Why not", "", *why, ""]
    return "\n".join(lines)
