"""Validation with Great Expectations: suites for staged tables and KPI outputs (no Dagster)."""
