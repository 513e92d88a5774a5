"""Golden-test harness: write a tiny extract, load it as the pipeline does, compute KPIs.

Usage in a test::

    out = run_kpis(tmp_path, {"ssd_contacts": CSV, ...}, "2023-05-14", ["contacts_received"])
    assert out.value("contacts_received", "month", "2023-05-31") == (7, None, 7)
"""

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.lib import ingest, warehouse
from pipelines.lib.calendar import install_calendar
from pipelines.lib.kpi.definitions import KpiDefinition, load_definitions
from pipelines.lib.kpi.engine import compute_extract
from tests.conftest import LA_YAML, write_extract

Row = tuple[float | None, float | None, float | None]


@dataclass
class KpiOutput:
    values: pl.DataFrame
    by_dimension: pl.DataFrame
    availability: pl.DataFrame

    def row(self, kpi_id: str, grain: str, period_end: str) -> Row:
        """(numerator, denominator, value) of one period; integral numbers come back as int."""
        found = self.values.filter(
            (pl.col("kpi_id") == kpi_id)
            & (pl.col("grain") == grain)
            & (pl.col("period_end") == dt.date.fromisoformat(period_end))
        )
        assert found.height == 1, f"{kpi_id} {grain} {period_end}: {found.height} rows"
        record = found.row(0, named=True)
        return tuple(_tidy(record[k]) for k in ("numerator", "denominator", "value"))  # type: ignore[return-value]

    def period(self, kpi_id: str, grain: str, period_end: str) -> tuple[str, str]:
        found = self.values.filter(
            (pl.col("kpi_id") == kpi_id)
            & (pl.col("grain") == grain)
            & (pl.col("period_end") == dt.date.fromisoformat(period_end))
        )
        record = found.row(0, named=True)
        return record["period_start"].isoformat(), record["period_end"].isoformat()

    def dimension(
        self, kpi_id: str, dimension: str, grain: str, period_end: str
    ) -> dict[str | None, Row]:
        found = self.by_dimension.filter(
            (pl.col("kpi_id") == kpi_id)
            & (pl.col("dimension") == dimension)
            & (pl.col("grain") == grain)
            & (pl.col("period_end") == dt.date.fromisoformat(period_end))
        )
        return {
            r["dimension_value"]: tuple(_tidy(r[k]) for k in ("numerator", "denominator", "value"))  # type: ignore[misc]
            for r in found.iter_rows(named=True)
        }

    def available(self, kpi_id: str) -> tuple[bool, str | None]:
        record = self.availability.filter(pl.col("kpi_id") == kpi_id).row(0, named=True)
        return record["available"], record["reason"]


def _tidy(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 6)


def run_kpis(
    tmp_path: Path,
    tables: dict[str, str],
    extract_date: str,
    kpi_ids: list[str] | None = None,
    la_yaml: str = LA_YAML,
    earlier_extracts: dict[str, dict[str, str]] | None = None,
    parameters: dict[str, dict[str, Any]] | None = None,
    extra: list[KpiDefinition] | None = None,
) -> KpiOutput:
    """Load the extract (and any earlier ones, for current-state tables) and compute KPIs;
    ``parameters`` (KPI id -> {name: value}) overrides the values of the KPIs' YAMLs; ``extra``
    adds definitions made in the test (the engine's own tests)."""
    inbox = tmp_path / "inbox"
    for day, earlier in (earlier_extracts or {}).items():
        write_extract(inbox, "900", day, earlier, la_yaml=la_yaml)
    write_extract(inbox, "900", extract_date, tables, la_yaml=la_yaml)
    db = tmp_path / "csc.duckdb"
    definitions = [k for k in load_definitions() if kpi_ids is None or k.id in kpi_ids]
    assert kpi_ids is None or len(definitions) == len(kpi_ids), "unknown KPI id in the test"
    definitions += extra or []
    for kpi_id, values in (parameters or {}).items():
        definitions = [
            replace(k, parameters={**k.parameters, **values}) if k.id == kpi_id else k
            for k in definitions
        ]
    la = ingest.scan_la(inbox, "900")
    assert la.config is not None, la.config_error
    with warehouse.connect(db, write=True) as con:
        warehouse.ensure_schema(con)
        install_calendar(con)
        ingest.save_la_config(con, la.config)
        for extract in la.extracts:
            result = ingest.receive_extract(con, extract)
            assert result.status == "received", result.file_errors
        ingest.stage_received(con, "900")
        # Orphan references are only flagged (the row is kept); anything else is a fixture error.
        issues = con.execute(
            """select source_file, source_row, column_name, rule from stg.quarantine
               where action <> 'row_flagged'"""
        ).fetchall()
        assert issues == [], f"the fixture itself has defects: {issues}"
        compute_extract(con, definitions, "900", dt.date.fromisoformat(extract_date))
        day = dt.date.fromisoformat(extract_date)
        values = con.execute("select * from kpi.kpi_values where extract_date = ?", [day]).pl()
        by_dimension = con.execute(
            "select * from kpi.kpi_values_by_dimension where extract_date = ?", [day]
        ).pl()
        availability = con.execute(
            "select * from kpi.kpi_availability where extract_date = ?", [day]
        ).pl()
    return KpiOutput(values, by_dimension, availability)
