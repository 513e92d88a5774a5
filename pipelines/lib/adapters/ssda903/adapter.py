"""The SSDA903 adapter: which files it claims, and one extract folder's files read, joined and
mapped to contract tables."""

import datetime as dt
from pathlib import Path

from pipelines.lib.adapters.base import NOT_USED, Adapted, AdapterNote
from pipelines.lib.adapters.reference_dates import ssda903_reference
from pipelines.lib.adapters.ssda903.dates import parse_903_date
from pipelines.lib.adapters.ssda903.joining import Returns
from pipelines.lib.adapters.ssda903.mapping import contract_tables
from pipelines.lib.adapters.ssda903.reading import (
    Source,
    csv_header,
    read_csv_source,
    read_xml_sources,
    source_years,
    table_by_columns,
    table_by_name,
    xml_root,
)
from pipelines.lib.adapters.ssda903.spec import SOURCE_FORMAT, UNUSED_TABLES, XML_ROOT


class Ssda903Adapter:
    """The SSDA903 return (CSV tables or XML) as contract tables."""

    source_format = SOURCE_FORMAT
    label = "SSDA903 return"  # how outputs name the format

    def claims(self, path: Path) -> bool:
        suffix = path.suffix.lower()
        if suffix == ".xml":
            return (xml_root(path) or "").upper() == XML_ROOT
        if suffix != ".csv":
            return False
        return table_by_name(path) is not None or table_by_columns(csv_header(path)) is not None

    def adapt(self, paths: list[Path], extract_date: dt.date) -> Adapted:
        notes: list[AdapterNote] = []
        sources: list[Source] = []
        for path in sorted(paths):
            if path.suffix.lower() == ".xml":
                sources.extend(read_xml_sources(path, notes))
            else:
                sources.append(read_csv_source(path))
        years = source_years(sources, extract_date)
        out = Adapted(SOURCE_FORMAT)
        returns = Returns(notes)
        for src in sources:
            if src.table in UNUSED_TABLES:
                if src.path.suffix.lower() != ".xml":
                    notes.append(
                        AdapterNote(
                            str(src.path),
                            "903_table_not_used",
                            f"{len(src.rows)} rows not loaded: {UNUSED_TABLES[src.table]}",
                            NOT_USED,
                        )
                    )
                continue
            returns.add(src, years[id(src)])
        out.tables = contract_tables(returns)
        out.notes = notes
        latest = max(years.values(), default=extract_date.year)
        out.reference_date = dt.date(latest, 3, 31)
        out.reference_dates = [
            ssda903_reference(
                src.path,
                years[id(src)],
                max(
                    filter(None, (parse_903_date(r.get("DECOM")) for _, r in src.rows)),
                    default=None,
                ),
                any(r.get("YEAR") for _, r in src.rows),
            )
            for src in sources
            if src.table == "episodes"
        ]
        return out


ADAPTER = Ssda903Adapter()
