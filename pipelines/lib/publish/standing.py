"""Where the council stands among English LAs and its statistical neighbours, as LAIT shows it:
its quartile band (A-D, A the best quarter) among all English LAs and its rank among its
statistical neighbours (1 the best), beside its latest annual figure.

What LAIT does (repository dfe-analytical-services/local-authority-interactive-tool, commit
2e30e39; ``R/lait_modules/mod_la_lvl_table.R`` ``LA_StatsTableServer``, ``R/fn_analysis.R``
``calculate_quartile_band`` and ``calculate_rank``, ``global.R``), followed here:

- **Which LAs**: every LA in the measure's data for its latest year (``global.R`` ``la_names_bds``:
  ``LA Number`` below 970, so not England, regions or inner/outer London). Values that are not
  numbers (``c``, ``x``, ``..``, ``-``) are NA and left out of the quartiles (``na.rm = TRUE``).
- **Quartiles**: R's ``quantile(values, na.rm = TRUE)``, the default type 7: for n sorted values
  the p-quantile is ``x[h] + (h - floor(h)) * (x[h+1] - x[h])`` with ``h = (n - 1) * p``
  (0-based), at p = 0, .25, .5, .75, 1.
- **Band by polarity** (``calculate_quartile_band``): a value from the 0% quantile up to and
  including the 25% quantile is in the first quarter, above 25% up to and including 50% the
  second, and so on; a value equal to a quartile is in the lower quarter. Polarity ``Low`` (low is
  good) names the quarters A, B, C, D from the lowest; ``High`` names them D, C, B, A. Any other
  polarity (``-``: neither is better) gets no band ("-"), nor does a measure whose data
  dictionary ``No_Quartile`` is ``N`` (LAIT: "Data range is too small.").
- **Rank** (``calculate_rank``): R ``rank(..., ties.method = "min")``, ascending for ``Low`` and
  descending for ``High``, so tied LAs share the best of their places and the next LA's place
  counts all of them (1, 2, 2, 4); an LA with no figure has no rank; no rank for polarity ``-``
  (a measure with ``No_Quartile`` = ``N`` is still ranked).

Where this differs, and why:

- LAIT ranks nationally; the board and the adviser compare with the statistical neighbours, so
  the rank here is among the council and its ten neighbours (DfE May 2025 model, la.yaml
  ``benchmarks: {statistical_neighbours: SN892}``), by the same rank rule.
- The council's figure is its own KPI value, rounded as every output prints it (one decimal,
  half up), not a published one: for the period of the published figures, the snapshot at their
  date (``month`` grain) or the twelve months to it (``rolling_12m``, the financial year at
  31 March). An LA found in the DfE's figures under its own code has its published figure
  replaced by its own; any other (the demo LAs) is placed against the published figures as they
  are, and the sentence says it "would" stand there. Such a value can fall outside the published
  range, which LAIT never meets (its LA is always one of the values) and would call "Error";
  here it joins the end quarter it lies beyond (LAIT's bands read "up to and including" the
  quartile, with no lower edge).
- Only KPIs counted the DfE's way (``dfe_comparable: true``) are banded or ranked.
- Quantiles are kept to six decimals, so a council printed on a quartile (11.65) is on it and
  not above a binary 11.649999999999999.

The published figures are ``kpi_definitions/benchmark_distributions.csv`` and the neighbours
``kpi_definitions/statistical_neighbours.csv`` (built by ``standing_sources``), loaded into
``ref.benchmark_distributions`` and ``ref.statistical_neighbours`` by ``load_standing_tables``.
"""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.lib.formatting import STORED_PLACES, places, round_half_up
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.publish.benchmarks import area_codes
from pipelines.lib.publish.standing_sources import DISTRIBUTIONS_FILE, NEIGHBOURS_FILE
from pipelines.lib.warehouse import transaction

BANDS_LOW_IS_GOOD = ("A", "B", "C", "D")
ORDINAL_SUFFIX = {1: "st", 2: "nd", 3: "rd"}


