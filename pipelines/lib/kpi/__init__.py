"""The KPI engine: declarative definitions in ``kpi_definitions/``, computed in DuckDB."""
