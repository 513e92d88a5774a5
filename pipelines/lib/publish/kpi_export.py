"""The KPI figures as a file an analyst opens (``csc-kpis export kpis``): CSV through the
formula-safe writer, or Parquet."""

from pathlib import Path

import polars as pl

from pipelines.lib.publish import cells


def _number(column: str) -> pl.Expr:
    """Numbers as an analyst expects them in a CSV: 12 not 12.0, at most 6 decimals, blank
    for none."""
    value = pl.col(column).round(6)
    integral = value == value.round(0)
    return (
        pl.when(value.is_null())
        .then(pl.lit(None, dtype=pl.String))
        .when(integral)
        .then(value.cast(pl.Int64).cast(pl.String))
        .otherwise(value.cast(pl.String))
        .alias(column)
    )


def write_kpi_export(frame: pl.DataFrame, out: Path, file_format: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if file_format == "parquet":
        frame.write_parquet(out)
        return
    text = frame.with_columns(
        *[_number(c) for c in ("numerator", "denominator", "value")],
        *[pl.col(c).cast(pl.String) for c in ("period_start", "period_end", "extract_date")],
    )
    cells.write_csv(text, out)
