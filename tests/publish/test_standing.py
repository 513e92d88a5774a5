"""Quartile band among English LAs and rank among statistical neighbours, as LAIT computes them
(pipelines/lib/publish/standing.py), on a hand-made distribution of eight LAs.

Worked by hand. The 2023-24 (and 30 September 2023) figures of LAs 801-808 are
10, 12, 12, 15, 18, 20, 20, 25 (two ties). R's type-7 quantile of n = 8 sorted values at p is
x[h] + (h - floor(h)) (x[h+1] - x[h]) with h = 7p (0-based):
  0%: 10;  25%: h = 1.75, 12 + .75 (12 - 12) = 12;  50%: h = 3.5, 15 + .5 (18 - 15) = 16.5;
  75%: h = 5.25, 20 + .25 (20 - 20) = 20;  100%: 25.
Low is good: up to 12 is A, above 12 to 16.5 B, above 16.5 to 20 C, above 20 D (a value on a
quartile is in the lower quarter). High is good: the same quarters named D, C, B, A.
Statistical neighbours of group SN899: 802 (12), 804 (15), 806 (20), 808 (25) and 809 (no figure,
"Nowhere"). Rank: one more than the neighbours strictly better (ties share the best place).
"""

import csv
import dataclasses
import datetime as dt
import statistics
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from pipelines.lib.kpi.definitions import DEFINITIONS_DIR, KpiDefinition, load_definitions
from pipelines.lib.publish.standing import (
    Standing,
    load_standing_tables,
    ordinal,
    quartile_band,
    quartiles,
    rank_among,
    standing,
    standing_sentence,
)
from pipelines.lib.publish.standing_sources import (
    DISTRIBUTION_COLUMNS,
    DISTRIBUTIONS_FILE,
    MEASURES,
    NEIGHBOUR_COLUMNS,
    NEIGHBOURS_FILE,
    distribution_rows,
    neighbour_rows,
)
from tests.conftest import shared_or_skip

D = dt.date
VALUES = [10.0, 12.0, 12.0, 15.0, 18.0, 20.0, 20.0, 25.0]
BOUNDS = (10.0, 12.0, 16.5, 20.0, 25.0)
KPIS = {k.id: k for k in load_definitions()}
NOT_BANDED = "LAIT does not band this measure, its range being too small"


def test_quartiles_are_r_type_7() -> None:
    assert quartiles(VALUES) == BOUNDS
    # numpy's default ("linear") is R's type 7: an independent check of the same figures
    assert quartiles(VALUES) == tuple(np.quantile(VALUES, [0, 0.25, 0.5, 0.75, 1]))
    assert quartiles([3.0, 1.0, 2.0, 4.0]) == (1.0, 1.75, 2.5, 3.25, 4.0)


def test_a_value_on_a_quartile_despite_binary_fractions() -> None:
    # 11.6 + .5 (11.7 - 11.6) is 11.649999999999999 in binary; the median is 11.65
    bounds = quartiles([11.6, 11.7])
    assert bounds == (11.6, 11.625, 11.65, 11.675, 11.7)
    assert quartile_band(11.65, bounds, "Low") == "B"


@pytest.mark.parametrize(
    ("value", "low", "high"),
    [
        (10.0, "A", "D"),  # the lowest value
        (12.0, "A", "D"),  # on the 25% quartile: the lower quarter
        (12.1, "B", "C"),
        (16.5, "B", "C"),  # on the median
        (16.6, "C", "B"),
        (20.0, "C", "B"),  # on the 75% quartile
        (20.1, "D", "A"),
        (9.0, "A", "D"),  # below every LA (a council not among them): the end quarter
        (30.0, "D", "A"),  # above every LA
    ],
)
def test_band_by_polarity(value: float, low: str, high: str) -> None:
    assert quartile_band(value, BOUNDS, "Low") == low
    assert quartile_band(value, BOUNDS, "High") == high


def test_no_band_or_rank_without_a_polarity() -> None:
    assert quartile_band(15.0, BOUNDS, "-") is None
    assert rank_among(15.0, VALUES, "-") is None


