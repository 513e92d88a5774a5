"""Turn validation results into Dagster asset check results (metadata an analyst can act on)."""

import dagster as dg

from pipelines.lib.kpi.withholding import Withheld
from pipelines.lib.validation.gx import SuiteResult

SUITE_CHECK = "gx_suite"
INPUTS_CHECK = "inputs_valid"


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


def inputs_check(asset_key: dg.AssetKey, withheld: list[Withheld]) -> dg.AssetCheckResult:
    """A KPI's `inputs_valid` check: failed (ERROR, shown red in the UI, but blocking nothing
    else) when the KPI is withheld, naming the table, rule, rows, since when and the values kept."""
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=INPUTS_CHECK,
        passed=not withheld,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "withheld": bool(withheld),
            "since": str(min(w.since for w in withheld)) if withheld else "",
            "reasons": dg.MetadataValue.md("\n".join(f"- {w.line()}" for w in withheld) or "none"),
        },
    )
