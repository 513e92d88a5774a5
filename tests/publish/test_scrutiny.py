"""The scrutiny export on a tiny hand-made warehouse (LA 999, extract of 10 April 2024).

The latest complete month is March 2024; the same month last year is March 2023. Figures (each
KPI's numerator / denominator, then the value):

- referrals_received (count, by team): Mar 2024 T1 12, T2 3, T3 7, total 22; Mar 2023 T1 10,
  T2 none, T3 2, total 12.
- referral_seen_5wd_pct (percent, by team): Mar 2024 T1 10/12, T2 2/3, T3 6/7, total 18/22
  = 81.8%; Mar 2023 T1 8/10, T3 2/2, total 10/12 = 83.3%.
- contact_decision_1wd_pct: Mar 2024 0/0 (no contacts: z); target at least 90 by 30 Sep 2024.
- cp_second_subsequent_pct: Mar 2024 3/40 = 7.5% (3 is small); Mar 2023 0/4 (4 is small).
- cp_rate_per_10k: Mar 2024 2 children / 50,000 = 0.4 (2 is small); Mar 2023 60 / 50,000 = 12.0;
  England 40.6 and statistical neighbours 57.15 in 2024-25.
- cp_plan_duration_weeks: Mar 2024 130.5 weeks over 3 plans (3 is small); Mar 2023 520 / 10 = 52.
- cla_under16_unregulated (count): Mar 2024 0; Mar 2023 1.
- sw_fte (FTE, exempt by policy): Mar 2024 4.5; no value for Mar 2023.
- agency_rate_pct (exempt by policy, by team): Mar 2024 2 agency FTE of 10, all in team T1.
- children_ehe: not available (its table is absent).
- dq_rows_rejected_pct: Mar 2024 6 / 20,000 = 0.03%, which rounds to 0.0 at 1 dp: low.
"""

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest

from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.outputs import ensure_output_schema, load_benchmarks
from pipelines.lib.publish import figures, scrutiny
from pipelines.lib.publish.disclosure import DisclosurePolicy
from pipelines.lib.validation.run import ensure_results_table
from pipelines.lib.warehouse import META_DDL

D = dt.date
LA, EXTRACT = "999", D(2024, 4, 10)
NOW, LAST_YEAR = D(2024, 3, 31), D(2023, 3, 31)
POLICY = DisclosurePolicy(
    threshold=5,  # the hand-worked cases below suppress 1 to 4
    exempt_kpis={"sw_fte": "FTEs, not children.", "agency_rate_pct": "FTEs, not children."},
)


def _kpi(kpi_id: str, area: str, unit: str, denominator: str, team: bool = False) -> KpiDefinition:
    return KpiDefinition(
        id=kpi_id, label=kpi_id.replace("_", " ").capitalize(), description=f"About {kpi_id}.",
        area=area, notice_areas=(), kind="flow", shape="events", unit=unit, polarity="up",
        tables=(), optional_tables=(), source=f"Source of {kpi_id}", assumptions=(),
        dimensions=("team",) if team else (), denominator=denominator,
    )  # fmt: skip