@pytest.mark.parametrize(
    ("value", "polarity", "rank"),
    [
        (12.0, "Low", 2),  # only 10 is lower; shares 2nd with both 12s
        (13.0, "Low", 4),  # 10, 12, 12 lower
        (9.0, "Low", 1),
        (20.0, "High", 2),  # only 25 is higher; shares 2nd with both 20s
        (19.0, "High", 4),  # 20, 20, 25 higher
        (25.0, "High", 1),  # ties with 25: shares 1st
    ],
)
def test_rank_ties_take_the_best_place(value: float, polarity: str, rank: int) -> None:
    assert rank_among(value, VALUES, polarity) == rank


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (111, "111th"), (153, "153rd")],
)  # fmt: skip
def test_ordinal(n: int, text: str) -> None:
    assert ordinal(n) == text


def _distribution(
    kpi_id: str, period: str, values: list[float], polarity: str, banded: bool = True
) -> list[list[str]]:
    return [
        [kpi_id, period, str(801 + i), f"LA {801 + i}", str(v), "M", polarity,
         "true" if banded else "false", "hand-made"]
        for i, v in enumerate(values)
    ]  # fmt: skip


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    rows = [
        *_distribution("rereferral_12m_pct", "2023-03-31", [1, 2, 3, 4, 5, 6, 7, 8], "Low"),
        *_distribution("rereferral_12m_pct", "2024-03-31", VALUES, "Low"),
        # published after the council's newest figure: never chosen
        *_distribution("rereferral_12m_pct", "2025-03-31", VALUES, "Low"),
        *_distribution("agency_rate_pct", "2023-09-30", VALUES, "High"),
        *_distribution("turnover_rate_pct", "2023-09-30", VALUES, "High", banded=False),
        *_distribution("cla_rate_per_10k", "2024-03-31", VALUES, "-"),
    ]
    figures = tmp_path / "distributions.csv"
    figures.write_text("\n".join(",".join(r) for r in [list(DISTRIBUTION_COLUMNS), *rows]) + "\n")
    groups = [
        *(["SN899", "899", "Home", str(n), code, name, "x"]
          for n, (code, name) in enumerate(
              [("802", "LA 802"), ("804", "LA 804"), ("806", "LA 806"), ("808", "LA 808"),
               ("809", "Nowhere")], 1)),
        *(["SN808", "808", "LA 808", str(n), code, f"LA {code}", "x"]
          for n, code in enumerate(["801", "803", "805"], 1)),
    ]  # fmt: skip
    neighbours = tmp_path / "neighbours.csv"
    neighbours.write_text("\n".join(",".join(r) for r in [list(NEIGHBOUR_COLUMNS), *groups]) + "\n")
    con = duckdb.connect()
    con.execute("create schema meta; create schema kpi")
    con.execute("create table meta.la (la_code varchar, benchmark_sn varchar)")
    con.execute(
        "insert into meta.la values ('992', 'SN899'), ('808', 'SN808'), ('993', null), "
        "('994', 'SN999')"
    )
    con.execute(
        """create table kpi.kpi_values (la_code varchar, kpi_id varchar, grain varchar,
           period_end date, value double, extract_date date)"""
    )
    new, old = D(2024, 4, 7), D(2024, 3, 31)
    con.executemany(
        "insert into kpi.kpi_values values (?, ?, ?, ?, ?, ?)",
        [
            # 16.54 prints as 16.5, the median: band B
            ["992", "rereferral_12m_pct", "rolling_12m", D(2024, 3, 31), 16.54, new],
            ["992", "rereferral_12m_pct", "rolling_12m", D(2023, 3, 31), 4.0, new],
            ["992", "rereferral_12m_pct", "month", D(2024, 3, 31), 99.0, new],
            # an older extract's figure is not the council's current one
            ["992", "rereferral_12m_pct", "rolling_12m", D(2024, 3, 31), 1.0, old],
            # a snapshot: the month's figure, not the twelve months'
            ["992", "agency_rate_pct", "month", D(2023, 9, 30), 20.0, new],
            ["992", "agency_rate_pct", "rolling_12m", D(2023, 9, 30), 99.0, new],
            ["992", "turnover_rate_pct", "rolling_12m", D(2023, 9, 30), 20.0, new],
            ["992", "cla_rate_per_10k", "month", D(2024, 3, 31), 15.0, new],
            ["808", "rereferral_12m_pct", "rolling_12m", D(2024, 3, 31), 9.04, new],
            ["993", "rereferral_12m_pct", "rolling_12m", D(2024, 3, 31), 25.0, new],
            ["994", "rereferral_12m_pct", "rolling_12m", D(2024, 3, 31), 25.0, new],
        ],
    )
    assert load_standing_tables(con, figures, neighbours) == len(rows)
    return con


