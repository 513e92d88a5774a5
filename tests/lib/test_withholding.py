"""Withholding and the per-KPI publishing gate on a hand-made warehouse (no pipeline run).

Two KPIs: ``a`` reads ssd_contacts, ``b`` reads ssd_cin_episodes. Three extracts: 7, 14 and 21
January. ssd_contacts fails a blocking check on 14 and 21 January, so ``a`` is withheld since 14
January and shows the 7 January value (1.0) on both; ``b`` shows each extract's own (10, 20, 30).
"""

import datetime as dt
from dataclasses import dataclass

import duckdb
import pytest

from pipelines.lib.kpi.engine import ensure_kpi_schema
from pipelines.lib.kpi.withholding import withheld_kpis, withhold_extract
from pipelines.lib.publish import gating
from pipelines.lib.validation.run import ensure_results_table

LA = "900"
E1, E2, E3 = dt.date(2024, 1, 7), dt.date(2024, 1, 14), dt.date(2024, 1, 21)
RULE = "cont_contact_date is not after the extract date"


@dataclass(frozen=True)
class Kpi:
    id: str
    all_tables: tuple[str, ...]


KPIS = [Kpi("a", ("ssd_contacts", "ssd_person")), Kpi("b", ("ssd_cin_episodes",))]


def _compute(con: duckdb.DuckDBPyConnection, extract: dt.date, a: float, b: float) -> None:
    """What the engine leaves for one extract: a month's value of each KPI, both available."""
    con.execute("insert into kpi.kpi_runs values (?, ?, 'h', 2, 2, 'd')", [LA, extract])
    for kpi, value in (("a", a), ("b", b)):
        con.execute(
            """insert into kpi.kpi_values values
               (?, ?, 'month', date '2023-12-01', date '2023-12-31', null, null, ?, 'number', ?)""",
            [LA, kpi, value, extract],
        )
        con.execute("insert into kpi.kpi_availability values (?, ?, ?, true, null)",
                    [LA, extract, kpi])  # fmt: skip


def _result(
    con: duckdb.DuckDBPyConnection, extract: dt.date, layer: str, asset: str, rule: str, ok: bool
) -> None:
    con.execute(
        """insert into meta.validation_results values
           (?, ?, ?, ?, ?, null, 'error', ?, 3, ?, 0, '[]')""",
        [LA, extract, layer, asset, rule, ok, 0 if ok else 2],
    )


def _value(con: duckdb.DuckDBPyConnection, extract: dt.date, kpi: str) -> float:
    row = con.execute(
        "select value from kpi.kpi_values where extract_date = ? and kpi_id = ?", [extract, kpi]
    ).fetchone()
    assert row is not None
    return float(row[0])


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema meta")
    ensure_kpi_schema(con)
    ensure_results_table(con)
    _compute(con, E1, 1.0, 10.0)
    for extract in (E1, E2, E3):
        _result(con, extract, "kpi", "a", "percentages lie between 0 and 100", True)
    _result(con, E1, "stg", "ssd_contacts", RULE, True)
    assert withhold_extract(con, LA, E1, KPIS, just_computed=True) == []
    for extract, a, b in ((E2, 2.0, 20.0), (E3, 3.0, 30.0)):
        _compute(con, extract, a, b)
        _result(con, extract, "stg", "ssd_contacts", RULE, False)
        withhold_extract(con, LA, extract, KPIS, just_computed=True)
    return con


def test_the_kpi_reading_the_failed_table_keeps_its_last_good_value(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert [_value(con, e, "a") for e in (E1, E2, E3)] == [1.0, 1.0, 1.0]
    assert [_value(con, e, "b") for e in (E1, E2, E3)] == [10.0, 20.0, 30.0]
    [withheld] = withheld_kpis(con, LA, E3)
    assert (withheld.kpi_id, withheld.layer, withheld.asset, withheld.rule) == (
        "a", "stg", "ssd_contacts", RULE,
    )  # fmt: skip
    assert (withheld.since, withheld.values_from) == (E2, E1)  # withheld since 14 January
    assert (withheld.unexpected_count, withheld.element_count) == (2, 3)


def test_running_it_again_after_validation_changes_nothing(
    con: duckdb.DuckDBPyConnection,
) -> None:
    before = con.execute("select * from kpi.kpi_values order by all").fetchall()
    withhold_extract(con, LA, E3, KPIS)
    assert con.execute("select * from kpi.kpi_values order by all").fetchall() == before
    assert len(withheld_kpis(con, LA, E3)) == 1


def test_a_kpi_whose_own_values_fail_is_withheld_too(con: duckdb.DuckDBPyConnection) -> None:
    _result(con, E3, "kpi", "b", "counts, rates, means and ratios are not negative", False)
    withhold_extract(con, LA, E3, KPIS)
    assert _value(con, E3, "b") == 20.0  # 14 January's, the last good one
    assert {(w.kpi_id, w.layer) for w in withheld_kpis(con, LA, E3)} == {
        ("a", "stg"), ("b", "kpi"),
    }  # fmt: skip


def test_an_output_publishes_with_withheld_kpis_marked(con: duckdb.DuckDBPyConnection) -> None:
    assert gating.refusals(con, LA, E3) == []
    assert gating.refusals(con, LA, E3, ["a", "b"]) == []
    lines = gating.summary_lines(gating.shown_withheld(con, LA, E3))
    assert lines == [
        "withheld since the extract of 14 January 2024: a, because stg/ssd_contacts failed "
        f"'{RULE}' (2 of 3 rows); the last good values shown are from the extract of "
        "07 January 2024"
    ]


def test_an_output_none_of_whose_kpis_passed_is_refused(
    con: duckdb.DuckDBPyConnection,
) -> None:
    [reason] = gating.refusals(con, LA, E3, ["a"])
    assert reason.startswith("no KPI it shows passed: withheld since the extract of 14 January")


def test_a_failure_not_turned_into_withheld_kpis_refuses(con: duckdb.DuckDBPyConnection) -> None:
    # Recorded after the KPI step ran: nothing was withheld for it, so nothing may publish.
    _result(con, E3, "stg", "ssd_cin_episodes", "cine_referral_id identifies one row", False)
    assert gating.refusals(con, LA, E3) == [
        "stg/ssd_cin_episodes: cine_referral_id identifies one row (2 of 3 rows)"
    ]
