"""One workbook's lists as contract rows, in the order the links need, and the rows as
``AdaptedTable``s with their codes spelt as the contract spells them.

Referrals come before assessments and enquiries (which link to the child's latest referral on
or before them); CP plan starts before conferences (a conference links to the plan that starts
on its day) and conferences before plans (a plan links back to its conference).
"""

from collections.abc import Iterable

from pipelines.lib.adapters.annex_a import care, need, protection
from pipelines.lib.adapters.annex_a.cells import collapse
from pipelines.lib.adapters.annex_a.context import Output, WorkbookMapper
from pipelines.lib.adapters.annex_a.people import PersonCandidate, candidates
from pipelines.lib.adapters.annex_a.spec import LIST_TITLES, NOT_USED_LISTS
from pipelines.lib.adapters.base import NOT_USED, AdaptedTable, text_frame
from pipelines.lib.contract import TABLES_BY_NAME


def map_workbook(m: WorkbookMapper) -> list[PersonCandidate]:
    """Fill ``m.outputs`` from every list; returns the rows that can give ``ssd_person``."""
    people: list[PersonCandidate] = []
    for sheet in m.workbook.lists:
        if sheet.list_no in NOT_USED_LISTS and sheet.rows:
            m.reader.note(
                "list_not_used",
                f"{LIST_TITLES[sheet.list_no]} has {len(sheet.rows)} rows; not used: "
                f"{NOT_USED_LISTS[sheet.list_no]}",
                NOT_USED,
                location=sheet.location,
            )
        if sheet.list_no != 11:
            people.extend(candidates(m, sheet))
    need.contacts(m)
    referrals = need.referrals_and_episodes(m)
    need.assessments(m, referrals)
    plans = protection.cp_plan_starts(m)
    protection.s47_and_icpc(m, referrals, plans)
    protection.cp_plans(m)
    care.children_in_care(m)
    care.care_leavers(m)
    return people


def canonical_code(table: str, column: str, value: str | None) -> str | None:
    """A code as the contract spells it (``Physical abuse`` -> ``PHY``, ``yes`` -> ``YES``),
    matched as staging matches; a value the contract does not know is returned unchanged, for
    staging to clear and record."""
    col = TABLES_BY_NAME[table].column(column)
    if value is None or col.codes is None:
        return value
    key = collapse(value).upper()
    lookup = {c.upper(): c for c in col.codes}
    lookup.update({k.upper(): v for k, v in col.code_map.items()})
    return lookup.get(key, value)


def to_tables(outputs: Iterable[Output]) -> list[AdaptedTable]:
    """Each output with rows as an ``AdaptedTable`` of the contract table's columns."""
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