def _standing(con: duckdb.DuckDBPyConnection, la: str, kpi: str | KpiDefinition) -> Standing:
    result = standing(con, la, KPIS[kpi] if isinstance(kpi, str) else kpi)
    assert result is not None
    return result


def test_council_not_in_the_published_figures(con: duckdb.DuckDBPyConnection) -> None:
    s = _standing(con, "992", "rereferral_12m_pct")
    assert (s.period_end, s.value, s.quartiles, s.band) == (D(2024, 3, 31), 16.5, BOUNDS, "B")
    assert (s.in_published, s.england_las) == (False, 8)
    # neighbours 12, 15, 20, 25 (Nowhere has none): 12 and 15 lower, so 3rd of 5
    assert (s.sn_rank, s.sn_of, s.sn_missing) == (3, 5, ("Nowhere",))
    assert standing_sentence(s) == (
        "Not in the DfE's figures under its own code, the council would be in quartile band B "
        "against English LAs' figures for 2023-24 and would rank 3rd of 5 with its statistical "
        "neighbours (no figure for Nowhere)."
    )


def test_high_polarity_snapshot_on_a_boundary_with_a_tie(con: duckdb.DuckDBPyConnection) -> None:
    s = _standing(con, "992", "agency_rate_pct")
    # 20.0 is the 75% quartile: the third quarter from the lowest, B when high is good;
    # neighbours 12, 15, 20, 25: only 25 higher, so 2nd (tied with LA 806)
    assert (s.period_end, s.value, s.band, s.sn_rank, s.sn_of) == (D(2023, 9, 30), 20.0, "B", 2, 5)
    assert standing_sentence(s) == (
        "Not in the DfE's figures under its own code, the council would be in quartile band B "
        "against English LAs' figures for 30 September 2023 and would rank 2nd of 5 with its "
        "statistical neighbours (no figure for Nowhere)."
    )


def test_council_in_the_published_figures_counts_with_its_own_figure(
    con: duckdb.DuckDBPyConnection,
) -> None:
    s = _standing(con, "808", "rereferral_12m_pct")
    # LA 808's published 25 gives way to its own 9.04 (printed 9.0): 9, 10, 12, 12, 15, 18, 20,
    # 20 -> 9; 10 + .75 (12 - 10) = 11.5; 12 + .5 (15 - 12) = 13.5; 18 + .25 (20 - 18) = 18.5; 20
    assert s.quartiles == (9.0, 11.5, 13.5, 18.5, 20.0)
    assert (s.value, s.band, s.in_published, s.england_las) == (9.0, "A", True, 8)
    # neighbours 801 (10), 803 (12), 805 (18): none lower
    assert (s.sn_rank, s.sn_of, s.sn_missing) == (1, 4, ())
    assert standing_sentence(s) == (
        "Quartile band A among English LAs (2023-24); 1st of 4 with its statistical neighbours."
    )


def test_a_measure_lait_does_not_band_is_still_ranked(con: duckdb.DuckDBPyConnection) -> None:
    s = _standing(con, "992", "turnover_rate_pct")
    assert (s.band, s.banded_by_lait, s.sn_rank) == (None, False, 2)
    assert standing_sentence(s) == (
        "Not in the DfE's figures under its own code, the council has no quartile band against "
        f"English LAs' figures for the year to 30 September 2023 ({NOT_BANDED}) and would rank "
        "2nd of 5 with its "
        "statistical neighbours (no figure for Nowhere)."
    )
    published = dataclasses.replace(s, in_published=True, sn_missing=())
    assert standing_sentence(published) == (
        f"No quartile band (the year to 30 September 2023): {NOT_BANDED}; 2nd of 5 with its "
        "statistical "
        "neighbours."
    )