DEFINITIONS = [
    _kpi("cp_second_subsequent_pct", "child_protection", "percent", "sum"),
    _kpi("cp_rate_per_10k", "child_protection", "rate_per_10k", "population"),
    _kpi("cp_plan_duration_weeks", "child_protection", "weeks", "sum"),
    _kpi("referrals_received", "front_door", "count", "none", team=True),
    _kpi("referral_seen_5wd_pct", "front_door", "percent", "sum", team=True),
    _kpi("contact_decision_1wd_pct", "front_door", "percent", "sum"),
    _kpi("cla_under16_unregulated", "children_in_care", "count", "none"),
    _kpi("sw_fte", "workforce", "ratio", "none"),
    _kpi("agency_rate_pct", "workforce", "percent", "sum", team=True),
    _kpi("children_ehe", "other", "count", "none"),
    _kpi("dq_rows_rejected_pct", "data_quality", "percent", "sum"),
]
# kpi_id -> {month end: (numerator, denominator, value)}
VALUES: dict[str, dict[dt.date, tuple[float, float | None, float | None]]] = {
    "referrals_received": {NOW: (22, None, 22), LAST_YEAR: (12, None, 12)},
    "referral_seen_5wd_pct": {NOW: (18, 22, 81.818182), LAST_YEAR: (10, 12, 83.333333)},
    "contact_decision_1wd_pct": {NOW: (0, 0, None), LAST_YEAR: (50, 60, 83.333333)},
    "cp_second_subsequent_pct": {NOW: (3, 40, 7.5), LAST_YEAR: (0, 4, 0.0)},
    "cp_rate_per_10k": {NOW: (2, 50000, 0.4), LAST_YEAR: (60, 50000, 12.0)},
    "cp_plan_duration_weeks": {NOW: (130.5, 3, 43.5), LAST_YEAR: (520, 10, 52.0)},
    "cla_under16_unregulated": {NOW: (0, None, 0), LAST_YEAR: (1, None, 1)},
    "sw_fte": {NOW: (4.5, None, 4.5)},
    "agency_rate_pct": {NOW: (2, 10, 20.0)},
    "dq_rows_rejected_pct": {NOW: (6, 20000, 0.03)},
}
# (kpi_id, month end, team or None) -> (numerator, denominator, value), as the engine writes them
# (a team with nothing in a month has no row; the "not recorded" row is always there).
BY_TEAM = {
    ("referrals_received", NOW, "T1"): (12, None, 12),
    ("referrals_received", NOW, "T2"): (3, None, 3),
    ("referrals_received", NOW, "T3"): (7, None, 7),
    ("referrals_received", NOW, None): (0, None, 0),
    ("referrals_received", LAST_YEAR, "T1"): (10, None, 10),
    ("referrals_received", LAST_YEAR, "T3"): (2, None, 2),
    ("referrals_received", LAST_YEAR, None): (0, None, 0),
    ("referral_seen_5wd_pct", NOW, "T1"): (10, 12, 83.333333),
    ("referral_seen_5wd_pct", NOW, "T2"): (2, 3, 66.666667),
    ("referral_seen_5wd_pct", NOW, "T3"): (6, 7, 85.714286),
    ("referral_seen_5wd_pct", NOW, None): (0, 0, None),
    ("referral_seen_5wd_pct", LAST_YEAR, "T1"): (8, 10, 80.0),
    ("referral_seen_5wd_pct", LAST_YEAR, "T3"): (2, 2, 100.0),
    ("referral_seen_5wd_pct", LAST_YEAR, None): (0, 0, None),
    ("agency_rate_pct", NOW, "T1"): (2, 10, 20.0),
    ("agency_rate_pct", NOW, None): (0, 0, None),
}
BENCHMARKS_CSV = """\
kpi_id,area_type,area_code,area_name,period_end,value,unit,derived,source
cp_rate_per_10k,england,E92000001,England,2024-03-31,41.0,rate_per_10k,false,test
cp_rate_per_10k,england,E92000001,England,2025-03-31,40.6,rate_per_10k,false,test
cp_rate_per_10k,statistical_neighbours_median,SN999,Neighbours,2024-03-31,56.25,rate_per_10k,true,test
cp_rate_per_10k,statistical_neighbours_median,SN999,Neighbours,2025-03-31,57.15,rate_per_10k,true,test
"""


