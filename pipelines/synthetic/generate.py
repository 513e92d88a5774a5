"""Generate synthetic extracts for one LA: simulate its history once, then write weekly
full-history snapshots (the last ``n_extracts`` Sundays on or before the end date)."""

import datetime as dt
import json
import pathlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from pipelines.lib.contract import TABLES
from pipelines.synthetic import defects as defect_module
from pipelines.synthetic import writer
from pipelines.synthetic.model import simulate
from pipelines.synthetic.profiles import PROFILES
from pipelines.synthetic.snapshot import extract_tables
from pipelines.synthetic.workdays import day_number

Progress = Callable[[str], None]


@dataclass(frozen=True)
class GeneratedExtract:
    la_code: str
    extract_date: dt.date
    path: pathlib.Path  # <out>/<la_code>/<YYYY-MM-DD>/
    row_counts: dict[str, int]  # table name -> rows written
    # Injected defects (empty when clean): {"kind", "table", "file", "row", "column", "value"};
    # row = spreadsheet row number (header = row 1), None for a file-level defect.
    defects: list[dict] = field(default_factory=list)


def extract_dates(end: dt.date, n_extracts: int) -> list[dt.date]:
    """The last ``n_extracts`` Sundays on or before ``end``, oldest first."""
    last = end - dt.timedelta(days=(end.weekday() + 1) % 7)
    return [last - dt.timedelta(weeks=k) for k in range(n_extracts - 1, -1, -1)]


def generate_la(
    la_code: str,
    start: dt.date,
    end: dt.date,
    out: pathlib.Path,
    *,
    scale: float = 1.0,
    seed: int = 0,
    dirty: bool = False,
    la_name: str | None = None,
    profile: str = "city",
    n_extracts: int = 4,
    progress: Progress | None = None,
) -> list[GeneratedExtract]:
    """Simulate ``la_code`` from ``start`` to ``end`` and write its extracts and ``la.yaml``.

    Volumes (and the population in ``la.yaml``) are multiplied by ``scale``. The same arguments
    give byte-identical files. With ``dirty`` every extract gets the defects of
    ``defects.inject``, also listed in ``<out>/<la_code>/defects-<extract date>.json``.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; expected one of {sorted(PROFILES)}")
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    dates = extract_dates(end, n_extracts)
    if dates and dates[0] < start:
        raise ValueError(f"{n_extracts} weekly extracts before {end} start before {start}")
    say = progress or (lambda _message: None)
    prof = PROFILES[profile]
    out = pathlib.Path(out)
    la_dir = out / la_code
    la_dir.mkdir(parents=True, exist_ok=True)

    say(f"{la_code}: simulating {start.isoformat()}..{end.isoformat()}")
    history = simulate(la_code, prof, start, end, scale, seed)
    writer.write_la_yaml(
        la_dir / "la.yaml",
        la_name or f"LA {la_code} (fictional)",
        history.population,
        history.teams,
        prof.targets,
        (start, end),
        prof.benchmarks,
    )
    results = []
    for extract_date in dates:
        folder = la_dir / extract_date.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        say(f"{la_code}: writing extract {extract_date.isoformat()} ({len(TABLES)} tables)")
        defects_path = la_dir / f"defects-{extract_date.isoformat()}.json"
        counts: dict[str, int] = {}
        # Tables are formatted and written one at a time; in a dirty extract the tables that
        # get defects are held back until every defect is planted.
        held: dict[str, pl.DataFrame] = {}
        for name, table in extract_tables(history, day_number(extract_date)):
            frame = writer.format_table(name, table)
            if dirty and name in defect_module.TABLES_WITH_DEFECTS:
                held[name] = frame
            elif frame.is_empty():
                # Nothing to report (a tiny scale): the table is left out, as a case system
                # would; a header-only file is a file-level defect that rejects the extract.
                writer.remove_other_formats(folder, name, "")
                counts[name] = 0
            else:
                _write(folder, name, frame, xlsx=False)
                counts[name] = frame.height
        found: list[dict] = []
        if dirty:
            rng = np.random.default_rng(
                [seed, zlib.crc32(la_code.encode()), day_number(extract_date)]
            )
            held, found = defect_module.inject(held, rng)
            for name, frame in held.items():
                _write(folder, name, frame, xlsx=name == defect_module.XLSX_TABLE)
                counts[name] = frame.height
        counts = {t.name: counts[t.name] for t in TABLES}
        if dirty:
            defects_path.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
        else:
            defects_path.unlink(missing_ok=True)
        results.append(GeneratedExtract(la_code, extract_date, folder, counts, found))
    return results


def _write(folder: pathlib.Path, name: str, frame: pl.DataFrame, *, xlsx: bool) -> None:
    if xlsx:
        writer.remove_other_formats(folder, name, ".xlsx")
        writer.write_xlsx(frame, name, folder / f"{name}.xlsx", defect_module.XLSX_BLANK_ROWS)
    else:
        writer.remove_other_formats(folder, name, ".csv")
        writer.write_csv(frame, folder / f"{name}.csv")
