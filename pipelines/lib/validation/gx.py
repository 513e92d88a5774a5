"""The one place that talks to Great Expectations.

GX 1.x runs here with an ephemeral context (nothing written to disk, no generated ``gx/`` folder),
created once per process so its import and set-up are paid once per run, not once per check.
GX has no Polars backend and no DuckDB dialect: frames are converted to pandas here, and only
here (``to_pandas``).
"""

import itertools
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import polars as pl

# Rows shown as examples per failed expectation (row number and column; values only where safe).
EXAMPLES = 5
ROW = "source_row"


@dataclass(frozen=True)
class Check:
    """One expectation with what it means and how bad its failure is."""

    expectation: Any  # a gx.expectations.Expectation
    column: str | None
    description: str
    severity: str = "error"  # error: blocks what depends on the asset; warning: reported only
    show_values: bool = True  # False for identifiers: examples give the row, not the value


@dataclass
class CheckResult:
    description: str
    column: str | None
    severity: str
    success: bool
    element_count: int
    unexpected_count: int
    unexpected_percent: float
    examples: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SuiteResult:
    suite: str
    results: list[CheckResult]

    @property
    def evaluated(self) -> int:
        return len(self.results)

    @property
    def successful(self) -> int:
        return sum(r.success for r in self.results)

    @property
    def success_percent(self) -> float:
        return 100.0 * self.successful / self.evaluated if self.evaluated else 100.0

    @property
    def errors(self) -> list[CheckResult]:
        return [r for r in self.results if not r.success and r.severity == "error"]

    @property
    def warnings(self) -> list[CheckResult]:
        return [r for r in self.results if not r.success and r.severity == "warning"]


def to_pandas(frame: pl.DataFrame) -> Any:
    """Polars -> pandas, with numpy dtypes (GX's pandas execution is fastest on those)."""
    return frame.to_pandas()


@cache
def _context() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


_names = itertools.count()


def run_suite(
    name: str, frame: pl.DataFrame, checks: list[Check], examples_per_check: int | None = EXAMPLES
) -> SuiteResult:
    """Validate ``frame`` (which must have ``source_row`` when rows are to be named). With
    ``examples_per_check=None`` every failing row is returned as an example."""
    import great_expectations as gx

    if not checks:
        return SuiteResult(name, [])
    context = _context()
    number = next(_names)
    source = context.data_sources.add_pandas(f"frame_{number}")
    batch = source.add_dataframe_asset(f"asset_{number}").add_batch_definition_whole_dataframe(
        "all"
    )
    suite = context.suites.add(
        gx.ExpectationSuite(name=f"{name}_{number}", expectations=[c.expectation for c in checks])
    )
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"validation_{number}", data=batch, suite=suite)
    )
    index = [ROW] if ROW in frame.columns else []
    outcome = definition.run(
        batch_parameters={"dataframe": to_pandas(frame)},
        result_format={
            "result_format": "SUMMARY" if examples_per_check else "COMPLETE",
            "partial_unexpected_count": examples_per_check or 0,
            **({"unexpected_index_column_names": index} if index else {}),
        },
    )
    results = []
    for check, result in zip(checks, outcome.results, strict=True):
        detail = result.result or {}
        examples = []
        found = detail.get("partial_unexpected_index_list") or []
        if examples_per_check is None:
            found = detail.get("unexpected_index_list") or []
        for item in found[: examples_per_check or None]:
            example: dict[str, Any] = {"row": int(item[ROW])} if ROW in item else {}
            if check.column:
                example["column"] = check.column
                if check.show_values:
                    example["value"] = _plain(item.get(check.column))
            examples.append(example)
        results.append(
            CheckResult(
                description=check.description,
                column=check.column,
                severity=check.severity,
                success=bool(result.success),
                element_count=int(detail.get("element_count") or frame.height),
                unexpected_count=int(detail.get("unexpected_count") or 0),
                unexpected_percent=float(detail.get("unexpected_percent") or 0.0),
                examples=examples,
            )
        )
    context.validation_definitions.delete(definition.name)
    context.suites.delete(suite.name)
    context.data_sources.delete(source.name)
    return SuiteResult(name, results)


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value