def test_a_measure_with_no_polarity_has_no_band_or_rank(con: duckdb.DuckDBPyConnection) -> None:
    s = _standing(con, "992", "cla_rate_per_10k")
    assert (s.band, s.sn_rank) == (None, None)
    assert standing_sentence(s) == (
        "No quartile band or rank (31 March 2024): LAIT gives none for this measure, as neither a "
        "higher nor a lower figure is better."
    )


def test_without_statistical_neighbours(con: duckdb.DuckDBPyConnection) -> None:
    # 25.0 is the highest figure: D when low is good
    s = _standing(con, "993", "rereferral_12m_pct")
    assert (s.band, s.sn_code, s.sn_rank, s.sn_of) == ("D", None, None, 0)
    assert standing_sentence(s) == (
        "Not in the DfE's figures under its own code, the council would be in quartile band D "
        "against English LAs' figures for 2023-24, and no statistical neighbours are named in "
        "la.yaml."
    )
    unknown = _standing(con, "994", "rereferral_12m_pct")
    assert standing_sentence(unknown).endswith(
        ", and its statistical-neighbour group SN999 is not in the DfE May 2025 model."
    )


def test_a_kpi_counted_differently_from_the_dfe_gets_neither(
    con: duckdb.DuckDBPyConnection,
) -> None:
    differs = dataclasses.replace(KPIS["rereferral_12m_pct"], dfe_comparable=False)
    assert standing(con, "992", differs) is None
    # and one with no published LA figures, or none of the council's for their periods
    assert standing(con, "992", KPIS["caseload_avg"]) is None
    assert standing(con, "993", KPIS["agency_rate_pct"]) is None


def test_the_published_distributions_agree_with_benchmarks_csv() -> None:
    """Every statistical-neighbour median in benchmarks.csv, worked from the neighbours' figures
    in benchmark_distributions.csv and statistical_neighbours.csv, is the median derived there
    (two independent derivations of the same DfE files); every LA's figure there is the same."""
    figures = pl.read_csv(DISTRIBUTIONS_FILE, schema_overrides={"la_code": pl.String})
    groups = pl.read_csv(
        NEIGHBOURS_FILE, schema_overrides={"la_code": pl.String, "neighbour_code": pl.String}
    )
    published = pl.read_csv(DEFINITIONS_DIR / "benchmarks.csv")
    compared = 0
    for row in published.filter(pl.col("area_type") != "england").iter_rows(named=True):
        same = figures.filter(
            (pl.col("kpi_id") == row["kpi_id"]) & (pl.col("period_end") == row["period_end"])
        )
        if same.is_empty():
            continue
        if row["area_type"] == "local_authority":
            la = same.filter(pl.col("la_name") == row["area_name"])
            assert la.select("value", "source").rows() == [(row["value"], row["source"])], row
        else:
            codes = groups.filter(pl.col("sn_code") == row["area_code"])["neighbour_code"]
            values = same.filter(pl.col("la_code").is_in(codes.to_list()))["value"].to_list()
            assert statistics.median(values) == pytest.approx(row["value"]), row
        compared += 1
    assert compared >= 60


def test_only_kpis_counted_the_dfe_way_have_distributions() -> None:
    ids = set(pl.read_csv(DISTRIBUTIONS_FILE)["kpi_id"].to_list())
    assert ids and all(KPIS[k].dfe_comparable for k in ids)


def test_the_committed_files_are_what_the_dfe_files_give() -> None:
    samples = shared_or_skip("samples/dfe-csc-outcomes-enablers")
    assert distribution_rows(samples) == _csv_rows(DISTRIBUTIONS_FILE)
    assert neighbour_rows(samples) == _csv_rows(NEIGHBOURS_FILE)


def test_polarity_and_banding_are_laits() -> None:
    dictionary = shared_or_skip("samples/dfe-lait/indicator_metadata/lait_data_dictionary.csv")
    lait = {r["Measure_short"]: r for r in _csv_rows(dictionary) if r["Measure_short"]}
    for m in MEASURES:
        assert lait[m.lait_measure]["Polarity"] == m.polarity, m.kpi_id
        assert (lait[m.lait_measure]["No_Quartile"] != "N") == m.quartile_banded, m.kpi_id


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))
