"""Commentary and actions the analyst writes for an adviser report, kept between runs.

Each adviser report has one YAML file, ``<data dir>/commentary/<la>/adviser-report-<date>.yaml``.
The first run that writes the report creates it as a template (an overall summary, and for each
area of the plan: commentary, actions with owner and due date, contributions to strengthen); the
analyst fills it in, and every later run reads it and prints what it says in the report. A run
never writes over the file. A file that cannot be read is named in the report with the reason,
and the report is written without it (the file is left as it is, for the analyst to mend).
Text is printed as text: the HTML writer escapes it, the spreadsheet writer never makes it a
formula.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.lib.kpi.targets import Plan
from pipelines.lib.la_config import ConfigError, parse_bounded_yaml

FOLDER = "commentary"


@dataclass(frozen=True)
class Action:
    action: str
    owner: str
    due: dt.date | None


@dataclass(frozen=True)
class AreaNotes:
    commentary: str = ""
    actions: tuple[Action, ...] = ()
    contributions: str = ""


@dataclass(frozen=True)
class Commentary:
    path: Path
    summary: str = ""
    areas: dict[str, AreaNotes] = field(default_factory=dict)
    problem: str | None = None  # why the file could not be read (the report says so)
    created: bool = False  # the template was written by this run

    def for_area(self, area_id: str) -> AreaNotes:
        return self.areas.get(area_id, AreaNotes())


def commentary_file(data_dir: Path, la_code: str, report_date: dt.date) -> Path:
    return data_dir / FOLDER / la_code / f"adviser-report-{report_date.isoformat()}.yaml"


def template_text(plan: Plan, la_code: str, report_date: dt.date) -> str:
    """The file the analyst fills in: every area of the plan, with empty entries."""
    lines = [
        f"# Commentary for the six-weekly report to the DfE adviser: LA {la_code}, report of",
        f"# {report_date:%-d %B %Y} ({plan.title}).",
        "# Write under each area and run again: the report prints what you write, and no run",
        "# writes over this file. Leave an entry empty to leave it out. Plain text only.",
        "# actions: a list of {action: ..., owner: ..., due: YYYY-MM-DD}.",
        'summary: ""',
        "areas:",
    ]
    for area_id, title in plan.areas.items():
        lines += [
            f"  {area_id}:",
            f"    # {' '.join(title.split())}",
            '    commentary: ""',
            "    actions: []",
            '    contributions: ""',
        ]
    return "\n".join(lines) + "\n"


def load_commentary(path: Path, plan: Plan, la_code: str, report_date: dt.date) -> Commentary:
    """The report's commentary; the template is written first when the file does not exist."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template_text(plan, la_code, report_date), encoding="utf-8")
        return Commentary(path, created=True)
    try:
        raw = parse_bounded_yaml(path)
        return _commentary(path, raw, plan)
    except (ConfigError, ValueError) as exc:
        return Commentary(path, problem=str(exc))


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise ValueError(f"{where} must be text")
    return " ".join(str(value).split())


def _commentary(path: Path, raw: Any, plan: Plan) -> Commentary:
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected the template's layout (summary:, areas:)")
    areas_raw = raw.get("areas") or {}
    if not isinstance(areas_raw, dict):
        raise ValueError(f"{path}: 'areas' must be a mapping of the plan's area ids")
    unknown = sorted(str(a) for a in areas_raw if a not in plan.areas)
    if unknown:
        raise ValueError(
            f"{path}: areas {', '.join(unknown)} are not areas of {plan.id} "
            f"({', '.join(plan.areas)})"
        )
    areas = {}
    for area_id, entry in areas_raw.items():
        entry = entry or {}
        where = f"{path}: areas: {area_id}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where} must be a mapping (commentary, actions, contributions)")
        actions = []
        for number, item in enumerate(entry.get("actions") or [], start=1):
            if not isinstance(item, dict) or not item.get("action"):
                raise ValueError(f"{where}: action {number} needs at least 'action: ...'")
            due = item.get("due")
            if due is not None and not isinstance(due, dt.date):
                raise ValueError(f"{where}: action {number}: due must be a date (YYYY-MM-DD)")
            actions.append(
                Action(
                    _text(item["action"], f"{where}: action {number}"),
                    _text(item.get("owner"), f"{where}: action {number}: owner"),
                    due,
                )
            )
        areas[str(area_id)] = AreaNotes(
            _text(entry.get("commentary"), f"{where}: commentary"),
            tuple(actions),
            _text(entry.get("contributions"), f"{where}: contributions"),
        )
    return Commentary(path, _text(raw.get("summary"), f"{path}: summary"), areas)
