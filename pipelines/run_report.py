"""What one `csc-kpis run` did for each LA, and the exit code of the whole run."""

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import duckdb


@dataclass
class LARunReport:
    la_code: str
    success: bool
    new_deliveries: list[tuple[str, str, str]] = field(default_factory=list)  # date, id, status
    defects: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # folders in the inbox that are not extracts
    validation_failures: list[str] = field(default_factory=list)
    error: str | None = None
    refused: str | None = None  # not an LA folder: why it was skipped before any run
    clinic_pack: Path | None = None
    not_published: Path | None = None
    withheld: list[str] = field(default_factory=list)  # KPIs published without: why, since

    @property
    def rejected(self) -> list[tuple[str, str, str]]:
        return [d for d in self.new_deliveries if d[2] == "rejected"]


# ``csc-kpis run`` exit codes: every LA published in full; published with KPIs withheld;
# nothing published for an LA (a rejected delivery, failed checks, or an error).
ALL_PUBLISHED, NOTHING_PUBLISHED, KPIS_WITHHELD = 0, 1, 3


def withheld_lines(con: duckdb.DuckDBPyConnection, la_code: str) -> list[str]:
    """The KPIs withheld from the LA's newest computed extract: per failed table, since when and
    why on one line, then the KPIs it withholds, wrapped for a terminal."""
    from pipelines.lib.kpi.outputs import newest_extract
    from pipelines.lib.publish.gating import shown_withheld, summary_parts

    extract = newest_extract(con, la_code)
    parts = summary_parts(shown_withheld(con, la_code, extract)) if extract else []
    return [
        f"{since}, {why}\n"
        + textwrap.fill(
            ", ".join(kpis), 100, initial_indent="    KPIs: ", subsequent_indent="          "
        )
        for since, kpis, why in parts
    ]


def exit_status(reports: list[LARunReport]) -> int:
    """One code for the whole run: the worst LA's."""
    if any(r.refused or r.rejected or not r.success for r in reports):
        return NOTHING_PUBLISHED
    if any(r.withheld for r in reports):
        return KPIS_WITHHELD
    return ALL_PUBLISHED
