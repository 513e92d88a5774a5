"""Turn validation results into Dagster asset check results (metadata an analyst can act on)."""

import dagster as dg

from pipelines.lib.validation.gx import SuiteResult

SUITE_CHECK = "gx_suite"


def check_result(asset_key: dg.AssetKey, suite: SuiteResult | None) -> dg.AssetCheckResult:
    """Passed unless an expectation failed; ERROR (blocking) when an error-level one failed."""
    if suite is None:
        return dg.AssetCheckResult(
            asset_key=asset_key,
            check_name=SUITE_CHECK,
            passed=True,
            metadata={"note": "no rows in the current extract: nothing to validate"},
        )
    failed = suite.errors + suite.warnings
    lines = [
        f"- **{r.severity}**: {r.description}: {r.unexpected_count:,} of {r.element_count:,} rows"
        + (
            " (e.g. "
            + "; ".join(
                f"row {e['row']}" + (f" {e['column']}={e['value']!r}" if "value" in e else "")
                for e in r.examples
                if "row" in e
            )
            + ")"
            if r.examples
            else ""
        )
        for r in failed
    ]
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=SUITE_CHECK,
        passed=not failed,
        severity=dg.AssetCheckSeverity.ERROR if suite.errors else dg.AssetCheckSeverity.WARN,
        metadata={
            "evaluated_expectations": suite.evaluated,
            "successful_expectations": suite.successful,
            "success_percent": round(suite.success_percent, 2),
            "unexpected_rows": sum(r.unexpected_count for r in failed),
            "failures": dg.MetadataValue.md("\n".join(lines) or "none"),
        },
    )
