"""Shared blocks (``kpi_definitions/shared/``): each names its population, columns and the blocks
it reads, each is read by a KPI, and they are created in the order their reads need."""

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from pipelines.lib import warehouse
from pipelines.lib.calendar import install_calendar
from pipelines.lib.kpi.definitions import DefinitionError, load_definitions
from pipelines.lib.kpi.extract_views import prepare_extract
from pipelines.lib.kpi.shared_blocks import blocks_read, ensure_shared_blocks, load_shared_views

# Blocks no KPI reads yet, kept because the worklists read them; helper K2 owns them (issue 16:
# the child-protection KPIs become spans, the worklists read blocks through the engine): the
# set should be empty once those land.
READ_BY_WORKLISTS_ONLY = {"allocations_at_date", "cp_open_plans"}


def _opening_comment(sql: str) -> str:
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return " ".join(lines)


def test_every_block_is_read_by_a_kpi() -> None:
    views = load_shared_views()
    read = set().union(*(blocks_read(kpi.sql, views) for kpi in load_definitions()))
    unread = {view.name for view in views} - read
    assert unread == READ_BY_WORKLISTS_ONLY


def test_blocks_come_after_the_blocks_they_read() -> None:
    views = load_shared_views()
    position = {view.name: i for i, view in enumerate(views)}
    assert len(position) == len(views)
    for view in views:
        assert all(position[name] < position[view.name] for name in view.reads), view.name
    by_name = {view.name: view for view in views}
    # Known reads, found from the SQL (comments left out).
    assert by_name["cla_current_ep_stretches"].reads == {"care_stretches", "cla_care_periods"}
    assert by_name["care_stretches"].reads == frozenset()


def test_each_opening_comment_names_the_blocks_read_and_the_columns(tmp_path: Path) -> None:
    # Every block's SQL is run on an empty extract, and each column it returns must be named in
    # its opening comment, with each block it reads in its "Reads ..." sentence.
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        warehouse.ensure_schema(con)
        install_calendar(con)
        prepare_extract(con, "900", dt.date(2024, 3, 31))
        done: set[str] = set()
        comments: dict[str, str] = {}
        problems = []
        for view in load_shared_views():
            comment = comments[view.name] = _opening_comment(view.sql)
            reads = re.search(r"Reads (.*?)\.(?:\s|$)", comment)
            if not reads:
                problems.append(f"{view.name}: no 'Reads ...' sentence")
                continue
            problems += [
                f"{view.name}: reads {name} but its comment does not say so"
                for name in sorted(view.reads)
                if not re.search(rf"\b{name}\b", reads.group(1))
            ]
            ensure_shared_blocks(con, f"select * from {view.name}", done)
            columns = [row[0] for row in con.execute(f"describe {view.name}").fetchall()]
            # A block returning another's rows ("same columns") may leave them to that one's.
            named = " ".join([comment, *(comments[name] for name in view.reads)])
            problems += [
                f"{view.name}: column {c} is not named in its opening comment"
                for c in columns
                if not re.search(rf"\b{c}\b", named)
            ]
    assert not problems, "\n".join(problems)


def _blocks(tmp_path: Path, blocks: dict[str, str]) -> Path:
    (tmp_path / "shared").mkdir()
    for name, sql in blocks.items():
        (tmp_path / "shared" / f"{name}.sql").write_text(sql)
    return tmp_path


def test_order_follows_reads_not_file_names(tmp_path: Path) -> None:
    root = _blocks(
        tmp_path,
        {
            "a_top": "-- reads m_middle, z_base (a comment names no_such_block)\n"
            "select * from m_middle join z_base using (x)",
            "m_middle": "select x from z_base",
            "z_base": "select 1 as x",
            "b_alone": "select 2 as y",
        },
    )
    views = load_shared_views(root)
    assert [v.name for v in views] == ["b_alone", "z_base", "m_middle", "a_top"]
    assert blocks_read("select * from a_top", views) == {"a_top", "m_middle", "z_base"}
    assert blocks_read("-- m_middle\nselect * from b_alone", views) == {"b_alone"}


def test_a_cycle_is_a_definition_error(tmp_path: Path) -> None:
    root = _blocks(
        tmp_path,
        {"one": "select * from two", "two": "select * from three", "three": "select * from one",
         "fine": "select 1 as x"},
    )  # fmt: skip
    with pytest.raises(DefinitionError, match="cycle: one reads two; three reads one; two reads"):
        load_shared_views(root)