@dataclass(frozen=True)
class Standing:
    kpi_id: str
    period_end: dt.date  # of the published figures and of the council's figure beside them
    snapshot: bool  # a count on period_end, not over the year to it
    value: float  # the council's figure, rounded as printed
    polarity: str  # LAIT's: High, Low or "-"
    in_published: bool  # the council is among the DfE's LAs under its own code
    england_las: int  # LAs whose figures the quartiles are of
    quartiles: tuple[float, ...]  # the 0%, 25%, 50%, 75% and 100% quantiles
    band: str | None  # A-D; None when LAIT does not band the measure
    banded_by_lait: bool  # LAIT's No_Quartile is not N
    sn_code: str | None  # la.yaml's statistical-neighbour group
    sn_rank: int | None  # 1 is the best; None without a known group, or for polarity "-"
    sn_of: int  # the council and its neighbours with a figure
    sn_missing: tuple[str, ...]  # neighbours with no published figure

    @property
    def period_text(self) -> str:
        """``31 March 2024`` for a snapshot, ``2023-24`` for a financial year, ``the year to 30
        September 2023`` for another year."""
        end = self.period_end
        if self.snapshot:
            return f"{end.day} {end:%B %Y}"
        if (end.month, end.day) == (3, 31):
            return f"{end.year - 1}-{end.year % 100:02d}"
        return f"the year to {end.day} {end:%B %Y}"


def quantile_type7(values: Sequence[float], p: float) -> float:
    """R's default ``quantile`` (type 7) of ``values`` at ``p``."""
    ordered = sorted(values)
    h = (len(ordered) - 1) * p
    low = math.floor(h)
    if low + 1 >= len(ordered):
        return ordered[low]
    return ordered[low] + (h - low) * (ordered[low + 1] - ordered[low])


def quartiles(values: Sequence[float]) -> tuple[float, ...]:
    """The five quantiles, stored to six places: 11.6 + .5 (11.7 - 11.6) is 11.649999999999999
    in binary, which would put a council printed as 11.65 above the median it equals."""
    return tuple(
        round_half_up(quantile_type7(values, p), STORED_PLACES) for p in (0, 0.25, 0.5, 0.75, 1)
    )


def quartile_band(value: float, bounds: Sequence[float], polarity: str) -> str | None:
    """LAIT's band of ``value`` against the five quantiles ``bounds``; None for a polarity that
    is neither ``Low`` nor ``High``. A value on a quartile is in the lower quarter."""
    if polarity not in ("Low", "High"):
        return None
    quarter = next((i for i, q in enumerate(bounds[1:4]) if value <= q), 3)
    return BANDS_LOW_IS_GOOD[quarter if polarity == "Low" else 3 - quarter]


def rank_among(value: float, others: Sequence[float], polarity: str) -> int | None:
    """``value``'s place among itself and ``others`` (R ``rank``, ties ``min``): one more than
    the number of others strictly better. None for a polarity neither ``Low`` nor ``High``."""
    if polarity == "Low":
        return 1 + sum(other < value for other in others)
    if polarity == "High":
        return 1 + sum(other > value for other in others)
    return None


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else ORDINAL_SUFFIX.get(n % 10, "th")
    return f"{n}{suffix}"


def load_standing_tables(
    con: duckdb.DuckDBPyConnection,
    distributions: Path = DISTRIBUTIONS_FILE,
    neighbours: Path = NEIGHBOURS_FILE,
) -> int:
    """Every English LA's published figures (``ref.benchmark_distributions``) and each LA's
    statistical neighbours (``ref.statistical_neighbours``); returns the figures' rows."""
    figures = pl.read_csv(
        distributions,
        schema_overrides={"la_code": pl.String, "value": pl.Float64, "period_end": pl.Date,
                          "quartile_banded": pl.Boolean},
    )  # fmt: skip
    groups = pl.read_csv(neighbours, schema_overrides={"la_code": pl.String,
                                                       "neighbour_code": pl.String})  # fmt: skip
    with transaction(con):
        con.execute("create schema if not exists ref")
        for name, frame in (
            ("benchmark_distributions", figures),
            ("statistical_neighbours", groups),
        ):
            con.register("_standing", frame.to_arrow())
            try:
                con.execute(f"create or replace table ref.{name} as select * from _standing")
            finally:
                con.unregister("_standing")
    return figures.height


def _council_figures(con: duckdb.DuckDBPyConnection, la_code: str, kpi: KpiDefinition) -> dict:
    """The council's figures by period end, from its newest extract, at the grain that matches
    a published annual figure: the snapshot at month end, or the twelve months to it."""
    grain = "month" if kpi.kind == "snapshot" else "rolling_12m"
    rows = con.execute(
        """select period_end, value from kpi.kpi_values
           where la_code = $la and kpi_id = $kpi and grain = $grain and value is not null
             and extract_date = (select max(extract_date) from kpi.kpi_values
                                 where la_code = $la and kpi_id = $kpi)""",
        {"la": la_code, "kpi": kpi.id, "grain": grain},
    ).fetchall()
    return dict(rows)