def _month_start(end: dt.date) -> dt.date:
    return end.replace(day=1)


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for ddl in META_DDL:
        con.execute(ddl)
    ensure_output_schema(con)
    ensure_results_table(con)
    benchmarks = tmp_path / "benchmarks.csv"
    benchmarks.write_text(BENCHMARKS_CSV, encoding="utf-8")
    load_benchmarks(con, benchmarks)
    con.execute(
        "insert into meta.la (la_code, la_name, targets, benchmark_sn) values (?, ?, ?, ?)",
        [LA, "Testshire (fictional)", ["test_plan"], "SN999"],
    )
    for kpi in DEFINITIONS:
        available = kpi.id != "children_ehe"
        con.execute(
            "insert into kpi.kpi_availability values (?, ?, ?, ?, ?)",
            [LA, EXTRACT, kpi.id, available, None if available else "ext_ehe is absent"],
        )
        # A February row: the latest complete month must still be March.
        for end, (n, d, v) in {**VALUES.get(kpi.id, {}), D(2024, 2, 29): (50, 60, 50)}.items():
            if kpi.id in VALUES:
                con.execute(
                    "insert into kpi.kpi_values values (?, ?, 'month', ?, ?, ?, ?, ?, ?, ?)",
                    [LA, kpi.id, _month_start(end), end, n, d, v, kpi.unit, EXTRACT],
                )
    for (kpi_id, end, team), (n, d, v) in BY_TEAM.items():
        unit = next(k.unit for k in DEFINITIONS if k.id == kpi_id)
        con.execute(
            """insert into kpi.kpi_values_by_dimension
               values (?, ?, 'month', ?, ?, 'team', ?, ?, ?, ?, ?, ?)""",
            [LA, kpi_id, _month_start(end), end, team, n, d, v, unit, EXTRACT],
        )
    con.execute(
        """insert into kpi.kpi_status (la_code, plan_id, target_id, kpi_id, as_at_date, measure,
               value, target_value, direction, due_date, is_due, is_current_target, met, rag,
               extract_date)
           values (?, 'test_plan', 'test_plan:contact_decision_1wd_pct:2024-09-30',
                   'contact_decision_1wd_pct', ?, 'in_month', null, 90, 'at_least', ?, false,
                   true, null, null, ?)""",
        [LA, NOW, D(2024, 9, 30), EXTRACT],
    )
    for layer, asset in (("stg", "ssd_person"), ("kpi", "referrals_received")):
        _validation(con, layer, asset, success=True)
    # Team names from the extract (T3 has none: it keeps its id); no service areas in la.yaml.
    con.execute("create schema if not exists stg")
    con.execute(
        """create table stg.ssd_department (la_code varchar, extract_date date,
               dept_team_id varchar, dept_team_name varchar)"""
    )
    con.execute(
        "insert into stg.ssd_department values (?, ?, 'T1', 'Duty A'), (?, ?, 'T2', 'Duty B'),"
        " (?, ?, 'T3', null)",
        [LA, EXTRACT] * 3,
    )
    return con


def _validation(con: duckdb.DuckDBPyConnection, layer: str, asset: str, success: bool) -> None:
    con.execute(
        """insert into meta.validation_results (la_code, extract_date, layer, asset,
               check_description, severity, success, element_count, unexpected_count)
           values (?, ?, ?, ?, 'values are present', 'error', ?, 10, ?)""",
        [LA, EXTRACT, layer, asset, success, 0 if success else 3],
    )


def _provenance() -> figures.Provenance:
    return figures.Provenance(LA, "Testshire (fictional)", EXTRACT, "run-0123456789", "passed",
                              dt.datetime(2024, 4, 11, 9, 30))  # fmt: skip


def _write(con: duckdb.DuckDBPyConnection, published: Path) -> list[Path]:
    return scrutiny.write_scrutiny(
        con, LA, EXTRACT, DEFINITIONS, {}, published, _provenance(), POLICY
    )


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _is_small_count(text: Any) -> bool:
    try:
        number = float(text)
    except (TypeError, ValueError):
        return False
    return 1 <= number <= 4


