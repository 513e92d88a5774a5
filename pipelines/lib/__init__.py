"""Plain Python (no Dagster): everything that can be tested without an orchestrator."""
