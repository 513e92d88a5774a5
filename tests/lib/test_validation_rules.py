"""Each validation rule, broken on purpose in a small staged frame, is reported as itself: its own
description, column and rows (Great Expectations returns results grouped by column, not in the
suite's order, and they were once paired with the wrong checks)."""

import datetime as dt

import polars as pl
import pytest

from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.validation.gx import CheckResult, run_suite
from pipelines.lib.validation.suites import prepare

EXTRACT = dt.date(2024, 3, 31)
N = 50  # one bad row in 50 is 2%: over the 1% that plausibility rules allow
D = dt.date(2023, 6, 1)


def _plans(**changes: dict[int, object]) -> pl.DataFrame:
    """50 good CP plans (spreadsheet rows 2-51); ``changes`` sets column -> {row: value}."""
    columns: dict[str, list[object]] = {
        "source_row": list(range(2, N + 2)),
        "cppl_cp_plan_id": [f"P{i}" for i in range(N)],
        "cppl_person_id": ["C1"] * N,
        "cppl_icpc_id": [None] * N,
        "cppl_cp_plan_start_date": [D] * N,
        "cppl_cp_plan_end_date": [D + dt.timedelta(days=30)] * N,
        "cppl_cp_plan_initial_category": ["NEG"] * N,
        "cppl_cp_plan_latest_category": ["NEG"] * N,
    }
    for column, rows in changes.items():
        for row, value in rows.items():
            columns[column][row - 2] = value
    return pl.DataFrame(columns, schema_overrides={"cppl_icpc_id": pl.String})


def _validate(frame: pl.DataFrame, table: str = "ssd_cp_plans") -> dict[str, CheckResult]:
    people = pl.DataFrame(
        {"pers_person_id": ["C1"], "pers_dob": [dt.date(2015, 1, 1)]},
    )
    prepared, checks = prepare(TABLES_BY_NAME[table], {table: frame, "ssd_person": people}, EXTRACT)
    result = run_suite(table, prepared, checks)
    return {r.description: r for r in result.results}


def _only_failure(results: dict[str, CheckResult]) -> CheckResult:
    failed = [r for r in results.values() if not r.success]
    assert len(failed) == 1, [r.description for r in failed]
    return failed[0]


@pytest.mark.parametrize(
    ("changes", "description", "column", "row"),
    [
        ({"cppl_person_id": {7: None}}, "cppl_person_id is always filled", "cppl_person_id", 7),
        (
            {"cppl_cp_plan_latest_category": {9: "XYZ"}},
            "cppl_cp_plan_latest_category holds only known codes",
            "cppl_cp_plan_latest_category",
            9,
        ),
        (
            {"cppl_cp_plan_end_date": {11: dt.date(2099, 1, 1)}},
            f"cppl_cp_plan_end_date is not after the extract date ({EXTRACT})",
            "cppl_cp_plan_end_date",
            11,
        ),
        (
            {"cppl_cp_plan_id": {13: "P0"}},
            "cppl_cp_plan_id identifies one row",
            "cppl_cp_plan_id",
            13,
        ),
        (
            {"cppl_cp_plan_end_date": {15: D - dt.timedelta(days=1)}},
            "cppl_cp_plan_end_date is not before cppl_cp_plan_start_date",
            "cppl_cp_plan_end_date",
            15,
        ),
        (
            {"cppl_person_id": {17: "C9"}},
            "cppl_person_id is in ssd_person (no plans without a person)",
            "cppl_person_id",
            17,
        ),
    ],
)
def test_each_rule_is_reported_as_itself(
    changes: dict[str, dict[int, object]], description: str, column: str, row: int
) -> None:
    failed = _only_failure(_validate(_plans(**changes)))
    assert failed.description == description
    assert failed.column == column
    assert failed.unexpected_count == (2 if "identifies one row" in description else 1)
    assert row in [e["row"] for e in failed.examples]
    assert {e["column"] for e in failed.examples} == {column}


def test_contacts_dated_2099_are_the_date_rule_not_the_code_rule() -> None:
    """The case from issue 13: valid source codes, three contact dates in 2099."""
    n = 100
    frame = pl.DataFrame(
        {
            "source_row": list(range(2, n + 2)),
            "cont_contact_id": [f"K{i}" for i in range(n)],
            "cont_person_id": ["C1"] * n,
            "cont_contact_date": [dt.datetime(2024, 1, 2, 9, 30)] * n,
            "cont_contact_source_code": ["2B"] * n,
            "cont_contact_outcome_json": [None] * n,
        },
        schema_overrides={"cont_contact_outcome_json": pl.String},
    ).with_columns(
        pl.when(pl.col("source_row").is_in([3, 40, 77]))
        .then(dt.datetime(2099, 1, 1))
        .otherwise(pl.col("cont_contact_date"))
        .alias("cont_contact_date")
    )
    results = _validate(frame, "ssd_contacts")
    failed = _only_failure(results)
    assert failed.description == f"cont_contact_date is not after the extract date ({EXTRACT})"
    assert failed.column == "cont_contact_date"
    assert failed.unexpected_count == 3
    assert [e["row"] for e in failed.examples] == [3, 40, 77]
    assert results["cont_contact_source_code holds only known codes"].success
