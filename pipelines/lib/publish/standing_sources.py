"""Derive ``kpi_definitions/benchmark_distributions.csv`` (every English LA's published figure,
per KPI and year) and ``kpi_definitions/statistical_neighbours.csv`` (each LA's ten statistical
neighbours) from the DfE files the CSC Outcomes and Enablers dashboard uses, as copied into
``../shared/samples/dfe-csc-outcomes-enablers/benchmarks/``.

Run ``python -m pipelines.lib.publish.standing_sources [samples dir]`` to rebuild both files;
the CSVs are committed, so a run never needs the samples. Only KPIs counted the DfE's way
(``dfe_comparable: true``) whose LA-level figures are in those files are taken; each row names
its file and column. Suppressed or unpublished cells (``c``, ``x``, ``z``, ``low``, ``u``...) are
left out, as LAIT's ``global.R`` turns every non-number into NA before it bands or ranks.

LAIT's polarity (``Polarity``: High, Low or ``-``) and whether it bands a measure
(``No_Quartile`` = ``N``: not banded) come from LAIT's data dictionary
(repository dfe-analytical-services/local-authority-interactive-tool,
``01_data/02_prod/lait_data_dictionary.csv``), for the LAIT measure named on each row.
"""

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.kpi.definitions import DEFINITIONS_DIR

SAMPLES = DEFINITIONS_DIR.parent.parent / "shared" / "samples" / "dfe-csc-outcomes-enablers"
DISTRIBUTIONS_FILE = DEFINITIONS_DIR / "benchmark_distributions.csv"
NEIGHBOURS_FILE = DEFINITIONS_DIR / "statistical_neighbours.csv"
REPO = "repository dfe-analytical-services/CSC_outcomes_and_enablers, data-raw/"
FIRST_YEAR = 2021  # five collection years: enough for any extract the pipeline is given today


@dataclass(frozen=True)
class Measure:
    kpi_id: str
    file: str
    column: str
    detail: str  # what the column counts, as benchmarks.csv names the same figures
    month_day: tuple[int, int]  # the published figure's period end in its time_period year
    lait_measure: str  # Measure_short in LAIT's data dictionary
    polarity: str  # LAIT's Polarity: High, Low or -
    quartile_banded: bool  # LAIT's No_Quartile is not N
    rows: tuple[tuple[str, str], ...] = ()  # (column, value): the file's rows of this measure

    @property
    def source(self) -> str:
        return f"{PUBLICATIONS[self.file]} ({self.detail}); {REPO}{self.file}"


CSWW = "csww_indicators_2017_to_2025.csv"
C1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
CLA = "cla_number_and_rate_per_10k_children.csv"
SW = "la_cla_swcount.csv"
PUBLICATIONS = {
    CSWW: "DfE EES Children's social work workforce",
    C1: "DfE EES Characteristics of children in need, table C1",
    CLA: "DfE EES Children looked after in England",
    SW: "DfE EES Stability measures for children looked after",
}
STARTED = "Children starting to be looked after each year"
IN_CARE = "Children looked after on 31 March each year"
THREE_PLUS = "3 or more social workers during the year"
MEASURES = (
    Measure("agency_rate_pct", CSWW, "agency_rate_fte", "agency_rate_fte, at 30 September",
            (9, 30), "Work_Force_Agecy_Rate", "Low", True),
    Measure("vacancy_rate_pct", CSWW, "vacancy_rate_fte", "vacancy_rate_fte, at 30 September",
            (9, 30), "Work_Force_Vac_Rate", "Low", True),
    Measure("turnover_rate_pct", CSWW, "turnover_rate_fte",
            "turnover_rate_fte, leavers in year to 30 September / FTE in post", (9, 30),
            "Work_Force_TO_Rate", "Low", True),
    Measure("caseload_avg", CSWW, "caseload_fte",
            "caseload_fte: cases per case-holding FTE at 30 September", (9, 30),
            "Work_Force_AvgNumCase_SW", "Low", True),
    Measure("rereferral_12m_pct", C1, "rereferral_percent", "rereferral_percent", (3, 31),
            "ReReferral", "Low", True),
    Measure("cla_rate_per_10k", CLA, "rate_per_10000", f"rate_per_10000, '{IN_CARE}'", (3, 31),
            "LAC", "-", True, (("population_type", IN_CARE),)),
    Measure("cla_started_per_10k", CLA, "rate_per_10000", f"rate_per_10000, '{STARTED}'",
            (3, 31), "LAC_Start_Rate", "-", True, (("population_type", STARTED),)),
    Measure("cla_3plus_social_workers_pct", SW, "percentage",
            f"CLA on 31 March with {THREE_PLUS}; published for 2024 only", (3, 31),
            "Stability_SocialWorker", "Low", True,
            (("cla_group", "CLA on 31 March"), ("sw_stability", THREE_PLUS))),
)  # fmt: skip
DISTRIBUTION_COLUMNS = ("kpi_id", "period_end", "la_code", "la_name", "value", "lait_measure",
                        "polarity", "quartile_banded", "source")  # fmt: skip
NEIGHBOUR_COLUMNS = ("sn_code", "la_code", "la_name", "neighbour", "neighbour_code",
                     "neighbour_name", "source")  # fmt: skip


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def distribution_rows(samples: Path) -> list[dict[str, str]]:
    """One row per KPI, year and LA with a published number."""
    out = []
    for m in MEASURES:
        for row in _rows(samples / "benchmarks" / m.file):
            if row["geographic_level"] != "Local authority" or int(row["time_period"]) < FIRST_YEAR:
                continue
            if any(row[column] != wanted for column, wanted in m.rows):
                continue
            value = _number(row[m.column])
            if value is None:
                continue
            month, day = m.month_day
            out.append({
                "kpi_id": m.kpi_id, "period_end": f"{row['time_period']}-{month:02d}-{day:02d}",
                "la_code": row["old_la_code"], "la_name": row["la_name"], "value": row[m.column],
                "lait_measure": m.lait_measure, "polarity": m.polarity,
                "quartile_banded": "true" if m.quartile_banded else "false",
                "source": m.source,
            })  # fmt: skip
    return sorted(out, key=lambda r: (r["kpi_id"], r["period_end"], r["la_code"]))


def neighbour_rows(samples: Path) -> list[dict[str, str]]:
    """Each LA's ten statistical neighbours in the DfE May 2025 model, in the model's order;
    ``sn_code`` is the ``SN<LA code>`` an la.yaml names under ``benchmarks``."""
    out: list[dict[str, str]] = []
    for row in _rows(samples / "benchmarks" / "sn_model_2025_wide.csv"):
        out.extend(
            {
                "sn_code": f"SN{row['old_la_code']}",
                "la_code": row["old_la_code"],
                "la_name": row["la_name"],
                "neighbour": str(n),
                "neighbour_code": row[f"SN_{n}"],
                "neighbour_name": "",
                "source": f"DfE May 2025 SN model; {REPO}sn_model_2025_wide.csv",
            }
            for n in range(1, 11)
        )
    by_code = {r["la_code"]: r["la_name"] for r in out}
    for r in out:
        r["neighbour_name"] = by_code.get(r["neighbour_code"], "")
    return out


def _write(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str]) -> None:
    samples = Path(argv[0]) if argv else SAMPLES
    _write(DISTRIBUTIONS_FILE, DISTRIBUTION_COLUMNS, distribution_rows(samples))
    _write(NEIGHBOURS_FILE, NEIGHBOUR_COLUMNS, neighbour_rows(samples))


if __name__ == "__main__":
    main(sys.argv[1:])
