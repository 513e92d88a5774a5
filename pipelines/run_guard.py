"""What the runner does so that faults of the machine, not the data, explain themselves.

- Dagster's SQLite run history is created by the first process that opens it; two first runs on
  an empty data folder raced to create its tables. Opening it is serialised by a lock file.
- One run at a time per LA: ``csc-kpis run`` takes the LA's lock (a second run of the LA waits,
  saying for whom, or gives up with a clear message).
- A run first tidies what a crashed run left in the LA's output folders.
- Folders of the inbox that are not LA codes, or that link out of the inbox, are skipped before
  any run starts, each with one message.
- A full disk is named in one line: which folder (warehouse, published, restricted, run history).
"""

import errno
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from pipelines.lib import ingest, locks, paths
from pipelines.lib.publish import folders

Echo = Callable[[str], None]


@contextmanager
def run_history_lock(home: Path, echo: Echo) -> Iterator[None]:
    """Held while Dagster's run history in ``home`` is opened (and, the first time, created)."""
    with locks.hold(
        home / ".storage.lock",
        f"Dagster's run history in {home}",
        "opening Dagster's run history",
        echo=echo,
    ):
        yield


def lock_la(data_paths: paths.DataPaths, la_code: str, echo: Echo) -> locks.Held:
    """The LA's run lock: another run of the same LA (another ``csc-kpis run``) holds it until
    that run's outputs are written."""
    return locks.acquire(
        data_paths.locks / f"la-{la_code}.lock",
        f"LA {la_code} (another run of it is going on)",
        f"the run of LA {la_code}",
        echo=echo,
    )


def locked(held: locks.Held, draw: Callable[..., Path | None], *args: Any) -> Path | None:
    """Draw the LA's clinic pack, then let the next run of the LA start."""
    try:
        return draw(*args)
    finally:
        held.release()


# Defect lines (each already a summary per file, column and rule) shown in a run's output; the
# rest are counted.
DEFECTS_SHOWN = 200


def defect_lines(
    con: duckdb.DuckDBPyConnection, la_code: str, delivery_ids: list[str]
) -> list[str]:
    """The defects of new deliveries, the first ``DEFECTS_SHOWN`` lines, the rest counted with
    where to find them."""
    lines = ingest.issue_lines(con, la_code, delivery_ids)
    more = len(lines) - DEFECTS_SHOWN
    if more > 0:
        lines = lines[:DEFECTS_SHOWN]
        lines.append(
            f"... and {more:,} more lines; the full list is in stg.quarantine (`csc-kpis export "
            f"stg.quarantine --la {la_code} --out quarantine.csv`) and the validation report"
        )
    return lines


def tidy_outputs(data_paths: paths.DataPaths, la_code: str) -> list[str]:
    """Repair and remove what a crashed run left in the LA's published and restricted folders."""
    done = []
    for root in (data_paths.published / la_code, data_paths.restricted / la_code):
        done += folders.clean_leftovers(root)
    return done


def refused_folders(inbox: Path, found: list[ingest.InboxLA]) -> list[tuple[ingest.InboxLA, str]]:
    """The inbox folders that cannot be LAs (not an LA code, or a link out of the inbox), each
    with one line saying so; the caller runs only the others."""
    lines = []
    for la in found:
        problem = paths.la_code_problem(la.la_code)
        outside = paths.link_outside(la.path, inbox)
        if outside is not None:
            problem = f"a link to {outside}, outside the inbox"
        if problem:
            lines.append((la, f"{la.path}: not an LA folder: {problem}; skipped"))
    return lines


# What a full disk looks like by the time it reaches a run's error: Python's OSError, DuckDB's
# and SQLite's messages, and a helper process's pipe closing when it died of it.
_FULL = ("no space left on device", "database or disk is full", "[errno 28]", "disk quota")
_QUOTED_PATH = re.compile(r"""['"](/[^'"]+)['"]""")
# Below this, a folder's disk is taken as full when a run failed for no clearer reason.
NEARLY_FULL_BYTES = 16 * 1024 * 1024


def _places(data_paths: paths.DataPaths) -> list[tuple[str, Path]]:
    return [
        ("the warehouse", data_paths.warehouse_dir),
        ("published outputs", data_paths.published),
        ("restricted outputs", data_paths.restricted),
        ("Dagster's run history", data_paths.dagster_home),
    ]


def free_bytes(path: Path) -> int:
    while not path.exists() and path != path.parent:
        path = path.parent
    return shutil.disk_usage(path).free


def disk_full_line(error: BaseException | str, data_paths: paths.DataPaths) -> str | None:
    """ "No space left on device: ..." naming the folder whose disk is full, when ``error``
    comes from a full disk; None otherwise."""
    text = str(error)
    code = getattr(error, "errno", None)
    said_full = code in (errno.ENOSPC, errno.EDQUOT) or any(m in text.lower() for m in _FULL)
    places = _places(data_paths)
    named = [Path(p) for p in _QUOTED_PATH.findall(text)]
    if isinstance(error, OSError) and error.filename:
        named.insert(0, Path(str(error.filename)))
    where = next(
        ((label, p) for p in named for label, root in places if p.is_relative_to(root)), None
    )
    if where is None and "database or disk is full" in text.lower():
        where = places[-1]  # SQLite: Dagster's run history (the warehouse is DuckDB)
    if where is None:
        nearly_full = [(free_bytes(root), label, root) for label, root in places]
        least = min(nearly_full)
        if least[0] < NEARLY_FULL_BYTES:
            where = (least[1], least[2])
        elif not said_full:
            return None
    if where is None:
        return (
            "No space left on device: a disk the run writes to is full; free some space and "
            "run again (the last good outputs stay in place)"
        )
    label, path = where
    free = free_bytes(path) // (1024 * 1024)
    return (
        f"No space left on device: {label} ({path}) is on a full disk ({free} MB free); free "
        "some space and run again (the last good outputs stay in place)"
    )


def explain(error: str, data_paths: paths.DataPaths) -> str:
    """A run's error as the user should read it: a full disk in one line, else as it is."""
    return disk_full_line(error, data_paths) or error
