"""The worklists' SQL files: each is read, none is left over, and the engine's shared blocks the
lists read are materialised by the engine's own function (only those and the blocks they read)."""

from pathlib import Path

import duckdb

from pipelines.lib.publish import worklists
from tests.publish.test_worklists import LA, E, warehouse  # noqa: F401 (a fixture)


def test_every_sql_file_is_a_list_block_or_macro() -> None:
    files = {path.stem for path in worklists.SQL_DIR.glob("*")}
    assert files == {*worklists.MACROS, *worklists.BLOCKS, *worklists.WORKLIST_KEYS}
    assert all(path.suffix == ".sql" for path in worklists.SQL_DIR.glob("*"))


def test_only_the_parameters_a_list_names_are_bound() -> None:
    # assessments_35wd names $from_wd and $unassigned; its header comment names "$name" only.
    assert worklists._bound(worklists.worklist_sql("assessments_35wd")) == {
        "from_wd": 35,
        "unassigned": "Unassigned",
    }
    assert set(worklists._bound(worklists.worklist_sql("unallocated"))) == {"unassigned"}


def test_the_shared_blocks_the_lists_read_and_no_others(warehouse: Path) -> None:  # noqa: F811
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cur = con.cursor()
        worklists._prepare(cur, LA, E)
        temp = {
            row[0]
            for row in cur.execute(
                "select table_name from duckdb_tables() where temporary"
            ).fetchall()
        }
    # The shared blocks the lists' SQL names, and the KPI blocks it does not read (nor do those).
    assert {
        "allocations_at_date",
        "assessments_typed",
        "cla_care_periods",
        "cla_current_ep_stretches",
        "cp_open_plans",
        "workers_at_date",
    } <= temp
    assert not {"care_leavers_in_force", "lado_deadlines", "vacancies_at_date"} & temp
    assert set(worklists.BLOCKS) <= temp
