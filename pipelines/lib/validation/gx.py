"""The one place that talks to Great Expectations.

GX 1.x runs here with an ephemeral context (nothing written to disk, no generated ``gx/`` folder),
created once per process so its import and set-up are paid once per run, not once per check;
suites are run on a batch directly, without being saved in the context.
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
TAG = "csc_check"  # key in an expectation's meta: the position of its check in the suite


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
def _batches() -> Any:
    """The ephemeral context's one pandas data source and batch definition: every frame is
    validated through them, and suites are not saved (each save wrote the context's settings
    out again: a quarter of what a validation cost)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("frames")
    return source.add_dataframe_asset("frame").add_batch_definition_whole_dataframe("all")


_names = itertools.count()


def run_suite(
    name: str, frame: pl.DataFrame, checks: list[Check], examples_per_check: int | None = EXAMPLES
) -> SuiteResult:
    """Validate ``frame`` (which must have ``source_row`` when rows are to be named). With
    ``examples_per_check=None`` every failing row is returned as an example."""
    import great_expectations as gx
    from great_expectations.validator.v1_validator import Validator

    if not checks:
        return SuiteResult(name, [])
    # Each expectation carries its check's position in ``meta``: GX returns results grouped by
    # column, not in suite order, so a result is paired with its check by this tag alone.
    tagged = [c.expectation.copy(update={"meta": {TAG: i}}) for i, c in enumerate(checks)]
    suite = gx.ExpectationSuite(name=f"{name}_{next(_names)}", expectations=tagged)
    index = [ROW] if ROW in frame.columns else []
    # Only the columns the checks read go to pandas: GX fingerprints the whole frame it is given.
    wanted: set[str | None] = {*index, *(c.column for c in checks if c.column)}
    wanted |= {getattr(c.expectation, "column", None) for c in checks}
    if None not in wanted:
        frame = frame.select(c for c in frame.columns if c in wanted)
    # What ``ValidationDefinition.run`` does, without saving the suite, the definition and the
    # results in the context's stores.
    validator = Validator(
        batch_definition=_batches(),
        batch_parameters={"dataframe": to_pandas(frame)},
        result_format={
            "result_format": "SUMMARY" if examples_per_check else "COMPLETE",
            "partial_unexpected_count": examples_per_check or 0,
            **({"unexpected_index_column_names": index} if index else {}),
        },
    )
    outcome = validator.validate_expectation_suite(suite)
    results: list[CheckResult | None] = [None] * len(checks)
    for result in outcome.results:
        position = result.expectation_config.meta[TAG]  # type: ignore[union-attr]
        check = checks[position]
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
        results[position] = CheckResult(
            description=check.description,
            column=check.column,
            severity=check.severity,
            success=bool(result.success),
            element_count=int(detail.get("element_count") or frame.height),
            unexpected_count=int(detail.get("unexpected_count") or 0),
            unexpected_percent=float(detail.get("unexpected_percent") or 0.0),
            examples=examples,
        )
    missing = [checks[i].description for i, r in enumerate(results) if r is None]
    if missing:
        raise RuntimeError(f"{name}: Great Expectations returned no result for {missing}")
    return SuiteResult(name, [r for r in results if r is not None])


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value