def test_figures_csv_by_hand(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    paths = _write(con, tmp_path)
    folder = tmp_path / LA / "public" / "scrutiny" / "2024-04-10"
    assert paths == [folder / "scrutiny-figures.csv", folder / "scrutiny-by-team.csv",
                     folder / "scrutiny-figures.xlsx"]  # fmt: skip
    rows = {r["kpi_id"]: r for r in _read_csv(paths[0])}
    # Grouped by area in the service's order: front door, child protection, care, workforce...
    assert list(rows) == [
        "referrals_received", "referral_seen_5wd_pct", "contact_decision_1wd_pct",
        "cp_second_subsequent_pct", "cp_rate_per_10k", "cp_plan_duration_weeks",
        "cla_under16_unregulated", "sw_fte", "agency_rate_pct", "children_ehe",
        "dq_rows_rejected_pct",
    ]  # fmt: skip

    def cells(kpi_id: str, *columns: str) -> tuple[str, ...]:
        return tuple(rows[kpi_id][c] for c in columns)

    now = ("value", "numerator", "denominator")
    last = ("last_year_value", "last_year_numerator", "last_year_denominator")
    assert cells("referrals_received", *now, *last) == ("22", "z", "z", "12", "z", "z")
    assert cells("referrals_received", "period_start", "period_end", "last_year_period_end") == (
        "2024-03-01", "2024-03-31", "2023-03-31")  # fmt: skip
    # 18 of 22 would show 4 not seen, 10 of 12 would show 2: numerators and values go (issue 15).
    assert cells("referral_seen_5wd_pct", *now, *last) == ("c", "c", "22", "c", "c", "12")
    # 0 of 0 contacts: not applicable; the target is shown with its direction and due date.
    assert cells("contact_decision_1wd_pct", "value", "numerator", "denominator") == ("z", "0", "0")
    assert cells("contact_decision_1wd_pct", "target", "target_direction", "target_due_date") == (
        "90.0", "at least", "2024-09-30")  # fmt: skip
    assert cells("referrals_received", "target", "target_direction", "target_due_date") == (
        "z", "z", "z")  # fmt: skip
    # 3 of 40: the numerator and the percentage go; 0 of 4: the denominator and percentage go.
    assert cells("cp_second_subsequent_pct", *now, *last) == ("c", "c", "40", "c", "0", "c")
    # 2 children per 50,000: the rate reveals the count. The population is not suppressed.
    assert cells("cp_rate_per_10k", *now, *last) == ("c", "c", "50000", "12.0", "60", "50000")
    # Benchmarks as published, never rounded or suppressed again, and as at the figures' month
    # (March 2024): the figures for the year to 31 Mar 2024 (41.0, 56.25), not 2025's.
    assert cells("cp_rate_per_10k", "england", "england_period_end") == ("41", "2024-03-31")
    assert cells("cp_rate_per_10k", "statistical_neighbours_median") == ("56.25",)
    assert cells("cp_second_subsequent_pct", "england", "england_period_end") == ("x", "x")
    # An average over 3 plans goes, with the total weeks it is made of.
    assert cells("cp_plan_duration_weeks", *now, *last) == ("c", "c", "c", "52.0", "520", "10")
    assert cells("cla_under16_unregulated", "value", "last_year_value") == ("0", "c")
    # Exempt by the policy: FTEs are not children. No value a year earlier: x.
    assert cells("sw_fte", *now, "last_year_value") == ("4.5", "z", "z", "x")
    # Exempt too, but the team table had to suppress its LA total (T1 is the whole LA, so
    # showing the total would show T1's 2 FTE): a total suppressed there is suppressed here.
    assert cells("agency_rate_pct", *now, "last_year_value") == ("c", "c", "10", "x")
    assert cells("children_ehe", *now, *last, "period_end") == ("x",) * 7
    assert cells("dq_rows_rejected_pct", *now) == ("low", "6", "20000")


TEAMS = {"Duty A": "T1", "Duty B": "T2"}  # the fixture's team names -> ids, to read the rows


def test_by_team_csv_by_hand(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """Referrals this month: T2 3 is c, so the next smallest, T3 7, goes too. Last year: T3 2 is
    c; T2 is 0, so T1 10 goes. The percentage KPI suppresses its numerators and denominators the
    same way (T2 2/3 -> T3 6/7 this month; T3 2/2 -> T1 8/10 last year), and its percentages
    with them. T2 had no referrals last year: 0 of 0 is z."""
    rows = _read_csv(_write(con, tmp_path)[1])
    table = {(r["kpi_id"], TEAMS.get(r["team"], r["team"])): r for r in rows}
    # Teams by their names in the extract, in name order (T3 has no name: its id).
    assert [r["team"] for r in rows if r["kpi_id"] == "referrals_received"] == [
        "Duty A", "Duty B", "T3", "All teams (LA total)"]  # fmt: skip

    def cells(kpi_id: str, team: str, *columns: str) -> tuple[str, ...]:
        return tuple(table[(kpi_id, team)][c] for c in columns)

    count = ("value", "last_year_value")
    assert cells("referrals_received", "T1", *count) == ("12", "c")
    assert cells("referrals_received", "T2", *count) == ("c", "0")
    assert cells("referrals_received", "T3", *count) == ("c", "c")
    assert cells("referrals_received", "All teams (LA total)", *count) == ("22", "12")
    parts = ("value", "numerator", "denominator",
             "last_year_value", "last_year_numerator", "last_year_denominator")  # fmt: skip
    pct = "referral_seen_5wd_pct"
    # Counts left out (issue 15): this month T1 2, T2 1, T3 1, total 4 are small, so each row
    # gives up its numerator; T2's denominator 3 is small, so its column gives up T3's 7.
    # Last year T1 2 and total 2 left out: numerators go; T3's 2/2 is small, so the
    # denominators' column gives up T1's 10.
    assert cells(pct, "T1", *parts) == ("c", "c", "12", "c", "c", "c")
    assert cells(pct, "T2", *parts) == ("c", "c", "c", "z", "0", "0")
    assert cells(pct, "T3", *parts) == ("c", "c", "c", "c", "c", "c")
    assert cells(pct, "All teams (LA total)", *parts) == ("c", "c", "22", "c", "c", "12")
    assert cells("agency_rate_pct", "T1", *parts) == ("c", "c", "10", "x", "x", "x")
    total = cells("agency_rate_pct", "All teams (LA total)", *parts)
    assert total == ("c", "c", "10", "x", "x", "x")
    # Only aggregate rows: the fixture's teams and the total, no row-level identifiers.
    assert {r["team"] for r in rows} == {"Duty A", "Duty B", "T3", "All teams (LA total)"}
    # No service areas in la.yaml: no service-area rows.
    assert {(r["level"], r["service_area"]) for r in rows} == {("team", ""), ("LA", "")}


def test_no_small_count_is_visible_and_every_column_total_holds(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    figures_csv, by_team_csv, _ = _write(con, tmp_path)
    counted = ("numerator", "denominator", "last_year_numerator", "last_year_denominator")
    for row in _read_csv(figures_csv) + _read_csv(by_team_csv):
        columns = counted + (("value", "last_year_value") if row["unit"] == "count" else ())
        for column in columns:
            # sw_fte (4.5 FTE) is exempt, and its FTE is in the value column, not checked here.
            assert not _is_small_count(row[column]), (row["kpi_id"], row.get("team"), column)
    # Every column of each KPI's by-team block (teams + LA total) holds 0 or at least 2 c cells.
    blocks: dict[str, list[dict[str, str]]] = {}
    for row in _read_csv(by_team_csv):
        blocks.setdefault(row["kpi_id"], []).append(row)
    checked = 0
    for kpi_id, block in blocks.items():
        additive = ("value", "last_year_value") if block[0]["unit"] == "count" else counted
        for column in additive:
            hidden = sum(r[column] == "c" for r in block)
            assert hidden != 1, (kpi_id, column)
            checked += hidden > 0
    # Every column with a c needed (and got) secondary suppression: referrals 2, the
    # percentage's 4, agency FTEs 1.
    assert checked == 7


def test_workbook(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_write(con, tmp_path)[2])
    assert book.sheetnames == ["Figures", "By team", "Notes"]
    sheet = book["Figures"]
    assert "Testshire (fictional) (999)" in sheet["A1"].value
    assert "March 2024" in sheet["A2"].value
    header_row = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Area")
    header = [c.value for c in sheet[header_row]]
    assert header[:4] == ["Area", "KPI", "Unit", "Month"]
    assert sheet.cell(header_row, 1).font.b
    assert sheet.freeze_panes == f"C{header_row + 1}"
    records = [
        dict(zip(header, (c for c in row), strict=True))
        for row in sheet.iter_rows(min_row=header_row + 1)
        if row[0].value and row[1].value
    ]
    assert len(records) == len(DEFINITIONS)
    by_kpi = {r["KPI"].value: r for r in records}
    seen = by_kpi["Referral seen 5wd pct"]
    assert seen["Value"].value == "c"  # 18 of 22 would show 4 not seen
    assert (seen["Denominator"].value, seen["Denominator"].number_format) == (22, "#,##0")
    assert seen["Month"].is_date and seen["Month"].number_format == "mmm yyyy"
    second = by_kpi["Cp second subsequent pct"]
    assert second["Value"].value == "c" and second["Value"].alignment.horizontal == "right"
    rate = by_kpi["Cp rate per 10k"]
    assert (rate["England"].value, rate["England year"].value) == (41, "2023-24")  # as at Mar 2024
    assert rate["Statistical neighbours (median)"].value == 56.25
    # The provenance footer is under the table.
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("run run-0123" in t and "validation passed" in t for t in texts)

    # No count of 1 to 4 anywhere in the count columns of either table sheet.
    for name in ("Figures", "By team"):
        sheet = book[name]
        header_row = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Area")
        header = [c.value for c in sheet[header_row]]
        for row in sheet.iter_rows(min_row=header_row + 1, values_only=True):
            record = dict(zip(header, row, strict=True))
            if not record["KPI"]:
                continue
            for column, value in record.items():
                counted = str(column).startswith(("Numerator", "Denominator")) or (
                    str(column).startswith("Value") and record["Unit"] == "number"
                )
                if counted:
                    assert not _is_small_count(value), (name, record["KPI"], column)

    notes = [c.value for row in book["Notes"].iter_rows() for c in row if c.value]
    for symbol in ("c", "z", "x", "low"):
        assert symbol in notes
    assert any("from 1 to 4 is shown as c" in str(t) for t in notes)
    assert any("Secondary suppression" in str(t) for t in notes)
    assert any("sw_fte" in str(t) and "Exempt" in str(t) for t in notes)
    assert "About cp_rate_per_10k. Unit: per 10,000 children." in notes
    assert "Source of cp_rate_per_10k" in notes


def test_not_publishable_when_a_blocking_check_failed(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    _validation(con, "stg", "ssd_contacts", success=False)
    with pytest.raises(figures.NotPublishable, match="ssd_contacts"):
        _write(con, tmp_path)
    assert not (tmp_path / LA).exists()


def test_rerun_replaces_the_folder_and_a_failure_keeps_the_last(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _write(con, tmp_path)
    folder = first[0].parent
    stray = folder / "left-over.csv"
    stray.write_text("old", encoding="utf-8")
    _write(con, tmp_path)
    assert not stray.exists()
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(scrutiny, "write_workbook", broken)
    with pytest.raises(OSError, match="disk full"):
        _write(con, tmp_path)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # Nothing half-written is left beside it.
    assert [p.name for p in folder.parent.iterdir()] == ["2024-04-10"]
