"""``ssd_person``: one row per child from every child list (1-10).

The child's first row that has a date of birth (files, then lists, then rows, in order) gives
the row, else the first row; later rows that disagree on sex or date of birth are noted.
"""

from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.adapters.annex_a.cells import code_of
from pipelines.lib.adapters.annex_a.context import Output, WorkbookMapper
from pipelines.lib.adapters.annex_a.reading import ListSheet
from pipelines.lib.adapters.annex_a.spec import LIST_TITLES, SEX_LABELS
from pipelines.lib.adapters.base import NOT_MAPPED, NOT_USED, AdapterNote
from pipelines.lib.readers import ROW_COLUMN


@dataclass
class PersonCandidate:
    child: str
    sex: str | None
    ethnicity: str | None
    dob: str | None
    list_no: int
    sheet: str
    row: int
    path: Path
    order: tuple[int, int, int]  # file, list, row: the earliest wins among equals


def candidates(m: WorkbookMapper, sheet: ListSheet) -> list[PersonCandidate]:
    """The sheet's rows as candidates for their child's ``ssd_person`` row."""
    c = m.convert
    found = []
    for row in sheet.rows:
        child = c.text(sheet, row, "child_id") if "child_id" in sheet.fields else None
        if child is None:
            continue
        sex = c.code(sheet, row, "sex", SEX_LABELS) if "sex" in sheet.fields else None
        ethnicity = c.label(sheet, row, "ethnicity") if "ethnicity" in sheet.fields else None
        dob = c.date(sheet, row, "dob") if "dob" in sheet.fields else None
        found.append(
            PersonCandidate(
                child,
                sex,
                code_of(ethnicity) if ethnicity else None,
                dob,
                sheet.list_no,
                sheet.sheet,
                row.number,
                m.workbook.path,
                (m.file_order, sheet.list_no, row.number),
            )
        )
    return found


def choose_people(
    candidates: list[PersonCandidate], notes: list[AdapterNote]
) -> list[PersonCandidate]:
    """One row per child: the earliest row with a date of birth, else the earliest row. Later
    rows that disagree on sex or date of birth are noted, so the difference can be fixed."""
    by_child: dict[str, list[PersonCandidate]] = {}
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


def person_outputs(candidates: list[PersonCandidate], notes: list[AdapterNote]) -> list[Output]:
    """The chosen ``ssd_person`` rows, grouped by the sheet each came from."""
    outputs: dict[tuple[Path, str], Output] = {}
    for person in choose_people(candidates, notes):
        out = outputs.setdefault(
            (person.path, person.sheet), Output("ssd_person", person.path, person.sheet)
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
    return list(outputs.values())
