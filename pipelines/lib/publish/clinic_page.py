"""One KPI's page of the clinic pack as data: its weekly SPC series (read from ``kpi.kpi_spc``,
see ``clinic_spc``), target steps, trajectory, benchmarks and status, with the values and the
text description every page and chart shows."""

import datetime as dt
from dataclasses import dataclass

import polars as pl

from pipelines.lib import formatting
from pipelines.lib.charts.xmr import Benchmark, TargetStep
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.publish import clinic_index, clinic_spc

POLARITY_WORDS = {"up": "higher is better", "down": "lower is better", "neutral": "no polarity"}


def fmt_value(value: float | None, unit: str) -> str:
    return formatting.value_text(value, unit, empty="–")


def fmt_change(change: float | None, unit: str) -> str:
    return formatting.change_text(change, unit, empty="–")


@dataclass
class KpiPage:
    kpi: KpiDefinition
    series: pl.DataFrame  # SPC columns, weekly
    targets: list[TargetStep]
    trajectory: pl.DataFrame
    benchmarks: list[Benchmark]
    status: dict[str, object] | None
    unavailable: str | None

    @property
    def latest(self) -> float | None:
        return float(self.series["value"][-1]) if self.series.height else None

    @property
    def change(self) -> float | None:
        if self.series.height < 2:
            return None
        last, previous = self.series.tail(2)["period_end"].to_list()[::-1]
        if (last - previous).days != 7:
            return None
        return float(self.series["value"][-1] - self.series["value"][-2])

    @property
    def chart_type(self) -> str:
        return clinic_index.latest_verdict(self.series)[0]

    @property
    def rag(self) -> str | None:
        return str(self.status["rag"]) if self.status and self.status.get("rag") else None

    def target_sentence(self) -> str:
        assurance = self.series["assurance"][-1] if self.series.height else None
        return clinic_index.target_sentence(self.rag, assurance)

    def description(self, week_end: dt.date) -> str:
        kpi, unit = self.kpi, self.kpi.unit
        if not self.series.height:
            return f"{kpi.label}: no weekly values up to {week_end:%d %B %Y}."
        s = self.series
        text = [
            f"{kpi.label}, weekly, {s['period_end'][0]:%d %B %Y} to {s['period_end'][-1]:%d %B %Y}"
            f" ({s.height} weeks; {POLARITY_WORDS[kpi.polarity]}).",
            f"Latest week {fmt_value(self.latest, unit)}"
            + (f", {fmt_change(self.change, unit)} on the week before." if self.change is not None
               else "."),
        ]  # fmt: skip
        text += clinic_spc.spc_sentences(s, unit, fmt_value)
        judged = self.target_sentence()
        if self.status:
            text.append(f"Target: {self.status['reason']} (RAG {self.status['rag']}).")
        if judged:
            text.append(f"{judged[0].upper()}{judged[1:]}.")
        for bench in self.benchmarks:
            text.append(f"{bench.name} ({bench.period_end:%b %Y}): {fmt_value(bench.value, unit)}.")
        return " ".join(text)
