"""The era a KPI applies to: no figure where its events could not exist.

Single (children and family) assessments began in 2013-14 and initial and core assessments ended
then, so a count of single assessments in 2011 is not 0: it is not applicable. A KPI's YAML
declares its era (both keys optional, with why and the source):

```yaml
applies_from: 2013-04-01      # first day events of this kind can exist
applies_until: 2014-03-31     # last day they can
applies_reason: single assessments replaced initial and core assessments from 2013-14
applies_source: domain-notes.md, "Continuous (single) assessment"; Working Together 2013
```

The engine records a KPI whose whole series lies outside its era as not available with the reason
"not applicable: ..." (``kpi.kpi_availability``), and drops every period that lies wholly
outside the era from a series that crosses it; every output reads those two tables, so none can
show 0 for such a period.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import yaml

from pipelines.lib.kpi.definitions import DefinitionError, KpiDefinition

NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class Era:
    applies_from: dt.date | None
    applies_until: dt.date | None
    reason: str
    source: str

    def describe(self) -> str:
        bounds = []
        if self.applies_from:
            bounds.append(f"from {self.applies_from.day} {self.applies_from:%B %Y}")
        if self.applies_until:
            bounds.append(f"until {self.applies_until.day} {self.applies_until:%B %Y}")
        return f"{NOT_APPLICABLE}: {self.reason} (applies {' and '.join(bounds)})"


def availability_text(reason: str | None) -> str:
    """Why a KPI has no figure, as an output writes it: "not applicable: ..." for an era (the
    events could not exist), else "not available: ..." (the extract cannot give it)."""
    reason = reason or "not computed for this extract"
    return reason if is_not_applicable(reason) else f"not available: {reason}"


def is_not_applicable(reason: str | None) -> bool:
    return bool(reason and reason.startswith(NOT_APPLICABLE))


def _date(raw: object, where: str) -> dt.date | None:
    if raw is None or isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError as exc:
        raise DefinitionError(f"{where}: {raw!r} is not a date (YYYY-MM-DD)") from exc


@cache
def _era_from_file(path: Path) -> Era | None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    start = _date(raw.get("applies_from"), f"{path}: applies_from")
    end = _date(raw.get("applies_until"), f"{path}: applies_until")
    if start is None and end is None:
        return None
    for key in ("applies_reason", "applies_source"):
        if not str(raw.get(key) or "").strip():
            raise DefinitionError(f"{path}: an era (applies_from/applies_until) needs '{key}'")
    if start and end and end < start:
        raise DefinitionError(f"{path}: applies_until is before applies_from")
    return Era(start, end, " ".join(str(raw["applies_reason"]).split()),
               " ".join(str(raw["applies_source"]).split()))  # fmt: skip


def era(kpi: KpiDefinition) -> Era | None:
    return _era_from_file(kpi.path) if kpi.path else None


def not_applicable(kpi: KpiDefinition, first: dt.date, last: dt.date) -> str | None:
    """The reason when the whole span ``first``..``last`` lies outside the KPI's era."""
    found = era(kpi)
    if found is None:
        return None
    if (found.applies_from and last < found.applies_from) or (
        found.applies_until and first > found.applies_until
    ):
        return found.describe()
    return None


def drop_outside(con: duckdb.DuckDBPyConnection, kpi: KpiDefinition, tables: list[str]) -> None:
    """Delete the KPI's rows for periods wholly outside its era from ``tables`` (the engine's
    tables of new values)."""
    found = era(kpi)
    if found is None:
        return
    for table in tables:
        con.execute(
            f"""delete from {table}
                where kpi_id = $kpi
                  and (period_end < coalesce($start, period_end)
                       or period_start > coalesce($end, period_start))""",
            {"kpi": kpi.id, "start": found.applies_from, "end": found.applies_until},
        )
