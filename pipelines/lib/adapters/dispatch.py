"""Which statutory format each file of an extract folder is, and one set of tables from them all.

A council without the Standard Safeguarding Dataset drops its statutory returns in the inbox as
it has them (``header.csv``, ``episodes.csv``, ``cin*.xml``, ``Annex_A*.xlsx``,
``*workforce*.xml``), alone or beside SSD files. Each file is offered to the adapters in turn;
the first that claims it reads it. When two sources give the same contract table:

- a table delivered as an SSD file wins over any statutory source;
- otherwise the more detailed source wins the whole table, in the order of ``PRIORITY`` (the CIN
  census has every assessment and plan of the year with its dates; Annex A lists the same events
  with fewer fields); the other source's rows for that table are not used, and a note says so;
- except ``ssd_person``: every source knows some children, so children are merged by id, each
  column taken from the first source (in ``PRIORITY`` order) that has a value. A child's row keeps
  the file and row of the source it was first found in.

Then rows dated after the extract date are left out, with a note (``late_rows``), and every
table's rows are settled (``settle``): exact repeats dropped, made ids made unique where no
other row links to them; and a return whose own date is after the folder's rejects the
delivery with one line saying what to rename the folder to (``reference_dates``).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.lib.adapters import annex_a, late_rows, reference_dates, settle
from pipelines.lib.adapters.base import NOT_USED, Adapted, AdaptedTable, Adapter, AdapterNote
from pipelines.lib.adapters.registry import ADAPTERS, FORMAT_LABELS
from pipelines.lib.readers import ROW_COLUMN, FileLevelError

# Most detailed first: the order a table's source is chosen in (adapters/registry.py).
PRIORITY = tuple(a.source_format for a in ADAPTERS)
PERSON = ("ssd_person", "pers_person_id")


@dataclass
class AdaptedFolder:
    """Every statutory file of one extract folder, as contract tables.

    ``parts[table]`` is one or more single-file pieces (several only for ``ssd_person``, whose
    children come from every source; their ids do not overlap)."""

    parts: dict[str, list[AdaptedTable]] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)  # table -> source format
    claimed: dict[str, str] = field(default_factory=dict)  # file name -> source format
    notes: list[tuple[str, AdapterNote]] = field(default_factory=list)  # (format, note)
    errors: list[FileLevelError] = field(default_factory=list)


def claim(path: Path) -> Adapter | None:
    """The adapter whose format this file is, if any."""
    for adapter in ADAPTERS:
        try:
            if adapter.claims(path):
                return adapter
        except OSError:
            return None
    return None


def adapt_folder(
    files: Sequence[Path], extract_date: dt.date, ssd_tables: Sequence[str] = ()
) -> AdaptedFolder:
    """Read the statutory files among ``files`` (those no SSD table name matched).

    ``ssd_tables``: tables the folder also delivers as SSD files; those win."""
    out = AdaptedFolder()
    by_adapter: dict[str, list[Path]] = {}
    adapters = {a.source_format: a for a in ADAPTERS}
    for path in files:
        adapter = claim(path)
        if adapter is not None:
            by_adapter.setdefault(adapter.source_format, []).append(path)
            out.claimed[path.name] = adapter.source_format
    results: list[Adapted] = []
    for source_format in PRIORITY:
        paths = by_adapter.get(source_format)
        if not paths:
            continue
        try:
            adapted = adapters[source_format].adapt(sorted(paths), extract_date)
        except FileLevelError as exc:
            out.errors.append(exc)
            continue
        except Exception as exc:  # a library failing on a malformed file: reject, say which
            detail = (str(exc).splitlines() or [""])[0]
            names = ", ".join(p.name for p in paths)
            out.errors.append(
                FileLevelError(
                    names,
                    f"cannot be read as {FORMAT_LABELS[source_format]} "
                    f"({type(exc).__name__}: {detail})",
                )
            )
            continue
        out.notes.extend((adapted.source_format, n) for n in adapted.notes)
        results.append(adapted)
    refs = [r for a in results for r in a.reference_dates]
    refs += reference_dates.annex_a_dates(by_adapter.get(annex_a.SOURCE_FORMAT, []))
    pieces = [piece for a in results for piece in a.tables]
    out.errors.extend(reference_dates.folder_date_problems(refs, pieces, extract_date))
    _choose_sources(out, results, set(ssd_tables))
    late = late_rows.LateRows(extract_date)
    formats = {}
    for table, pieces in out.parts.items():
        out.parts[table], repeats = settle.settle(table, late.drop(table, pieces))
        out.notes.extend((out.formats[table], note) for note in repeats)
        formats.update({p.source_name: out.formats[table] for p in pieces})
    out.notes.extend((formats[n.source_file], n) for n in late.notes())
    return out


def _choose_sources(out: AdaptedFolder, results: list[Adapted], ssd_tables: set[str]) -> None:
    persons: list[tuple[str, AdaptedTable]] = []
    for adapted in results:  # in PRIORITY order
        for piece in adapted.tables:
            table = piece.table
            if table == PERSON[0] and table not in ssd_tables:
                persons.append((adapted.source_format, piece))
                continue
            winner = "ssd" if table in ssd_tables else out.formats.get(table)
            if winner is not None and not (winner == adapted.source_format and table in out.parts):
                out.notes.append(
                    (
                        adapted.source_format,
                        AdapterNote(
                            source_file=piece.source_file.name,
                            rule="table_from_other_source",
                            message=(
                                f"{table} is taken from the {FORMAT_LABELS[winner]}; the "
                                f"{piece.frame.height} rows this file gives for it are not used"
                            ),
                            action=NOT_USED,
                        ),
                    )
                )
                continue
            if table in out.parts:  # a second file of the same format (e.g. two years of 903)
                out.parts[table].append(piece)
            else:
                out.parts[table] = [piece]
                out.formats[table] = adapted.source_format
    if persons:
        out.parts[PERSON[0]] = merge_persons([p for _, p in persons])
        out.formats[PERSON[0]] = persons[0][0]


def merge_persons(pieces: list[AdaptedTable]) -> list[AdaptedTable]:
    """Children from several sources, one row each: a child's row comes from the first piece
    that has them; blank columns are filled from the later pieces, in order."""
    key = PERSON[1]
    if len(pieces) == 1:
        return pieces
    columns = sorted({c for p in pieces for c in p.frame.columns if c != ROW_COLUMN})
    frames = [
        p.frame.with_columns(
            [pl.lit(None, dtype=pl.String).alias(c) for c in columns if c not in p.frame.columns]
        )
        .select(ROW_COLUMN, *columns)
        .with_columns(pl.lit(i).alias("__piece"))
        for i, p in enumerate(pieces)
    ]
    stacked = pl.concat(frames)
    owner = pl.col("__piece").min().over(key)
    # The first piece that has a child keeps all its rows for them (staging judges repeats);
    # blank columns are filled from the later pieces, the first value in piece and row order.
    kept = stacked.filter(pl.col(key).is_null() | (pl.col("__piece") == owner))
    later = stacked.filter(pl.col(key).is_not_null() & (pl.col("__piece") > owner))
    others = [c for c in columns if c != key]
    fills = (
        later.sort("__piece", ROW_COLUMN)
        .group_by(key)
        .agg([pl.col(c).drop_nulls().first().alias(f"__fill_{c}") for c in others])
    )
    merged = kept.join(fills, on=key, how="left").with_columns(
        [pl.coalesce(c, f"__fill_{c}").alias(c) for c in others]
    )
    merged = merged.select(ROW_COLUMN, *columns, "__piece")
    return [
        AdaptedTable(
            table=piece.table,
            frame=merged.filter(pl.col("__piece") == i).drop("__piece").sort(ROW_COLUMN),
            source_file=piece.source_file,
            sheet=piece.sheet,
        )
        for i, piece in enumerate(pieces)
        if not merged.filter(pl.col("__piece") == i).is_empty()
    ]