def standing(con: duckdb.DuckDBPyConnection, la_code: str, kpi: KpiDefinition) -> Standing | None:
    """The council's quartile band and statistical-neighbour rank at the latest period with
    both a published distribution and a figure of its own; None for a KPI not counted the
    DfE's way, with no published LA figures, or with no figure of the council's for any of
    their periods."""
    if not kpi.dfe_comparable:
        return None
    own = _council_figures(con, la_code, kpi)
    periods = con.execute(
        "select distinct period_end from ref.benchmark_distributions where kpi_id = ? "
        "order by period_end desc",
        [kpi.id],
    ).fetchall()
    period = next((p for (p,) in periods if p in own), None)
    if period is None:
        return None
    value = round_half_up(own[period], places(kpi.unit))
    figures = con.execute(
        """select la_code, la_name, value, polarity, quartile_banded
           from ref.benchmark_distributions where kpi_id = ? and period_end = ?""",
        [kpi.id, period],
    ).pl()
    polarity, banded = figures["polarity"][0], bool(figures["quartile_banded"][0])
    in_published = la_code in figures["la_code"].to_list()
    others = figures.filter(pl.col("la_code") != la_code)
    national = [*others["value"].to_list(), *([value] if in_published else [])]
    bounds = quartiles(national)
    sn_code = area_codes(con, la_code)["statistical_neighbours_median"]
    neighbours = con.execute(
        "select neighbour_code, neighbour_name from ref.statistical_neighbours "
        "where sn_code = ? and neighbour_code <> ? order by neighbour",
        [sn_code, la_code],
    ).fetchall()
    by_code = dict(zip(others["la_code"], others["value"], strict=True))
    with_figure = [by_code[code] for code, _ in neighbours if code in by_code]
    return Standing(
        kpi_id=kpi.id,
        period_end=period,
        snapshot=kpi.kind == "snapshot",
        value=value,
        polarity=polarity,
        in_published=in_published,
        england_las=len(national),
        quartiles=bounds,
        band=quartile_band(value, bounds, polarity) if banded else None,
        banded_by_lait=banded,
        sn_code=sn_code,
        sn_rank=rank_among(value, with_figure, polarity) if neighbours else None,
        sn_of=1 + len(with_figure) if neighbours else 0,
        sn_missing=tuple(name for code, name in neighbours if code not in by_code),
    )


def standing_sentence(s: Standing) -> str:
    """One sentence for a board paper or the scrutiny figures: "Quartile band B among English
    LAs (2023-24); 4th of 11 with its statistical neighbours.", or for a council not in the
    DfE's figures "Not in the DfE's figures under its own code, the council would be in quartile
    band B against English LAs' figures for 2023-24 and would rank 4th of 11 with its
    statistical neighbours."."""
    period = s.period_text
    if s.polarity not in ("Low", "High"):
        return (
            f"No quartile band or rank ({period}): LAIT gives none for this measure, as neither "
            "a higher nor a lower figure is better."
        )
    too_small = "LAIT does not band this measure, its range being too small"
    if s.sn_code is None:
        rank = "no statistical neighbours are named in la.yaml"
    elif s.sn_rank is None:
        rank = f"its statistical-neighbour group {s.sn_code} is not in the DfE May 2025 model"
    else:
        rank = f"{ordinal(s.sn_rank)} of {s.sn_of} with its statistical neighbours"
        if s.sn_missing:
            rank += f" (no figure for {', '.join(s.sn_missing)})"
    if s.in_published:
        band = f"Quartile band {s.band} among English LAs ({period})"
        if s.band is None:
            band = f"No quartile band ({period}): {too_small}"
        return f"{band}; {rank}."
    band = f"would be in quartile band {s.band} against English LAs' figures for {period}"
    if s.band is None:
        band = f"has no quartile band against English LAs' figures for {period} ({too_small})"
    rank = f" and would rank {rank}" if s.sn_rank is not None else f", and {rank}"
    return f"Not in the DfE's figures under its own code, the council {band}{rank}."
