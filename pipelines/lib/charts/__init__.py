"""Altair charts of KPI series (no Dagster here)."""
