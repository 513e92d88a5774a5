"""The scrutiny export: the figures a public committee paper needs, with disclosure control.

``data/published/<la>/public/scrutiny/<extract date>/`` holds

- ``scrutiny-figures.csv``: one row per KPI (grouped by business area): the latest complete
  month's value with its numerator and denominator, the same month a year earlier, the target in
  force, and the latest England and statistical-neighbour figures the DfE published;
- ``scrutiny-by-team.csv``: for the count and percentage KPIs recorded by team, each team's
  figures (by its name in the extract) for the same two months, each service area's total and
  the LA total (``by_team.py``);
- ``scrutiny-figures.xlsx``: both tables formatted for pasting into a paper, and a Notes sheet
  (symbols, the disclosure policy, periods, what the table by team suppressed and why, every
  KPI's definition and source).

Small numbers are suppressed by ``disclosure`` (``kpi_definitions/disclosure.yaml``): cells hold
``c``, ``z``, ``x`` or ``low`` instead of a number where needed. Only aggregate figures appear:
no child, worker or row identifier. The export is made in three steps:

- read (``read.py``): the tables from the warehouse, each figure rounded and suppressed as
  published (``measures.py``);
- render: the CSV tables (``columns.py``, which also names the columns) and the workbook
  (``render_xlsx.py``);
- write (here): the folder is written beside its final place and swapped in whole, so a failed
  run leaves the previous export in place.
"""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import duckdb
import polars as pl

from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.targets import Plan
from pipelines.lib.paths import public_outputs
from pipelines.lib.publish import cells, figures, folders
from pipelines.lib.publish.disclosure import DisclosurePolicy, load_policy
from pipelines.lib.publish.figures import Provenance
from pipelines.lib.publish.scrutiny.columns import BY_TEAM_COLUMNS, FIGURES_COLUMNS, csv_frame
from pipelines.lib.publish.scrutiny.read import scrutiny_tables
from pipelines.lib.publish.scrutiny.render_xlsx import render_workbook

FIGURES_CSV = "scrutiny-figures.csv"
BY_TEAM_CSV = "scrutiny-by-team.csv"
WORKBOOK = "scrutiny-figures.xlsx"


def write_workbook(
    path: Path,
    tables: dict[str, pl.DataFrame],
    definitions: Sequence[KpiDefinition],
    la_plans: Sequence[Plan],
    provenance: Provenance,
    policy: DisclosurePolicy,
) -> None:
    """The formatted workbook (``render_xlsx``), saved to ``path``."""
    render_workbook(tables, definitions, la_plans, provenance, policy).save(path)


def write_scrutiny(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract_date: dt.date,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
    published_dir: Path,
    provenance: Provenance,
    policy: DisclosurePolicy | None = None,
) -> list[Path]:
    """Write the scrutiny export of one extract to
    ``published_dir/<la>/public/scrutiny/<extract date>/`` and return its files.

    The folder is written beside its final place and swapped in whole, so a run that fails
    leaves the previous export untouched. Raises ``figures.NotPublishable`` (nothing written)
    when a blocking check of the extract failed; the caller writes the "not published" page.
    ``policy`` defaults to ``kpi_definitions/disclosure.yaml``."""
    policy = policy or load_policy()
    tables = scrutiny_tables(con, la_code, extract_date, definitions, plans, policy)
    target = public_outputs(published_dir, la_code) / "scrutiny" / extract_date.isoformat()
    with folders.replacing(target) as staging:
        cells.write_csv(
            csv_frame(tables["figures"], FIGURES_COLUMNS, policy), staging / FIGURES_CSV
        )
        cells.write_csv(
            csv_frame(tables["by_team"], BY_TEAM_COLUMNS, policy), staging / BY_TEAM_CSV
        )
        write_workbook(
            staging / WORKBOOK,
            tables,
            definitions,
            figures.la_plans(con, la_code, plans),
            provenance,
            policy,
        )
    return [target / name for name in (FIGURES_CSV, BY_TEAM_CSV, WORKBOOK)]
